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

/** JSON with object keys sorted at every level; `undefined` members dropped as `JSON.stringify` does. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const bag = value as Record<string, unknown>;
    const parts = Object.keys(bag).sort()
      .filter((key) => bag[key] !== undefined && typeof bag[key] !== 'function')
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(bag[key])}`);
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
