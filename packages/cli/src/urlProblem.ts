import { fileURLToPath } from 'node:url';

// A scheme and `//`: `https://`, `s3://`, `file:///`. A Windows path (`C:\rules.json`) has no `//`.
const URL_LIKE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/**
 * Why a path that could not be found is no file, when it is a URL: the commands read files only,
 * and "no such file" for `https://...` left the user guessing. `piped` is the command line that
 * reads the same input from standard input (`seglet check -`), shown after `curl ... |`. Null
 * for anything that does not look like a URL.
 */
export function urlProblem(path: string, piped: string): string | null {
  if (!URL_LIKE.test(path)) return null;
  if (/^file:/i.test(path)) {
    try {
      return `file URLs are not read; give the path: ${fileURLToPath(path)}`;
    } catch {
      // A file URL Node cannot turn into a path (another host): said like any other URL.
    }
  }
  return `URLs are not fetched; download it and give - to read it from standard input: curl -fsSL ${shellWord(path)} | ${piped}`;
}

/** `word` as one shell word: as is when it has no character a shell treats specially, else single-quoted. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}
