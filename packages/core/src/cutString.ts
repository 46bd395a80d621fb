/** The engine's limit on string values. */
const MAX_STRING = 512;

/** A string cut to the engine's 512 UTF-16 units, never splitting a surrogate pair (collectors and the edge clean page values with it). */
export function cutString(value: string): string {
  if (value.length <= MAX_STRING) return value;
  const code = value.charCodeAt(MAX_STRING - 1);
  return value.slice(0, code >= 0xd800 && code <= 0xdbff ? MAX_STRING - 1 : MAX_STRING);
}
