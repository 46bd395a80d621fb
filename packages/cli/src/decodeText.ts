/** A file's text, or why its bytes are not text the commands can read. */
export type DecodeResult = { ok: true; text: string } | { ok: false; problem: string };

/**
 * Decodes a file's bytes: UTF-8, or UTF-16 when a byte order mark says so (Windows PowerShell 5
 * writes `>` redirections that way). Any byte order mark is dropped. Bytes that are not UTF-8
 * (a Latin-1 "ü") are refused, naming the first line that has one: decoded as U+FFFD they would
 * go through silently, a prop that no longer matches its rule or a size that is not the file's.
 */
export function decodeText(bytes: Uint8Array): DecodeResult {
  const encoding = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : 'utf-8';
  try {
    return { ok: true, text: new TextDecoder(encoding, { fatal: true }).decode(bytes) };
  } catch {
    const where = encoding === 'utf-8' ? `line ${badLine(bytes)} is not UTF-8 text` : 'not valid UTF-16 text';
    return { ok: false, problem: `${where}; save the file as UTF-8` };
  }
}

/** The 1-based number of the first line that fails to decode as UTF-8, counting LF bytes. */
function badLine(bytes: Uint8Array): number {
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let start = 0;
  for (let line = 1; ; line++) {
    const lf = bytes.indexOf(0x0a, start);
    const end = lf === -1 ? bytes.length : lf;
    try {
      utf8.decode(bytes.subarray(start, end));
    } catch {
      return line;
    }
    if (lf === -1) return line;
    start = lf + 1;
  }
}
