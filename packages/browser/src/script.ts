// The script-tag build (`seglet.min.js`): the only module that touches `window` when it loads.
import { SegletError } from '@seglet/core';
import { allCollectors } from './collectors/allCollectors.js';
import { createSegments } from './createSegments.js';
import { debugWanted } from './debug/debugWanted.js';
import { loadDebugScript } from './debug/loadDebugScript.js';
import { loadVitalsScript } from './facade/loadVitalsScript.js';
import { scriptOptions } from './facade/scriptOptions.js';
import { setVitalsSource } from './facade/vitalsSource.js';
import type { Segments } from './types.js';

/** `window.segments` once the script has run: the API, plus `push` so the stub snippet keeps working. */
export interface ScriptSegments extends Segments {
  push(...calls: unknown[]): number;
}

declare global {
  interface Window {
    segments?: ScriptSegments | unknown[];
  }
}

const win = window;
const script = document.currentScript as HTMLScriptElement | null;
const warned = new Set<string>();
const onError = (error: SegletError): void => {
  try {
    win.dispatchEvent(new CustomEvent('seglet:error', { detail: error }));
  } catch {
    // CustomEvent missing or a listener broke dispatch: the warning below still goes out.
  }
  if (warned.has(error.code)) return;
  warned.add(error.code);
  try { console.warn(error.message.startsWith('seglet:') ? error.message : `seglet: ${error.message}`); } catch { /* no console */ }
};

const stub = win.segments;
const options = scriptOptions(script?.dataset ?? {}, onError);
// No tag to read (a module script, import()): its data-consent cannot be known, so none is assumed.
if (!script) {
  options.consent = 'pending';
  onError(new SegletError('invalid_option', 'load seglet.min.js with a classic <script src>: its data-* could not be read, so consent is pending', { issues: [{ path: '/consent', message: 'no script tag' }] }));
}
// A consent call queued before the script loaded holds from its first line: nothing is stored or
// opened under a state the page has already left. The queue still replays it in order below.
const consent = (Array.isArray(stub) ? stub : []).filter((e: unknown) => Array.isArray(e) && e[0] === 'consent').at(-1) as unknown[] | undefined;
if (consent) options.consent = consent[1] as typeof options.consent;
// web-vitals is opt-in: a file of its own, fetched only when `data-collect` names vitals.
if (script) setVitalsSource(() => loadVitalsScript(script, win));
const segments = createSegments(options, allCollectors) as ScriptSegments;
// The overlay is a separate file, fetched only when asked for: it costs other pages nothing.
if (script && debugWanted(options.debug, win.location.search)) loadDebugScript(script, onError);

/** Runs one stub call `[method, ...args]`; `['ready', fn]` calls `fn(segments)` once ready. */
const call = (entry: unknown): void => {
  if (!Array.isArray(entry) || typeof entry[0] !== 'string') return;
  const [method, ...args] = entry as [string, ...unknown[]];
  guarded(method, () => {
    if (method === 'ready') {
      const fn = args[0];
      if (typeof fn === 'function') void segments.ready.then(() => guarded(method, () => fn(segments)));
      return;
    }
    const target = (segments as unknown as Record<string, unknown>)[method];
    if (typeof target === 'function' && method !== 'push') (target as (...a: unknown[]) => unknown).apply(segments, args);
  });
};

function guarded(method: string, fn: () => void): void {
  try {
    fn();
  } catch (cause) {
    const error = new SegletError('callback_failed', `the stub call "${method.slice(0, 32)}" failed`, { cause });
    // A host callback that throws is logged as an error too, as createReporter logs the others.
    try { console.error(error.message, cause); } catch { /* no console */ }
    onError(error);
  }
}

// A second copy of the script gets the first instance back, which already has `push`.
if (typeof segments.push !== 'function') {
  Object.defineProperty(segments, 'push', {
    value: (...calls: unknown[]): number => {
      calls.forEach(call);
      return 0;
    },
  });
}
win.segments = segments;
if (Array.isArray(stub)) stub.forEach(call);
