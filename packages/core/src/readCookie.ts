/**
 * The value of the first cookie called `name` in a `Cookie` header or `document.cookie`, read the
 * same way by the browser and the edge: trimmed, surrounding quotes stripped, percent-decoded (left as is when malformed). `null`
 * when absent or empty (a jar may keep `name=` after a delete).
 */
export function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  let from = 0;
  while (from <= header.length) {
    let end = header.indexOf(';', from);
    if (end < 0) end = header.length;
    const eq = header.indexOf('=', from);
    if (eq >= 0 && eq < end && header.slice(from, eq).trim() === name) {
      let value = header.slice(eq + 1, end).trim();
      if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
      if (value === '') return null;
      try {
        return decodeURIComponent(value);
      } catch {
        return value;
      }
    }
    from = end + 1;
  }
  return null;
}
