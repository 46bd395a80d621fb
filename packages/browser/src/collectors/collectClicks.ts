import { guard } from './guard.js';
import { clickProps } from './clickProps.js';
import type { CollectorOptions, Stop, Track, Win } from './types.js';

/** Options of {@link collectClicks}. */
export interface ClickOptions extends CollectorOptions {
  /** `'all'` also records links and buttons without `data-seglet-click`. Default: only those with it. */
  clicks?: 'marked' | 'all' | boolean;
}

/**
 * Records `click {name?, path, href?}` for elements carrying `data-seglet-click="name"` (and, with
 * `clicks: 'all'`, every link and button) through passive capturing listeners on the document;
 * a middle click on a link counts as a click.
 * `href` is the path for same-origin links and the host for others. Returns the stop function.
 */
export function collectClicks(track: Track, win: Win, options: ClickOptions = {}): Stop {
  const all = options.clicks === 'all';
  // A click on a label's text is followed, in the same task, by the browser's own click on the
  // labelled control, which bubbles through the same elements: one click, recorded once.
  let echo: EventTarget | null = null;
  const onClick = guard('clicks', (event: Event) => {
    const target = event.target;
    // A middle click opens a link in a new tab: the browser fires auxclick for it, not click.
    // Other buttons (the context menu's) and middle clicks elsewhere do nothing to record.
    const aux = event.type === 'auxclick';
    if (target === echo || (aux && (event as MouseEvent).button !== 1)) return;
    const path = typeof event.composedPath === 'function' ? event.composedPath() : [];
    const props = clickProps(path.length > 0 ? path : target ? [target] : [], win.location, all, aux);
    if (!props) return;
    track('click', props);
    const control = (path.find((x) => (x as Element).localName === 'label') as HTMLLabelElement | undefined)?.control;
    if (control && !control.contains(target as Node)) {
      echo = control;
      win.setTimeout(() => { echo = null; });
    }
  }, options);
  const listen = { capture: true, passive: true } as const;
  const types = ['click', 'auxclick'];
  for (const type of types) win.document.addEventListener(type, onClick, listen);
  return () => { for (const type of types) win.document.removeEventListener(type, onClick, listen); };
}
