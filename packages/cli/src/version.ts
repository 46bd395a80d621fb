import { readFileSync } from 'node:fs';

/**
 * The version of `@seglet/cli`, from its own package.json. Read when asked, not at import, so a
 * program that imports the commands never opens the file. The built modules sit in `dist/` as the
 * sources sit in `src/`: `../package.json` is the package's own from either, and the published
 * package ships it.
 */
export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
