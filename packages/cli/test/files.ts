import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A rule set from the core's shared engine cases. */
export const scenario = (name: string): string =>
  fileURLToPath(new URL(`../../core/test/cases/scenarios/${name}.json`, import.meta.url));

const dir = mkdtempSync(join(tmpdir(), 'seglet-cli-'));

/** Writes `text`, bytes (a Buffer) or `value` as JSON to a fresh temporary file and returns its path. */
export function tempFile(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' || Buffer.isBuffer(content) ? content : JSON.stringify(content));
  return path;
}

/** A path that does not exist. */
export const missing = join(dir, 'does-not-exist.json');
