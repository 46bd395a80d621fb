import { DEBUG_HOOK, type DebugHook } from '../facade/debugHook.js';
import type { Segments } from '../types.js';
import { createPanel } from './createPanel.js';
import { drawBody, nextText } from './drawBody.js';

const noHook: DebugHook = () => ({ engine: null, rules: null });

/**
 * Shows the debug overlay for `segments` on its page: memberships, the next time-driven change,
 * each segment's explanation with live values, the latest events. It follows every operation of
 * the instance through its internal hook (coalesced to one render per task) and ticks the
 * countdown each second. Once per page at a time: it is removed when the instance is destroyed, so
 * a new instance can show its own. Returns a function that removes it. Never throws, not even
 * without a window (server rendering): the window is looked up inside the guard.
 */
export function mountDebug(segments: Segments, page?: Window): () => void {
  // Set once the panel is on the page: a failure after that takes it away again.
  let undo = (): void => undefined;
  try {
    const win = page ?? window;
    const doc = win.document;
    if (doc.querySelector('[data-seglet-debug]')) return () => undefined;
    const found = (segments as unknown as Record<symbol, unknown>)[DEBUG_HOOK];
    const hook = typeof found === 'function' ? (found as DebugHook) : noHook;
    const open = new Map<string, boolean>();
    const kept = new Map<string, HTMLElement>();
    let scheduled = false;
    let closed = false;
    let collapsed = false;
    let drawn: ReturnType<typeof drawBody> | null = null;
    let timer = 0;
    const close = (): void => {
      if (closed) return;
      closed = true;
      win.clearInterval(timer);
      try { hook(() => undefined); } catch { /* an instance from another build */ }
      panel.remove();
    };
    const panel = createPanel(doc, close, (folded) => {
      collapsed = folded;
      schedule();
    });
    undo = close;
    const render = (): void => {
      scheduled = false;
      // Collapsed, nothing is drawn: the panel is drawn again as it is expanded.
      if (closed || collapsed) return;
      try {
        drawn = drawBody(panel, segments, hook(), open, kept);
      } catch (cause) {
        let why = 'an error that cannot be shown as text';
        // String() throws for an object without a prototype: from a timer, that reached the page.
        try { why = String(cause).slice(0, 200); } catch { /* keeps the generic text */ }
        const p = doc.createElement('p');
        p.textContent = `seglet debug could not render: ${why}`;
        panel.body.replaceChildren(p);
      }
    };
    const schedule = (): void => {
      if (scheduled || closed) return;
      scheduled = true;
      win.setTimeout(render, 0);
    };
    // The countdown is the one line that changes while nothing happens.
    timer = win.setInterval(() => {
      if (drawn) drawn.countdown.data = nextText(drawn.until, Date.now());
    }, 1000);
    hook((destroyed) => (destroyed ? close() : schedule()));
    void segments.ready.then(schedule, () => undefined);
    render();
    return close;
  } catch {
    undo();
    return () => undefined;
  }
}
