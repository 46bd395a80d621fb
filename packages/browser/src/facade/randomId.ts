/** 16 hex digits from `crypto.getRandomValues` (Math.random where crypto is missing): tab and anonymous ids. */
export function randomId(): string {
  const bytes = new Uint8Array(8);
  try {
    crypto.getRandomValues(bytes);
  } catch {
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  }
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Whether `v` has the shape of an anonymous id seglet keeps or sends (the collector's own rule). */
export function isAnonymousId(v: unknown): v is string {
  return typeof v === 'string' && /^[A-Za-z0-9_-]{1,128}$/.test(v);
}
