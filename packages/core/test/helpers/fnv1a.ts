/**
 * Independent reference for `bucket`: FNV-1a 32-bit over UTF-8 bytes, divided by 2^32.
 * Written from the published algorithm (offset basis 2166136261, prime 16777619), not from the engine.
 */
export function fnv1a32(text: string): number {
  const bytes = new TextEncoder().encode(text);
  let h = 2166136261;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h >>> 0;
}

export function bucketOf(salt: string, anonymousId: string): number {
  return fnv1a32(`${salt}:${anonymousId}`) / 2 ** 32;
}
