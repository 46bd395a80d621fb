import { cutString } from './cutString.js';
import { SegletError } from './SegletError.js';
import type { Issue, Props } from './types.js';

const TYPE_RE = /^[a-z0-9_.:-]{1,64}$/;
const KEY_RE = /^[A-Za-z0-9_.:-]{1,64}$/;
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
// Keys that passed: a page reuses a few, and a Set lookup costs a fraction of the pattern (a
// tenth of `setContext` went to checking keys). Capped, so hostile keys cannot grow it.
const goodKeys = new Set<string>();

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
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new SegletError(code, `${base} must be an object`, { issues: [{ path: base, message: 'must be an object' }] });
  }
  const keys = Object.keys(input);
  let n = 0;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const v = (input as Record<string, unknown>)[key];
    // A key set to `undefined` is absent, as JSON writes it: `{ price: item.price }` for an item
    // without a price was a rejected event, lost whole. Absent, it is neither counted nor checked.
    if (v === undefined) continue;
    n++;
    // Keys that pass KEY_RE need no JSON-pointer escaping; the rest are reported, never stored.
    if (!goodKeys.has(key)) {
      if (FORBIDDEN.has(key) || !KEY_RE.test(key)) {
        (issues ??= []).push({ path: `${base}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, message: `"${cutString(key, 80)}" is not an allowed key ([A-Za-z0-9_.:-]{1,64}, not __proto__/constructor/prototype)` });
        continue;
      }
      if (goodKeys.size < 512) goodKeys.add(key);
    }
    if (Array.isArray(v)) {
      if (v.length > 32) (issues ??= []).push({ path: `${base}/${key}`, message: `array of ${v.length} elements; at most 32` });
      for (let j = 0; j < v.length; j++) {
        const message = problem(v[j]);
        if (message) (issues ??= []).push({ path: `${base}/${key}/${j}`, message });
      }
      out[key] = v.slice();
    } else {
      const message = problem(v);
      if (message) (issues ??= []).push({ path: `${base}/${key}`, message });
      else out[key] = v as Props[string];
    }
  }
  if (n > 32) (issues ??= []).unshift({ path: base, message: `${n} keys; at most 32` });
  if (issues) throw new SegletError(code, `${issues[0]?.path}: ${issues[0]?.message}`, { issues });
  return out;
}

/** Event types that passed, as `goodKeys` (a page tracks a few types, every event one of them). */
const goodTypes = new Set<unknown>();

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
