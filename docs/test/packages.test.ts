import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The published shape of every package: checked on package.json and the names the build writes,
// so no build is needed. The build (rollup.config.ts) writes <entry>.js, .cjs, .d.ts and .d.cts.
const root = fileURLToPath(new URL('../../', import.meta.url));
const packages = readdirSync(`${root}packages`).filter((d) => existsSync(`${root}packages/${d}/package.json`));

interface Target { types: string; default: string }
interface Manifest { name: string; type?: string; license?: string; exports: Record<string, string | { import: Target; require: Target }>; seglet?: { entries?: string[] } }

describe.each(packages)('package %s', (dir) => {
  const pkg = JSON.parse(readFileSync(`${root}packages/${dir}/package.json`, 'utf8')) as Manifest;
  const built = new Set((pkg.seglet?.entries ?? ['src/index.ts']).map((e) => e.replace(/^src\//, './dist/').replace(/\.ts$/, '')));

  it('gives import and require their own declarations, types first, for entries the build writes', () => {
    for (const [path, target] of Object.entries(pkg.exports)) {
      if (typeof target === 'string') continue;
      // A .d.ts of a "type": "module" package is ESM to TypeScript: require needs the .d.cts.
      expect(Object.keys(target), path).toEqual(['import', 'require']);
      expect(Object.keys(target.import), path).toEqual(['types', 'default']);
      expect(Object.keys(target.require), path).toEqual(['types', 'default']);
      const base = target.import.default.replace(/\.js$/, '');
      expect(built.has(base), `${path} -> ${base}`).toBe(true);
      expect([target.import.types, target.require.types, target.require.default]).toEqual([`${base}.d.ts`, `${base}.d.cts`, `${base}.cjs`]);
    }
  });

  it('ships a license and a README', () => {
    expect(pkg.license).toBe('MIT');
    expect(existsSync(`${root}packages/${dir}/LICENSE`)).toBe(true);
    expect(existsSync(`${root}packages/${dir}/README.md`)).toBe(true);
  });
});

describe('root scripts', () => {
  const manifest = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { packageManager: string; scripts: Record<string, string> };
  const npx = `npx -y ${manifest.packageManager}`;

  // A fresh machine has Node and npm only: what it runs with npm reaches pnpm through npx.
  it.each(['setup', 'demo', 'test', 'demo:day'])('"%s", run with npm, calls pnpm only through npx', (name) => {
    const script = manifest.scripts[name] ?? '';
    expect(script, name).not.toBe('');
    expect(script.split(npx).join('<npx>'), script).not.toMatch(/\bpnpm\b/);
  });
});

// A CommonJS TypeScript consumer under node16 resolves `require` to the .d.cts, whose imports must
// load as CommonJS too: one of web-vitals' ESM-only types in seglet's .d.cts failed it (TS1479).
describe('the built declarations, as a CommonJS consumer type-checks them', () => {
  it('seglet, seglet/lean and @seglet/core type-check under module node16 without skipLibCheck', async () => {
    const dist = ['browser/dist/index.d.cts', 'browser/dist/lean.d.cts', 'core/dist/index.d.cts'].map((f) => `${root}packages/${f}`);
    expect(dist.filter((f) => !existsSync(f)), 'build first').toEqual([]);
    const { default: ts } = await import('typescript');
    const dir = mkdtempSync(join(tmpdir(), 'seglet-cjs-'));
    try {
      mkdirSync(join(dir, 'node_modules', '@seglet'), { recursive: true });
      symlinkSync(`${root}packages/browser`, join(dir, 'node_modules', 'seglet'), 'dir');
      symlinkSync(`${root}packages/core`, join(dir, 'node_modules', '@seglet', 'core'), 'dir');
      writeFileSync(join(dir, 'package.json'), '{"type":"commonjs"}');
      const file = join(dir, 'consumer.ts');
      writeFileSync(file, "import type { Segments } from 'seglet';\nimport type { SegmentsOptions } from 'seglet/lean';\nimport type { Engine } from '@seglet/core';\nexport type All = [Segments, SegmentsOptions, Engine];\n");
      const program = ts.createProgram([file], { module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16, strict: true, noEmit: true, skipLibCheck: false, types: [] });
      const problems = ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName.replace(root, '') ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
      expect(problems).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
