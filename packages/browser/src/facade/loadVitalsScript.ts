import type { VitalsApi } from '../collectors/collectVitals.js';
import { loadSibling } from './loadSibling.js';

/** The `web-vitals` build for the script tag, published beside `seglet.min.js`. */
export const VITALS_FILE = 'seglet-vitals.min.js';

/** Where `seglet-vitals.min.js` hands `web-vitals` over when it runs. */
export const VITALS_KEY = /*#__PURE__*/ Symbol.for('seglet.vitals');

/**
 * Loads `web-vitals` for the script tag: injects its file beside `script` (Trusted Types policy
 * `seglet-vitals` if enforced) and resolves when that file hands the functions over. A file that
 * ran without handing them over (another file at that URL) rejects at its `load` event, which
 * comes after it ran: waiting on would be silent forever.
 */
export function loadVitalsScript(script: HTMLScriptElement, win: Window): Promise<VitalsApi> {
  return new Promise((resolve, reject) => {
    (win as unknown as Record<symbol, unknown>)[VITALS_KEY] = resolve;
    const tag = loadSibling(script, VITALS_FILE, 'seglet-vitals');
    if (!tag) reject(new Error(`${VITALS_FILE} could not be added to the page`));
    else {
      tag.addEventListener('error', () => reject(new Error(`${VITALS_FILE} did not load`)));
      tag.addEventListener('load', () => reject(new Error(`${VITALS_FILE} loaded but handed nothing over`)));
    }
  });
}
