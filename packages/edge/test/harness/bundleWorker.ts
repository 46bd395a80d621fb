import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rollup, type Plugin } from 'rollup';
import typescript from '@rollup/plugin-typescript';
import { nodeResolve } from '@rollup/plugin-node-resolve';

const packageDir = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** JSON modules as default exports (the engine cases); rollup has no JSON support of its own. */
const json: Plugin = {
  name: 'seglet-json',
  transform(code, id) {
    return id.endsWith('.json') ? { code: `export default ${code};`, map: null } : null;
  },
};

/**
 * `@seglet/edge` from source, so the example worker is tested without a build of this package,
 * and `#engine-cases/*` from the core's shared engine cases.
 */
const aliases: Plugin = {
  name: 'seglet-edge-aliases',
  resolveId(id) {
    if (id === '@seglet/edge') return resolve(packageDir, 'src/index.ts');
    if (id.startsWith('#engine-cases/')) return resolve(packageDir, '../core/test/cases', id.slice('#engine-cases/'.length));
    return null;
  },
};

/**
 * Bundles worker entries (TypeScript, importing the package's src and `@seglet/core`'s build) as
 * ES modules into `dir`, the way a deploy tool would: one rollup build (one TypeScript program)
 * for all of them; shared code goes into chunks that workerd loads as modules. Returns each
 * entry's file, by name.
 */
export async function bundleWorkers<K extends string>(entries: Record<K, string>, dir: string): Promise<Record<K, string>> {
  const input = Object.fromEntries(Object.entries<string>(entries).map(([name, entry]) => [name, resolve(packageDir, entry)]));
  const bundle = await rollup({
    input,
    plugins: [
      json,
      aliases,
      nodeResolve({ browser: true, exportConditions: ['workerd', 'worker', 'import'] }),
      typescript({
        tsconfig: resolve(packageDir, 'tsconfig.json'),
        include: [`${packageDir}/src/**/*.ts`, `${packageDir}/test/workers/**/*.ts`, `${resolve(packageDir, '../../examples/edge-worker/src')}/**/*.ts`],
        // Types are checked by `tsc -p packages/edge/tsconfig.json` in lint; here only emit.
        compilerOptions: { noEmit: false, noCheck: true, declaration: false, outDir: undefined, rootDir: undefined },
      }),
    ],
    onwarn(warning, warn) {
      if (warning.code !== 'CIRCULAR_DEPENDENCY') warn(warning);
    },
  });
  await bundle.write({ dir, format: 'es', entryFileNames: '[name].mjs', chunkFileNames: 'chunk-[hash].mjs' });
  await bundle.close();
  return Object.fromEntries(Object.keys(entries).map((name) => [name, join(dir, `${name}.mjs`)])) as Record<K, string>;
}
