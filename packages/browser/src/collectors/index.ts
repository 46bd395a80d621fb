// Each collector is its own module: a bundle keeps only the ones the facade imports.
export { collectPageViews, type PageViewOptions } from './collectPageViews.js';
export { collectClicks, type ClickOptions } from './collectClicks.js';
export { collectScroll, SCROLL_DEPTHS, type ScrollCollector } from './collectScroll.js';
export { collectDataLayer, type DataLayerOptions } from './collectDataLayer.js';
export { collectVitals } from './collectVitals.js';
export { pageViewProps, type PageViewInput } from './pageViewProps.js';
export { ecommerceEvent, ECOMMERCE_EVENTS } from './ecommerceEvent.js';
export { cleanProps, cutString } from './cleanProps.js';
export { pathOf, referrerHost } from './pathOf.js';
export type { CollectorOptions, Stop, Track, Win } from './types.js';
