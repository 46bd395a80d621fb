/** 32-bit FNV-1a over the UTF-8 bytes of `s` (offset basis 2166136261, prime 16777619). */
export function fnv1a32(s: string): number {
  const bytes = new TextEncoder().encode(s);
  let h = 2166136261;
  for (const b of bytes) h = Math.imul(h ^ b, 16777619) >>> 0;
  return h >>> 0;
}

/** The stable number in [0, 1) that a `bucket` condition compares: same in every runtime. */
export function bucketOf(salt: string, anonymousId: string): number {
  return fnv1a32(`${salt}:${anonymousId}`) / 2 ** 32;
}
