// Worker-thread entry of SqliteStore.open: owns the database connection, so fsyncs happen off the
// HTTP thread. Messages are handled one at a time, in order.
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteCore } from './SqliteCore.js';
import type { StoreSettings } from './Store.js';

const data = workerData as { file: string; settings: StoreSettings };
let core: SqliteCore | undefined;
try {
  core = new SqliteCore(data.file, data.settings);
  parentPort?.postMessage({ ready: true });
} catch (e) {
  parentPort?.postMessage({ error: (e as Error).message });
}

parentPort?.on('message', (m: { id: number; op: keyof SqliteCore; args: unknown[] }) => {
  try {
    if (!core) throw new Error('seglet: database not open');
    const result = (core[m.op] as (...a: unknown[]) => unknown)(...m.args);
    parentPort?.postMessage({ id: m.id, result });
  } catch (e) {
    parentPort?.postMessage({ id: m.id, error: (e as Error).message });
  }
});
