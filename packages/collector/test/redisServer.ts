import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createClient } from 'redis';
import { freePort } from './freePort.js';

/**
 * A throw-away redis-server on `port`, for tests that stop or pause it: the shared one of
 * globalSetup must stay up for the other files.
 */
export async function redisServer(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise<void>((resolve, reject) => {
    let log = '';
    child.stdout?.on('data', (d: Buffer) => { log += d.toString(); if (log.includes('Ready to accept connections')) resolve(); });
    child.once('exit', (code) => reject(new Error(`redis-server exited ${code}`)));
  });
  child.stdout?.resume();
  return child;
}

/** A throw-away redis-server (its child process kept in `children`) and a client to pause it with. */
export async function pausableRedis(children: ChildProcess[]): Promise<{ url: string; control: ReturnType<typeof createClient> }> {
  const port = await freePort();
  children.push(await redisServer(port));
  const url = `redis://127.0.0.1:${port}`;
  const control = createClient({ url });
  await control.connect();
  return { url, control };
}

/** Redis's count of clients blocked (a write held by CLIENT PAUSE WRITE), as INFO prints it. */
export const blockedClients = async (control: ReturnType<typeof createClient>): Promise<string | undefined> =>
  /blocked_clients:(\d+)/.exec(await control.info('clients'))?.[1];
