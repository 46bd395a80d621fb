// What a bundler keeps of the shipped ESM build (dist/, as npm users get it): from `seglet/lean`,
// only the collectors the page imports. No browser is needed; it runs with the shipped-build tests.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { rollup } from 'rollup';
import { parseAst } from 'rollup/parseAst';
import { describe, expect, it } from 'vitest';
import { COLLECTORS } from '../../src/facade/startCollectors.js';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
/** A function each collector alone brings into a bundle (one for every collector `collect` names). */
const MARKS: Record<(typeof COLLECTORS)[number], RegExp> = {
  pageViews: /function collectPageViews\b/, clicks: /function clickProps\b/, scroll: /function collectScroll\b/,
  dataLayer: /function ecommerceEvent\b/, vitals: /function collectVitals\b/,
};

/** The code rollup keeps of an app whose only module is `app`. */
async function bundle(app: string): Promise<string> {
  expect(existsSync(`${dist}lean.js`), 'dist/lean.js is missing: run the build first').toBe(true);
  const build = await rollup({
    input: 'app',
    external: ['@seglet/core', 'idb-keyval', 'web-vitals'],
    plugins: [{ name: 'app', resolveId: (id) => (id === 'app' ? id : null), load: (id) => (id === 'app' ? app : null) }],
    onwarn: () => {},
  });
  const { output } = await build.generate({ format: 'es' });
  return output.map((chunk) => (chunk.type === 'chunk' ? chunk.code : '')).join('\n');
}

describe('tree-shaking of the shipped ESM build', () => {
  it.each(COLLECTORS)('seglet/lean with only %s keeps that collector and none of the others', async (name) => {
    const code = await bundle(`import { createSegments, ${name} } from ${JSON.stringify(`${dist}lean.js`)};\ncreateSegments({ rules: '#rules' }, { ${name} });\n`);
    for (const other of COLLECTORS) expect(MARKS[other].test(code), other).toBe(other === name);
    // web-vitals is imported by the vitals collector only, and then lazily.
    expect(code.includes('web-vitals')).toBe(name === 'vitals');
    expect(code).not.toMatch(/^import .*web-vitals/m);
  });

  it('seglet keeps every collector (collect picks at run time)', async () => {
    const code = await bundle(`import { createSegments } from ${JSON.stringify(`${dist}index.js`)};\ncreateSegments({ rules: '#rules' });\n`);
    for (const name of COLLECTORS) expect(MARKS[name].test(code), name).toBe(true);
  });

  // esbuild, unlike rollup, does not look into a function to see that calling it does nothing: an
  // unmarked top-level call kept all of rule validation (13 kB) in an app that imported SegletError.
  it.each(['../../core/dist/index.js', 'index.js', 'lean.js'])('every call and new at the top level of %s is marked pure', (file) => {
    const code = readFileSync(new URL(file, `file://${dist}`), 'utf8');
    const unmarked: string[] = [];
    const visit = (node: unknown): void => {
      if (typeof node !== 'object' || node === null) return;
      const n = node as { type?: string; start: number };
      if (typeof n.type !== 'string' || /Function|ClassBody/.test(n.type)) return;
      if ((n.type === 'CallExpression' || n.type === 'NewExpression') && !/__PURE__\*\/\s*$/.test(code.slice(Math.max(0, n.start - 30), n.start))) unmarked.push(code.slice(n.start, n.start + 60));
      for (const v of Object.values(n)) (Array.isArray(v) ? v : [v]).forEach(visit);
    };
    for (const statement of parseAst(code).body) if (statement.type !== 'FunctionDeclaration' && statement.type !== 'ImportDeclaration' && !statement.type.startsWith('Export')) visit(statement);
    expect(unmarked).toEqual([]);
  });
});
