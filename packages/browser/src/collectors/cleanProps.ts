import { cutString, type Primitive, type PropValue } from '@seglet/core';

/** Longest string a collector keeps, in UTF-16 code units (the engine rejects longer ones). */
export const MAX_STRING = 512;
/** Most elements a collected array keeps, and most keys an event keeps. */
export const MAX_ITEMS = 32;
const RESERVED = /*#__PURE__*/ new Set(['__proto__', 'constructor', 'prototype']);

export { cutString };

/** A page-supplied value as a primitive the engine accepts, or `undefined` to drop it. */
export function cleanPrimitive(value: unknown): Primitive | undefined {
  if (typeof value === 'string') return cutString(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'boolean' || value === null) return value;
  return undefined;
}

/** A page-supplied value as a prop value: primitives, or flat arrays cut to 32 primitives. */
export function cleanValue(value: unknown): PropValue | undefined {
  if (!Array.isArray(value)) return cleanPrimitive(value);
  const out: Primitive[] = [];
  for (const item of value) {
    const clean = cleanPrimitive(item);
    if (clean !== undefined) out.push(clean);
    if (out.length === MAX_ITEMS) break;
  }
  return out;
}

/** A key limited to `[A-Za-z0-9_.:-]{1,64}`; other characters become `_`; reserved names are dropped. */
export function cleanKey(key: string): string | undefined {
  const clean = key.slice(0, 64).replace(/[^A-Za-z0-9_.:-]/g, '_');
  return clean === '' || RESERVED.has(clean) ? undefined : clean;
}

/**
 * Cleans props read from the page so the engine never rejects a collected event: strings cut
 * to 512, arrays to 32, non-finite numbers and nested objects dropped, at most 32 keys.
 */
export function cleanProps(props: Record<string, unknown>): Record<string, PropValue> {
  const out: Record<string, PropValue> = {};
  let count = 0;
  for (const [rawKey, raw] of Object.entries(props)) {
    const key = cleanKey(rawKey);
    const value = cleanValue(raw);
    if (key === undefined || value === undefined || Object.hasOwn(out, key)) continue;
    out[key] = value;
    if (++count === MAX_ITEMS) break;
  }
  return out;
}
