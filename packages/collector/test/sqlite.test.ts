import { SqliteStore } from '../src/index.js';
import { storeContract } from './storeContract.js';
import { tmpDb } from './helpers.js';

storeContract('sqlite', async (settings) => {
  const file = tmpDb();
  return { store: new SqliteStore(file, settings), reopen: async (changed = {}) => new SqliteStore(file, { ...settings, ...changed }) };
});
