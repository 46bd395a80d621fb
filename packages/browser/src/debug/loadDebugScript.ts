import { loadSibling } from '../facade/loadSibling.js';

/** The overlay's script-tag build, published beside `seglet.min.js`. */
export const DEBUG_FILE = 'seglet-debug.min.js';

/** Injects the overlay's file beside `script` (Trusted Types policy `seglet-debug` if enforced). */
export function loadDebugScript(script: HTMLScriptElement): void {
  loadSibling(script, DEBUG_FILE, 'seglet-debug');
}
