import { cutString } from './cutString.js';
import { SegletError } from './SegletError.js';
import type { Issue, Primitive, Props } from './types.js';
import { at, isPlainObject, show } from './validateShared.js';

const TYPE_RE = /^[a-z0-9_.:-]{1,64}$/;
const KEY_RE = /^[A-Za-z0-9_.:-]{1,64}$/;
const FORBIDDEN = /*#__PURE__*/ new Set(['__proto__', 'constructor', 'prototype']);
// Keys that passed: a page reuses a few, and a Set lookup costs a fraction of the pattern (a
// tenth of `setContext` went to checking keys). Capped, so hostile keys cannot grow it.
const goodKeys = /*#__PURE__*/ new Set<string>();

/** What is wrong with a flat value, if anything. */
function problem(v: unknown): string | undefined {
  if (v === null || typeof v === 'boolean') return;
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : `${v} is not a finite number`;
  if (typeof v === 'string') return v.length > 512 ? `string of ${v.length} characters; at most 512` : undefined;
  return `${Array.isArray(v) ? 'a nested array' : typeof v} is not allowed; use a string, number, boolean or null`;
}

/**
 * Checks props, traits or context against the event limits (32 keys, key syntax, flat values,
 * 512-character strings, 32-element arrays, finite numbers, no prototype keys) and returns a
 * copy without the keys set to `undefined`. Prototype keys are refused, so nothing can reach
 * `Object.prototype`; readers use `propOf`.
 */
export function checkProps(input: unknown, code: 'invalid_event' | 'invalid_value', base = '/props'): Props {
  // Allocated on the first problem only: valid props, the usual case, need no list.
  let issues: Issue[] | null = null;
  const out: Props = {};
  if (input === undefined) return out;
  // What is being read, for the path when it cannot be (a throwing getter, a revoked Proxy):
  // built only then, as escaping every key would cost the hot path.
  let key: string | undefined;
  let j = -1;
  try {
    // A Map, a Date or a class instance is not props: it was recorded as an empty object.
    if (!isPlainObject(input)) {
      throw new SegletError(code, `${base} must be a plain object, got ${show(input)}`, { issues: [{ path: base, message: 'must be a plain object' }] });
    }
    const keys = Object.keys(input);
    let n = 0;
    for (let i = 0; i < keys.length; i++) {
      key = keys[i] as string;
      const v = input[key];
      // A key set to `undefined` is absent, as JSON writes it: `{ price: item.price }` for an item
      // without a price was a rejected event, lost whole. Absent, it is neither counted nor checked.
      if (v === undefined) continue;
      n++;
      // Keys that pass KEY_RE need no JSON-pointer escaping; the rest are reported, never stored.
      if (!goodKeys.has(key)) {
        if (FORBIDDEN.has(key) || !KEY_RE.test(key)) {
          (issues ??= []).push({ path: at(base, key), message: `"${cutString(key, 80)}" is not an allowed key ([A-Za-z0-9_.:-]{1,64}, not __proto__/constructor/prototype)` });
          continue;
        }
        if (goodKeys.size < 512) goodKeys.add(key);
      }
      if (Array.isArray(v)) {
        if (v.length > 32) (issues ??= []).push({ path: `${base}/${key}`, message: `array of ${v.length} elements; at most 32` });
        // Copied as checked, each element read once: a getter cannot pass the check and store another value.
        const copy: Primitive[] = [];
        for (j = 0; j < v.length; j++) {
          const x: unknown = v[j];
          const message = problem(x);
          if (message) (issues ??= []).push({ path: `${base}/${key}/${j}`, message });
          copy.push(x as Primitive);
        }
        j = -1;
        out[key] = copy;
      } else {
        const message = problem(v);
        if (message) (issues ??= []).push({ path: `${base}/${key}`, message });
        else out[key] = v as Props[string];
      }
    }
    if (n > 32) (issues ??= []).unshift({ path: base, message: `${n} keys; at most 32` });
  } catch (cause) {
    if (cause instanceof SegletError) throw cause;
    const path = key === undefined ? base : at(base, key);
    throw unreadable(code, j < 0 ? path : at(path, j), cause);
  }
  if (issues) throw new SegletError(code, `${issues[0]?.path}: ${issues[0]?.message}`, { issues });
  return out;
}

/** The error for a value at `path` that cannot be read: a throwing getter or Proxy trap, a revoked Proxy. */
export const unreadable = (code: string, path: string, cause: unknown): SegletError =>
  new SegletError(code, `${path}: could not be read`, { issues: [{ path, message: 'could not be read' }], cause });

/** Event types that passed, as `goodKeys` (a page tracks a few types, every event one of them). */
const goodTypes = /*#__PURE__*/ new Set<unknown>();

/** Throws `invalid_event` unless `type` is `[a-z0-9_.:-]{1,64}`. */
export function checkEventType(type: unknown): asserts type is string {
  if (goodTypes.has(type)) return;
  if (typeof type !== 'string' || !TYPE_RE.test(type)) {
    throw new SegletError('invalid_event', `/type: ${typeof type === 'string' ? JSON.stringify(cutString(type, 80)) : type === null ? 'null' : `a ${typeof type}`} is not an event type ([a-z0-9_.:-]{1,64})`, {
      issues: [{ path: '/type', message: 'not an event type ([a-z0-9_.:-]{1,64})' }],
    });
  }
  if (goodTypes.size < 512) goodTypes.add(type);
}

/**
 * A prop as conditions see it: own values only. An inherited one is missing, a method such as
 * `toString` or what a page's script put on `Object.prototype` (a `where` matched events without the key).
 */
export function propOf(props: Props, key: string): Props[string] | undefined {
  return Object.hasOwn(props, key) ? props[key] : undefined;
}
