import { SegletError } from '@seglet/core';
import { loadSibling } from '../facade/loadSibling.js';

/** The overlay's script-tag build, published beside `seglet.min.js`. */
export const DEBUG_FILE = 'seglet-debug.min.js';

/**
 * Injects the overlay's file beside `script` (Trusted Types policy `seglet-debug` if enforced). A
 * file that does not load (404, network, blocked), or loads and shows no overlay, is reported to
 * `onError` as `collector_failed`, as a `seglet-vitals.min.js` that does not load is: otherwise
 * the missing overlay said nothing.
 */
export function loadDebugScript(script: HTMLScriptElement, onError: (error: SegletError) => void): void {
  const tag = loadSibling(script, DEBUG_FILE, 'seglet-debug');
  const failed = (why = 'did not load'): void => {
    const message = `seglet: ${DEBUG_FILE} ${why}`;
    onError(new SegletError('collector_failed', message, { issues: [{ path: '/debug', message }] }));
  };
  if (!tag) return failed();
  tag.addEventListener('error', () => failed());
  // The overlay mounts as its file runs, before `load`: a file that loads and shows none is
  // another one at that URL (a host's fallback page, a stale build), which said nothing either.
  tag.addEventListener('load', () => {
    if (!script.ownerDocument.querySelector('[data-seglet-debug]')) failed('loaded but showed no overlay (another file at that URL?)');
  });
}
