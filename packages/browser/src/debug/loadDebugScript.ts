import { SegletError } from '@seglet/core';
import { loadSibling } from '../facade/loadSibling.js';

/** The overlay's script-tag build, published beside `seglet.min.js`. */
export const DEBUG_FILE = 'seglet-debug.min.js';

/**
 * Injects the overlay's file beside `script` (Trusted Types policy `seglet-debug` if enforced). A
 * file that does not load (404, network, blocked) is reported to `onError` as `collector_failed`,
 * as a `seglet-vitals.min.js` that does not load is: otherwise the missing overlay said nothing.
 */
export function loadDebugScript(script: HTMLScriptElement, onError: (error: SegletError) => void): void {
  const tag = loadSibling(script, DEBUG_FILE, 'seglet-debug');
  const failed = (): void => {
    const message = `seglet: ${DEBUG_FILE} did not load`;
    onError(new SegletError('collector_failed', message, { issues: [{ path: '/debug', message }] }));
  };
  if (tag) tag.addEventListener('error', failed);
  else failed();
}
