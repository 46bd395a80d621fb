// Builds every package under packages/: ESM + CJS + .d.ts for each entry listed in the package's
// `seglet.entries` (default `src/index.ts`), and optional IIFE/ESM script builds (`seglet.scripts`).
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, basename } from 'node:path';
import type { RollupOptions } from 'rollup';
import typescript from '@rollup/plugin-typescript';
import terser from '@rollup/plugin-terser';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { dts } from 'rollup-plugin-dts';

interface ScriptBuild { input: string; file: string; format: 'iife' | 'es'; name?: string }
interface PackageJson {
  name: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  seglet?: { entries?: string[]; scripts?: ScriptBuild[]; banner?: Record<string, string> };
}

/**
 * Internals renamed in the minified builds: the engine's (about 240 B of each gzipped bundle) and,
 * in `BROWSER_INTERNAL`, the browser package's (store, backend, cleanup and records, beacon
 * sending, swapper, handlers, lifecycle, collectors, guards; about 140 B of the script tag). Only
 * names that are never public (no option, method or field of an exported type), never persisted
 * (stored records keep their names: beacon state's `nextAt` is not here, nor the erase note's
 * `token`) nor sent (tab messages, beacon bodies, event props), never written as strings (nor
 * tested with `in`), never a property of a DOM or built-in object (`held`, a lock
 * snapshot's, is not here), and never read across bundles (the debug overlay and web-vitals
 * bundles see only the public API, the debug hook's `engine` and `rules`, and the vitals
 * functions). A name is checked with grep over packages/core/src, packages/browser/src and their
 * tests when it is added, and the build compared: the script tag keeps every string literal, and
 * a bundle that does not use the name comes out byte for byte the same. Anything else must keep
 * its name. Names that are also DOM names (terser's domprops list: `alpha`, `head`, `labels`,
 * `log`, `mark`, `points`, `resume`, `sessions`, `touched` here) are renamed too (`builtins`, -57 B of core, -59 B of the
 * script tag), so a name here must never be read off a real DOM or built-in object anywhere in
 * the bundle. One regex for every script build. An internal field or method that shares its name
 * with something public or built in (`items`, `member`, `within`, `hold`, `verdict`, `value`...) is
 * given a name of its own in the source (`recs`, `isMember`, `windowMs`, `holdMs`, `isTrue`,
 * `kindValue`...) so that it can be listed here.
 */
const ENGINE_INTERNAL = /^(sessions|segs|leaves|verdictOf|sessionLeaves|falseSince|maxEvents|judge|retainForText|armClock|clockSegs|dropFront|retainFor|lastT|nTouched|alphasOf|alphas|nDirty|isDirty|liveSessions|armRetention|onAppend|onDropFront|refreshLive|fallToFlip|nodeEnv|dropOld|appendQuiet|focusOnHolds|walkSpans|markContext|natural|byPos|wild|byType|slots|refs|models|heap|due|cond|flips|enters|hourly|starts|touch|touched|widen|unfocus|resume|extremeOf|isMax|plus|minus|counts|live|alpha|queued|numbers|single|fire|labels|points|distances|nearest|crossings|spans|advance|evaluate|loading|whole|small|uses|vals|settle|maxAge|dirty|slot|attr|leaf|order|start|load|reset|off|cur|val|idx|seg|env|output|addModel|attrUse|readers|pos|slotOf|big|drop|down|insert|retention|logistic|records|term|seq|edge|clock|pause|index|head|log|mark|inOrder|topo|rebuild|peek|top|node|model|salt|metric|timer|suggestions|conditions|durations|ids|list|changed|recs|isMember|holdMs|pend|inFocus|windowMs|addRec|dropRec|clearAll|kindValue|isTrue|nSessions|sessionGap|segId|memberOf|progCode|waitMs|afterMs|unlessAlpha|removeAt)$/;
const BROWSER_INTERNAL = /^(getMeta|setMeta|readAll|prune|backend|lockName|onRead|nextKey|openTimeoutMs|puts|deletes|located|batches|corrupt|droppedEvents|forMs|kept|dropped|reused|written|post|guard|guardAsync|pageView|landing|onPageView|onRestore|restored|arm|deadline|pagehide|outcome|retryAfter|filled|originals|draft|badSelectors|prepare|moved|report|known|entered|change|win|settling|putDown|erasing|clearStore|eraseLeavingForget|clearTraces|part|check|stop|removed|update|hide|tab|write|end|unwritten|heard|visible|available|tabId|limits)$/;
const INTERNAL = new RegExp(`${ENGINE_INTERNAL.source}|${BROWSER_INTERNAL.source}`);

const only = process.env.SEGLET_BUILD;
const configs: RollupOptions[] = [];

// core first: the script-tag builds of other packages bundle its dist.
const order = (d: string) => (d === 'core' ? '' : d);
for (const dir of readdirSync('packages').sort((a, b) => order(a).localeCompare(order(b))).map((d) => join('packages', d))) {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) continue;
  const pkg = JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
  if (only && !only.split(',').includes(basename(dir))) continue;
  const deps = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies });
  const external = (id: string) => id.startsWith('node:') || [...deps, pkg.name].some((d) => id === d || id.startsWith(`${d}/`));
  // A package's own tsconfig (DOM or workers types) when it has one.
  const tsconfig = existsSync(join(dir, 'tsconfig.json')) ? join(dir, 'tsconfig.json') : './tsconfig.base.json';
  const ts = () => typescript({
    tsconfig, include: [`${dir}/src/**/*.ts`], exclude: [`${dir}/test/**`, `${dir}/bench/**`],
    compilerOptions: { declaration: false, noEmit: false, outDir: undefined, rootDir: undefined, paths: {} },
  });
  for (const entry of pkg.seglet?.entries ?? ['src/index.ts']) {
    const name = basename(entry, '.ts');
    const banner = pkg.seglet?.banner?.[entry];
    configs.push({
      input: join(dir, entry),
      external,
      plugins: [ts()],
      output: [
        { file: join(dir, 'dist', `${name}.js`), format: 'es', banner },
        { file: join(dir, 'dist', `${name}.cjs`), format: 'cjs', banner, exports: 'named' },
      ],
      onwarn(warning, warn) { if (warning.code !== 'CIRCULAR_DEPENDENCY') warn(warning); },
    });
    // The same declarations as .d.cts for `require`: TypeScript reads a .d.ts of a "type": "module"
    // package as ESM, and a CommonJS consumer then failed with TS1479 though the .cjs loads fine.
    configs.push({ input: join(dir, entry), external, plugins: [dts({ tsconfig: './tsconfig.base.json' })], output: [{ file: join(dir, 'dist', `${name}.d.ts`), format: 'es' }, { file: join(dir, 'dist', `${name}.d.cts`), format: 'es' }] });
  }
  for (const s of pkg.seglet?.scripts ?? []) {
    configs.push({
      input: join(dir, s.input),
      plugins: [nodeResolve({ browser: true }), ts(), terser({ module: s.format === 'es', ecma: 2020, compress: { passes: 5, unsafe_arrows: true, unsafe_methods: true, pure_getters: true }, mangle: { properties: { regex: INTERNAL, builtins: true } } })],
      output: { file: join(dir, s.file), format: s.format, name: s.name, sourcemap: false },
    });
  }
}

export default configs;
