/**
 * A deliberately simple glob matcher for the model (spec 3.1): `*` any run without `/`, `**` (or a
 * run of three or more stars) any run, `?` one character other than `/`, everything else literal.
 * Plain recursive backtracking, memoised so a hostile pattern stays polynomial.
 */
export function globMatch(pattern: string, value: string): boolean {
  // reading: a "character" for `?` is a Unicode code point, not a UTF-16 code unit (a user expects
  // `?` to match one emoji).
  const p = tokenize(pattern);
  const s = Array.from(value);
  const memo = new Map<number, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = i * (s.length + 1) + j;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let result: boolean;
    const tok = p[i];
    if (tok === undefined) result = j === s.length;
    else if (tok === '**') {
      result = false;
      for (let k = j; k <= s.length && !result; k++) result = go(i + 1, k);
    } else if (tok === '*') {
      result = false;
      for (let k = j; k <= s.length && !result; k++) {
        result = go(i + 1, k);
        if (s[k] === '/') break;
      }
    } else if (tok === '?') result = j < s.length && s[j] !== '/' && go(i + 1, j + 1);
    else result = s[j] === tok.slice(1) && go(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return go(0, 0);
}

/** Tokens: '**', '*', '?', or 'L' + one literal code point. */
function tokenize(pattern: string): string[] {
  const chars = Array.from(pattern);
  const out: string[] = [];
  for (let i = 0; i < chars.length; ) {
    if (chars[i] === '*') {
      let n = 0;
      while (chars[i] === '*') { n++; i++; }
      out.push(n >= 2 ? '**' : '*');
    } else {
      out.push(chars[i] === '?' ? '?' : 'L' + chars[i]);
      i++;
    }
  }
  return out;
}
