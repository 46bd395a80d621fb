/** 32-bit FNV-1a of the UTF-8 bytes of `s`. */
export function fnv1a32(s: string): number {
  let h = 2166136261;
  for (const b of new TextEncoder().encode(s)) {
    h ^= b;
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h;
}

/** `bucket` value of spec 3.2. */
export function bucketValue(salt: string, anonymousId: string): number {
  return fnv1a32(`${salt}:${anonymousId}`) / 2 ** 32;
}
