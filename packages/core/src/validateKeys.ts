import { at, ctx, fail, show, validateForbiddenKey, type ValidationContext } from './validateShared.js';

/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent transposition), so that the
 * common typo `witihn` is one edit from `within`.
 */
export function editDistance(a: string, b: string): number {
  let before: number[] = [];
  let previous: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + +(a[i - 1] !== b[j - 1]));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (before[j - 2] as number) + 1);
      current.push(d);
    }
    before = previous;
    previous = current;
  }
  return previous[b.length] as number;
}

/**
 * The closest candidate to a misspelt `word`, or undefined when none is close: same letters in
 * another case, or at most one edit per three characters (at least one, at most three).
 */
export function suggest(context: ValidationContext, word: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  // A long unknown word cannot be near a short candidate: skip the quadratic search outright.
  if (word.length > 64 + limit || context.suggestions-- <= 0) return undefined;
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const other = candidate.toLowerCase();
    if (other === lower) return candidate;
    if (Math.abs(candidate.length - word.length) >= bestDistance) continue;
    const d = editDistance(lower, other);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** `; did you mean "x"?` when a candidate is close, else the empty string. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const hit = suggest(ctx, word, candidates);
  return hit === undefined ? '' : `; did you mean "${hit}"?`;
}

/**
 * Reports every key of `object` that is not in `allowed`, with a did-you-mean for near typos.
 * `elsewhere` holds keys that exist in the language but not here, which get a clearer message.
 * `keys` spares a second `Object.keys` when the caller already has them.
 */
export function validateKeys(
  object: Record<string, unknown>,
  path: string,
  allowed: readonly string[],
  owner: string,
  elsewhere?: ReadonlySet<string>,
  keys: readonly string[] = Object.keys(object),
): void {
  for (const key of keys) {
    if (allowed.includes(key)) continue;
    const keyPath = at(path, key);
    if (validateForbiddenKey(key, keyPath)) continue;
    if (elsewhere?.has(key)) fail(keyPath, `"${key}" is not allowed in ${owner}`);
    else fail(keyPath, `unknown key ${show(key)} in ${owner}${didYouMean(key, allowed) || `; allowed: ${allowed.join(', ')}`}`);
  }
}
