/** The engine's limit on string values. */
const MAX_STRING = 512;

/**
 * A string cut to `max` UTF-16 units (the engine's 512 by default), one fewer when the cut would
 * split a surrogate pair (collectors and the edge clean page values with it; messages quote with it).
 */
export function cutString(value: string, max = MAX_STRING): string {
  if (value.length <= max) return value;
  const high = value.charCodeAt(max - 1);
  const low = value.charCodeAt(max);
  const splits = high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff;
  return value.slice(0, splits ? max - 1 : max);
}
