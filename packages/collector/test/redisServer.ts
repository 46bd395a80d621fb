import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

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
