import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// What `pnpm pack` (and so `pnpm publish`) puts in each package's tarball, from the build `npm test`
// runs first. `npm pack` would ship "workspace:*" as it is, a dependency no registry can resolve:
// publish with pnpm, which writes the version in its place. This checks that it did.
const root = fileURLToPath(new URL('../../', import.meta.url));
const packages = readdirSync(`${root}packages`).filter((d) => existsSync(`${root}packages/${d}/package.json`));
const read = (dir: string): Manifest => JSON.parse(readFileSync(`${root}packages/${dir}/package.json`, 'utf8')) as Manifest;
/** The version of each workspace package, by name. */
const versions = new Map(packages.map(read).map((m) => [m.name, m.version]));
const out = mkdtempSync(join(tmpdir(), 'seglet-pack-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** pnpm as the test run was started with (`pnpm run`, `pnpm exec`), else the pinned one through npx. */
function pnpm(args: string[], cwd: string): string {
  const cli = process.env.npm_execpath;
  const [cmd, pre] = cli && /pnpm/.test(cli) ? [process.execPath, [cli]] : ['npx', ['-y', 'pnpm@10.34.8']];
  return execFileSync(cmd, [...pre, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

interface Manifest {
  name: string; version: string; bin?: Record<string, string>;
  dependencies?: Record<string, string>; peerDependencies?: Record<string, string>; optionalDependencies?: Record<string, string>;
  exports: Record<string, string | { import: Record<string, string>; require: Record<string, string> }>;
}

describe.each(packages)('the tarball of package %s', (dir) => {
  const pkgDir = `${root}packages/${dir}`;
  let files: string[] = [];
  let manifest: Manifest;

  // pnpm pack runs as a child process (through npx when not started by pnpm): 2.9-5.1 s each here
  // while other work shared the 2 cores, and vitest's 5 s default failed two of the five.
  it('is packed with every dependency a version, not a workspace link', { timeout: 30_000 }, () => {
    const before = new Set(readdirSync(out));
    pnpm(['pack', '--pack-destination', out], pkgDir);
    const tarball = readdirSync(out).find((f) => !before.has(f)) as string;
    files = execFileSync('tar', ['-tzf', join(out, tarball)], { encoding: 'utf8' }).split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
    manifest = JSON.parse(execFileSync('tar', ['-xzOf', join(out, tarball), 'package/package.json'], { encoding: 'utf8' })) as Manifest;
    const source = read(dir);
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies'] as const) {
      for (const [name, range] of Object.entries(manifest[field] ?? {})) {
        expect(range, `${field}.${name}`).not.toMatch(/^workspace:/);
        // A workspace package is pinned to the version it was built and tested with.
        if (source[field]?.[name]?.startsWith('workspace:')) {
          expect(range, `${field}.${name}`).toBe(versions.get(name));
        }
      }
    }
  });

  it('holds every file its exports and bin name, and no sources or tests', () => {
    const named = Object.values(manifest.exports).flatMap((t) => (typeof t === 'string' ? [t] : [...Object.values(t.import), ...Object.values(t.require)]));
    for (const path of [...named, ...Object.values(manifest.bin ?? {})]) expect(files, path).toContain(path.replace(/^\.\//, ''));
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE']));
    expect(files.filter((f) => !/^(dist\/|package\.json$|README\.md$|LICENSE$)/.test(f))).toEqual([]);
    expect(files.filter((f) => /\.test\.|^dist\/.*\.tsbuildinfo$/.test(f))).toEqual([]);
  });
});
