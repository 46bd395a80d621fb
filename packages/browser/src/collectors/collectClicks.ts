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
 * `clicks: 'all'`, every link and button) through one passive capturing listener on the document.
 * `href` is the path for same-origin links and the host for others. Returns the stop function.
 */
export function collectClicks(track: Track, win: Win, options: ClickOptions = {}): Stop {
  const all = options.clicks === 'all';
  // A click on a label's text is followed, in the same task, by the browser's own click on the
  // labelled control, which bubbles through the same elements: one click, recorded once.
  let echo: EventTarget | null = null;
  const onClick = guard('clicks', (event: Event) => {
    const target = event.target;
    if (target === echo) return;
    const path = typeof event.composedPath === 'function' ? event.composedPath() : [];
    const props = clickProps(path.length > 0 ? path : target ? [target] : [], win.location, all);
    if (!props) return;
    track('click', props);
    const control = (path.find((x) => (x as Element).localName === 'label') as HTMLLabelElement | undefined)?.control;
    if (control && !control.contains(target as Node)) {
      echo = control;
      win.setTimeout(() => { echo = null; });
    }
  }, options);
  const listen = { capture: true, passive: true } as const;
  win.document.addEventListener('click', onClick, listen);
  return () => win.document.removeEventListener('click', onClick, listen);
}
