import { cutString } from '@seglet/core';
import type { Primitive, Props, PropValue } from '@seglet/core';

const KEY = /^[A-Za-z0-9_.:-]{1,64}$/;
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_ARRAY = 32;

/**
 * The host's extra context keys, cleaned to what the engine accepts: strings cut to 512 units,
 * arrays to 32 primitives; keys that are invalid and values that are not primitives (or flat
 * arrays of them) are left out and named to `onBad`.
 */
export function extraContext(input: unknown, onBad: (key: string, why: string) => void): Props {
  const out: Props = {};
  if (input === null || input === undefined) return out;
  if (typeof input !== 'object' || Array.isArray(input)) {
    onBad('', 'context(request) must return an object of context keys');
    return out;
  }
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    if (!KEY.test(key) || FORBIDDEN.has(key)) {
      onBad(key, `context key ${JSON.stringify(key.slice(0, 80))} is not allowed (keys are [A-Za-z0-9_.:-]{1,64})`);
      continue;
    }
    const clean = cleanValue(value);
    if (clean === undefined) onBad(key, `context key "${key}" needs a string, number, boolean, null or a flat array of them`);
    else out[key] = clean;
  }
  return out;
}

function cleanPrimitive(value: unknown): Primitive | undefined {
  if (typeof value === 'string') return cutString(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'boolean' || value === null) return value;
  return undefined;
}

function cleanValue(value: unknown): PropValue | undefined {
  if (!Array.isArray(value)) return cleanPrimitive(value);
  const out: Primitive[] = [];
  for (const item of value.slice(0, MAX_ARRAY)) {
    const clean = cleanPrimitive(item);
    if (clean === undefined) return undefined;
    out.push(clean);
  }
  return out;
}
