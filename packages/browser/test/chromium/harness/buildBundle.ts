import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import nodeResolve from '@rollup/plugin-node-resolve';
import { rollup, type Plugin } from 'rollup';
import ts from 'typescript';

const here = dirname(fileURLToPath(import.meta.url));
const coreSrc = resolve(here, '../../../../core/src');

/**
 * Strips types with `transpileModule` (type checking is lint's job) and maps `./x.js` imports to
 * their `.ts` sources. `@seglet/core` points at the three core modules storage and the beacon use, so the harness
 * does not depend on the state of the engine being written beside it.
 */
function typescriptSources(): Plugin {
  const CORE = '\0seglet-core';
  return {
    name: 'seglet-test-ts',
    resolveId(source, importer) {
      if (source === '@seglet/core') return CORE;
      if (importer && source.startsWith('.') && source.endsWith('.js')) {
        const candidate = resolve(dirname(importer), source.replace(/\.js$/, '.ts'));
        if (existsSync(candidate)) return candidate;
      }
      return null;
    },
    load(id) {
      if (id !== CORE) return null;
      return `export { SegletError } from ${JSON.stringify(join(coreSrc, 'SegletError.ts'))};\n`
        + `export { parseDuration } from ${JSON.stringify(join(coreSrc, 'parseDuration.ts'))};\n`
        + `export { bucketOf } from ${JSON.stringify(join(coreSrc, 'fnv1a.ts'))};\n`;
    },
    transform(code, id) {
      if (!id.endsWith('.ts')) return null;
      const out = ts.transpileModule(code, {
        fileName: id,
        compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, sourceMap: true, verbatimModuleSyntax: true },
      });
      return { code: out.outputText, map: out.sourceMapText ?? null };
    },
  };
}

/** Builds `entry` into an IIFE assigning its exports to `window[name]`; returns the file written. */
export async function buildBundle(entry: string, file: string, name: string): Promise<string> {
  const bundle = await rollup({ input: entry, plugins: [typescriptSources(), nodeResolve({ browser: true })], logLevel: 'silent' });
  try {
    await bundle.write({ file, format: 'iife', name, sourcemap: 'inline' });
  } finally {
    await bundle.close();
  }
  return file;
}
