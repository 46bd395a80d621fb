// The package's own `seglet/debug` export, as the ESM entry imports it: declared here so type
// checking does not depend on `dist/debug.d.ts` existing yet (a fresh clone lints before building).
declare module 'seglet/debug' {
  import type { Segments } from '../types.js';

  export function mountDebug(segments: Segments, win?: Window): () => void;
}
