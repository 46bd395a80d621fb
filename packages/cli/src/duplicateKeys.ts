import type { Issue } from '@seglet/core';

/** An object or array being read, and where its current member is. */
interface Frame { path: string; keys: Set<string> | null; key: string; index: number }

/**
 * Each key written again in the same object of a valid JSON text, with the JSON pointer of the
 * key. `JSON.parse` keeps the last value without a word, so a segment pasted twice under one id,
 * or a test written twice in one condition, loses the earlier one unseen. The text is walked with
 * a stack of its own, not by recursion: `JSON.parse` reads nesting far deeper than the call stack.
 */
export function duplicateKeys(text: string): Issue[] {
  const issues: Issue[] = [];
  const stack: Frame[] = [];
  // Within an object, a string right after `{` or `,` is a key; any other string is a value.
  let expectKey = false;
  const slot = (): string => {
    const top = stack.at(-1);
    if (top === undefined) return '';
    return `${top.path}/${top.keys === null ? String(top.index) : top.key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const top = stack.at(-1);
      if (expectKey && top !== undefined && top.keys !== null) {
        top.key = JSON.parse(text.slice(i, end + 1)) as string;
        if (top.keys.has(top.key)) issues.push({ path: slot(), message: `"${top.key}" is written more than once in this object; JSON keeps the last one and drops the others` });
        top.keys.add(top.key);
        expectKey = false;
      }
      i = end;
    } else if (c === '{' || c === '[') {
      stack.push({ path: slot(), keys: c === '{' ? new Set() : null, key: '', index: 0 });
      expectKey = c === '{';
    } else if (c === '}' || c === ']') {
      stack.pop();
      expectKey = false;
    } else if (c === ',') {
      const top = stack.at(-1);
      if (top?.keys === null) top.index++;
      else expectKey = true;
    }
  }
  return issues;
}
