/**
 * `@seglet/edge`: seglet's declarative swaps applied in a CDN worker (workerd's `HTMLRewriter`),
 * from the `seglet_m` cookie and the segments the request itself decides. Importing it does nothing.
 */
export { personalize } from './personalize.js';
export { decide } from './decide.js';
export type * from './types.js';
