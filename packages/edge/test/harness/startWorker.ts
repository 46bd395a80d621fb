import { dirname } from 'node:path';
import { Miniflare } from 'miniflare';

/** A compatibility date the pinned miniflare's bundled workerd supports (no Node compatibility flag). */
export const COMPATIBILITY_DATE = '2026-04-24';

/** Starts a bundled worker in real workerd through miniflare, with optional text bindings (`env`). */
export async function startWorker(scriptPath: string, bindings: Record<string, string> = {}): Promise<Miniflare> {
  const mf = new Miniflare({ modules: true, scriptPath, modulesRoot: dirname(scriptPath), compatibilityDate: COMPATIBILITY_DATE, bindings });
  await mf.ready;
  return mf;
}
