import { inject } from 'vitest';
import { RedisStore } from '../src/index.js';
import { storeContract } from './storeContract.js';

let n = 0;
storeContract('redis', async (settings) => {
  const prefix = `t${process.pid}:${Date.now()}:${n++}:`;
  const open = () => RedisStore.connect(inject('redisUrl'), { ...settings, prefix });
  return { store: await open(), reopen: open };
});
