import { SqliteStore } from './SqliteStore.js';
import { RedisStore } from './RedisStore.js';
import type { Store, StoreSettings } from './Store.js';

/**
 * Opens the store the options ask for: `redis` URL, else the SQLite file `db` (default
 * `./seglet.db`). Giving both is an error, so a deployment never writes to the wrong one.
 */
export async function openStore(options: { db?: string; redis?: string; storeTimeoutMs?: number }, settings: StoreSettings, report: (e: unknown) => void): Promise<Store> {
  if (options.db !== undefined && options.redis !== undefined) throw new Error('seglet: --db and --redis are mutually exclusive');
  if (options.redis !== undefined) {
    // A request waits storeTimeoutMs for the store: the background work gives Redis as long.
    const store = await RedisStore.connect(options.redis, { ...settings, onError: report, commandTimeoutMs: options.storeTimeoutMs });
    const d = await store.durability();
    if (d && (d.appendonly !== 'yes' || d.appendfsync !== 'always')) {
      console.warn(`seglet: Redis has appendonly=${d.appendonly} appendfsync=${d.appendfsync}; acknowledged beacons survive a crash only with appendonly yes and appendfsync always`);
    }
    return store;
  }
  return SqliteStore.open(options.db ?? './seglet.db', settings);
}
