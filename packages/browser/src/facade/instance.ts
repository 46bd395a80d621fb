/** Key of the page's instance on `window`; `Symbol.for` so the ESM and script builds see the same one. */
const KEY = Symbol.for('seglet.instance');

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
