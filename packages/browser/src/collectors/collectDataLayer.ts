import { ecommerceEvent } from './ecommerceEvent.js';
import { guard } from './guard.js';
import type { CollectorOptions, Stop, Track, Win } from './types.js';

const READ = /*#__PURE__*/ Symbol.for('seglet.dataLayerRead');

/** Options of {@link collectDataLayer}. */
export interface DataLayerOptions extends CollectorOptions {
  /** Name of the global array; default `dataLayer` (GTM's `dataLayerName`). */
  name?: string;
}

/**
 * Turns GA4 ecommerce pushes on `window.dataLayer` into seglet events (see `ecommerceEvent`):
 * entries already there are replayed (but those an earlier instance in this document read), then
 * `dataLayer.push` is wrapped so later pushes are read after whatever push the page (or GTM) had.
 * Creates the array when missing, as gtag does.
 * Stop restores the previous `push`, or makes the wrapper inert when something wrapped it since.
 */
export function collectDataLayer(track: Track, win: Win, options: DataLayerOptions = {}): Stop {
  const name = options.name ?? 'dataLayer';
  const globals = win as unknown as Record<string, unknown>;
  // The entries read in this document, by any instance: after destroy() and createSegments() the
  // new one replays only those pushed since (it recorded every purchase a second time).
  const seen = ((win as unknown as Record<symbol, WeakSet<object> | undefined>)[READ] ??= new WeakSet());
  let active = true;
  let undo = (): void => {};
  const read = guard('dataLayer', (entry: unknown) => {
    if (!active) return;
    if (entry === Object(entry)) seen.add(entry as object);
    const event = ecommerceEvent(entry);
    if (event) track(event.type, event.props);
  }, options);

  guard('dataLayer', () => {
    const existing = globals[name];
    if (existing !== undefined && !Array.isArray(existing)) throw new TypeError(`window.${name} is not an array`);
    const layer = (existing ?? (globals[name] = [])) as unknown[];
    // Filtered first: an entry the page pushed twice (one object) is two events.
    for (const entry of layer.filter((entry) => !seen.has(entry as object))) read(entry);
    const own = Object.hasOwn(layer, 'push');
    const original = layer.push;
    const wrapper = function (this: unknown[], ...items: unknown[]): number {
      const length = original.apply(this, items);
      for (const item of items) read(item);
      return length;
    };
    layer.push = wrapper;
    undo = () => {
      if (layer.push !== wrapper) return;
      if (own) layer.push = original;
      else delete (layer as { push?: unknown }).push;
    };
  }, options)();

  return () => {
    active = false;
    undo();
  };
}
