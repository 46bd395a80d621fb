/** Key of the page's instance on `window`; `Symbol.for` so the ESM and script builds see the same one. */
const KEY = /*#__PURE__*/ Symbol.for('seglet.instance');

type Slot = Record<symbol, unknown>;

/** The instance already running in `win`, if any. */
export function currentInstance<T>(win: Window): T | undefined {
  return (win as unknown as Slot)[KEY] as T | undefined;
}

/** Registers `value` as the page's instance (`undefined` releases the slot, after `destroy()`). */
export function setInstance(win: Window, value: unknown): void {
  Reflect.deleteProperty(win, KEY);
  if (value !== undefined) Object.defineProperty(win, KEY, { value, configurable: true });
}

const LEFT = /*#__PURE__*/ Symbol.for('seglet.settling');

/**
 * The last writes and erases a destroyed instance left running in `win`: the next instance's
 * stores wait for them (destroy() and createSegments() in one page), as the instance's own
 * stores wait for those it put down.
 */
export function leftRunning(win: Window): Promise<unknown> {
  return ((win as unknown as Slot)[LEFT] as Promise<unknown> | undefined) ?? Promise.resolve();
}

/** Records what a destroyed instance leaves running (see `leftRunning`). */
export function leaveRunning(win: Window, work: Promise<unknown>): void {
  Object.defineProperty(win, LEFT, { value: work.catch(() => undefined), configurable: true });
}
