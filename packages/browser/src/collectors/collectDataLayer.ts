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
 * Creates the array when missing, as gtag does, and follows an array assigned later.
 * Stop restores the previous `push` and the plain global, or makes the wrapper inert when something
 * wrapped it since.
 */
export function collectDataLayer(track: Track, win: Win, options: DataLayerOptions = {}): Stop {
  const name = options.name ?? 'dataLayer';
  const globals = win as unknown as Record<string, unknown>;
  // The entries read in this document, by any instance: after destroy() and createSegments() the
  // new one replays only those pushed since (it recorded every purchase a second time).
  const seen = ((win as unknown as Record<symbol, WeakSet<object> | undefined>)[READ] ??= new WeakSet());
  let active = true;
  const undo: (() => void)[] = [];
  const read = guard('dataLayer', (entry: unknown) => {
    if (!active) return;
    if (entry === Object(entry)) seen.add(entry as object);
    const event = ecommerceEvent(entry);
    if (event) track(event.type, event.props);
  }, options);
  const hooked = new WeakSet<unknown[]>();
  const hook = (layer: unknown[]): void => {
    if (hooked.has(layer)) return;
    hooked.add(layer);
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
    undo.push(() => {
      if (layer.push !== wrapper) return;
      if (own) layer.push = original;
      else delete (layer as { push?: unknown }).push;
    });
  };

  guard('dataLayer', () => {
    const existing = globals[name];
    if (existing !== undefined && !Array.isArray(existing)) throw new TypeError(`window.${name} is not an array`);
    let layer: unknown = existing ?? (globals[name] = []);
    hook(layer as unknown[]);
    // A tag after ours may assign a new array (`dataLayer = [{ pageType: 'product' }]`, as tag
    // setups often begin): its pushes went unread. Assignments are followed while we run.
    const was = Object.getOwnPropertyDescriptor(win, name);
    if (!was?.configurable || !was.writable) return;
    const get = (): unknown => layer;
    // The page's assignment must not throw for us (an array whose filter or push cannot be read).
    const follow = guard('dataLayer', hook, options);
    Object.defineProperty(win, name, {
      get, enumerable: was.enumerable, configurable: true,
      set(value: unknown) {
        layer = value;
        if (active && Array.isArray(value)) follow(value);
      },
    });
    undo.push(() => {
      if (Object.getOwnPropertyDescriptor(win, name)?.get === get) Object.defineProperty(win, name, { ...was, value: layer });
    });
  }, options)();

  return () => {
    active = false;
    for (const u of undo) u();
  };
}
