/**
 * A short, stable hash of a rule set, stored in the snapshot so a changed rule set invalidates it.
 * FNV-1a (32 bits) over the UTF-16 code units of a canonical JSON (object keys sorted, arrays kept
 * in order), suffixed with that JSON's length in base 36 to make accidental collisions rarer still.
 * Not cryptographic: it only has to notice that the rules changed.
 */
export function rulesHash(rules: unknown): string {
  const text = canonicalJson(rules);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `${h.toString(16).padStart(8, '0')}-${text.length.toString(36)}`;
}

/**
 * JSON with object keys sorted at every level; `undefined` members dropped as `JSON.stringify` does.
 * Built by plain loops and concatenation: this runs before the first paint, on code not yet warm,
 * where each array method with a callback costs more than the loop it replaces.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    let s = '[';
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      s += (i ? ',' : '') + (item === undefined ? 'null' : canonicalJson(item));
    }
    return `${s}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const bag = value as Record<string, unknown>;
    const keys = Object.keys(bag).sort();
    let s = '{';
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      const v = bag[key];
      if (v === undefined || typeof v === 'function') continue;
      s += `${s.length > 1 ? ',' : ''}${JSON.stringify(key)}:${canonicalJson(v)}`;
    }
    return `${s}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
