import { at, fail, isPlainObject } from './validateShared.js';

type Holder = Record<string | number, unknown>;

/**
 * Copies `holder[key]` (found at `path`) as plain data, reading every value once: validation and
 * the engine both use the copy, so a getter that answers differently the second time, or a caller
 * that mutates its rule set afterwards, cannot change what runs from what was validated. Plain
 * objects and arrays are copied; anything that is not a plain object or an array is kept as is, for validation to report at its
 * path. An object met again is its copy again, so shared objects cost one copy and a cycle stays
 * a cycle (validation's depth limit reports it). Below `depth` 100, deeper than any valid rule
 * set goes, nothing is copied: validation stops before it, and the stack stays short.
 * A value that cannot be read (a throwing getter or Proxy trap, a revoked Proxy) is reported.
 */
export function snapshot(holder: object, key: string | number, path: string, seen: Map<object, unknown>, depth = 0): unknown {
  try {
    const value = (holder as Holder)[key];
    if (typeof value !== 'object' || value === null || depth > 99) return value;
    const copy = seen.get(value);
    if (copy) return copy;
    const array = Array.isArray(value);
    if (!array && !isPlainObject(value)) return value;
    const out = (array ? [] : {}) as Holder;
    seen.set(value, out);
    // Every index of an array: a hole is copied as undefined, which validation reports.
    for (const k of array ? (value as unknown[]).keys() : Object.keys(value)) {
      const v = snapshot(value, k, at(path, k), seen, depth + 1);
      // Assigned, `__proto__` would set the copy's prototype: it stays an own key, as JSON.parse
      // makes it, for validation to report.
      if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true });
      else out[k] = v;
    }
    return out;
  } catch {
    fail(path, 'could not be read');
  }
}
