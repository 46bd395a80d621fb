const LIT = 0, ONE = 1, STAR = 2, DSTAR = 3;

/**
 * Compiles a glob (`*` any run without `/`, `**` any run, `?` one non-`/` character, all else
 * literal) into a matcher. Runs as a set-of-states automaton: linear in pattern x input, so a
 * hostile pattern cannot cause catastrophic backtracking, and no RegExp is built from rule text.
 */
export function compileGlob(pattern: string): (s: string) => boolean {
  const kinds: number[] = [];
  const chars: string[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') {
      let j = i;
      while (pattern[j + 1] === '*') j++;
      kinds.push(j > i ? DSTAR : STAR);
      chars.push('');
      i = j;
    } else {
      kinds.push(c === '?' ? ONE : LIT);
      chars.push(c);
    }
  }
  const m = kinds.length;
  return (s) => {
    let cur = new Uint8Array(m + 1);
    let next = new Uint8Array(m + 1);
    const close = (set: Uint8Array) => {
      for (let i = 0; i < m; i++) if (set[i] && (kinds[i] as number) >= STAR) set[i + 1] = 1;
    };
    cur[0] = 1;
    close(cur);
    // `?` is one character as people count them: a code point, so an emoji is one.
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
