const LIT = 0, ONE = 1, STAR = 2, DSTAR = 3;
const SURROGATE = /[\ud800-\udfff]/;

/**
 * Compiles a glob (`*` any run without `/`, `**` any run, `?` one non-`/` character, all else
 * literal) into a matcher. Runs as a set-of-states automaton: linear in pattern x input, so a
 * hostile pattern cannot cause catastrophic backtracking, and no RegExp is built from rule text.
 * Characters are code points on both sides, so `?` is one emoji and a literal emoji matches itself.
 */
export function compileGlob(pattern: string): (s: string) => boolean {
  const kinds: number[] = [];
  const chars: string[] = [];
  const cps = Array.from(pattern);
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i] as string;
    if (c === '*') {
      let j = i;
      while (cps[j + 1] === '*') j++;
      kinds.push(j > i ? DSTAR : STAR);
      chars.push('');
      i = j;
    } else {
      kinds.push(c === '?' ? ONE : LIT);
      chars.push(c);
    }
  }
  const m = kinds.length;
  // The literal runs at both ends, which every match starts and ends with.
  let a = 0, z = m;
  while (a < m && kinds[a] === LIT) a++;
  while (z > a && kinds[z - 1] === LIT) z--;
  const head = chars.slice(0, a).join('');
  const tail = chars.slice(z).join('');
  if (a === m) return (s) => s === pattern;
  // `/blog/**`: with no surrogate in the prefix, code units and code points agree on it.
  if (a === m - 1 && kinds[a] === DSTAR && !SURROGATE.test(head)) return (s) => s.startsWith(head);
  // One pair of state sets per matcher: a test never re-enters itself.
  let cur = new Uint8Array(m + 1);
  let next = new Uint8Array(m + 1);
  const close = (set: Uint8Array) => {
    for (let i = 0; i < m; i++) if (set[i] && (kinds[i] as number) >= STAR) set[i + 1] = 1;
  };
  return (s) => {
    if (s.length < head.length + tail.length || !s.startsWith(head) || !s.endsWith(tail)) return false;
    cur.fill(0);
    cur[0] = 1;
    close(cur);
    for (const c of s) {
      next.fill(0);
      let any = false;
      for (let i = 0; i < m; i++) {
        if (!cur[i]) continue;
        const k = kinds[i];
        if (k === LIT ? chars[i] === c : k === ONE ? c !== '/' : false) { next[i + 1] = 1; any = true; }
        else if (k === DSTAR || (k === STAR && c !== '/')) { next[i] = 1; any = true; }
      }
      if (!any) return false;
      close(next);
      [cur, next] = [next, cur];
    }
    return cur[m] === 1;
  };
}
