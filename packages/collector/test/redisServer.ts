import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
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

/**
 * A loopback server that accepts connections and never answers, as a wedged Redis (or another
 * service on its port) does. `connected` once a client has connected, `released` once that client
 * let go of its socket; `close()` drops what is still open.
 */
export async function wedgedRedis(): Promise<{ url: string; host: string; connected: Promise<void>; released: Promise<void>; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer();
  let connect = (): void => {};
  let release = (): void => {};
  const connected = new Promise<void>((resolve) => { connect = resolve; });
  const released = new Promise<void>((resolve) => { release = resolve; });
  server.on('connection', (s) => {
    sockets.add(s);
    // Read, or the end of a socket the client closed is never seen.
    s.resume();
    s.on('close', () => release());
    connect();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `redis://${host}`, host, connected, released,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * A loopback proxy to `port`, standing for the network path to Redis. `blackHole()` makes the
 * connections open so far go silent both ways without a reset, as a vanished host or a dropped
 * NAT entry does; connections opened afterwards are forwarded as before (a failed-over host at
 * the same address). `hold(true)` makes the connections opened from then on be accepted and never
 * answered (a stopped Redis behind its listen backlog, a black-holing load balancer), `held()`
 * counting them; `hold(false)` forwards new ones again. `reset()` closes the connections open so
 * far, so the client reconnects. `close()` drops everything.
 */
export async function redisPath(port: number): Promise<{ url: string; blackHole: () => void; hold: (on: boolean) => void; held: () => number; reset: () => void; close: () => Promise<void> }> {
  const open = new Set<Socket>();
  let holding = false;
  let held = 0;
  const server = createServer((inbound) => {
    if (holding) {
      held++;
      open.add(inbound);
      inbound.on('error', () => {});
      inbound.on('close', () => open.delete(inbound));
      // Read, or the end of a socket the client closed is never seen.
      inbound.resume();
      return;
    }
    const outbound = connect(port, '127.0.0.1');
    let silent = false;
    const pair = [inbound, outbound];
    for (const s of pair) { open.add(s); s.on('error', () => {}); s.on('close', () => open.delete(s)); }
    inbound.on('data', (d: Buffer) => { if (!silent) outbound.write(d); });
    outbound.on('data', (d: Buffer) => { if (!silent) inbound.write(d); });
    inbound.on('close', () => { if (!silent) outbound.destroy(); });
    outbound.on('close', () => { if (!silent) inbound.destroy(); });
    holes.push(() => { silent = true; });
  });
  const holes: (() => void)[] = [];
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `redis://127.0.0.1:${(server.address() as AddressInfo).port}`,
    blackHole: () => { for (const h of holes.splice(0)) h(); },
    hold: (on) => { holding = on; },
    held: () => held,
    reset: () => { for (const s of open) s.destroy(); },
    close: async () => {
      for (const s of open) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
