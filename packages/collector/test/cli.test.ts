import { describe, expect, inject, it } from 'vitest';
import { Agent, request } from 'node:http';
import { ORIGIN, TOKEN, batch, exited, launchCli, post, read, runCli, spawnCli, tmpDb } from './helpers.js';
import { wedgedRedis } from './redisServer.js';
import { createCollector, parseArgs } from '../src/index.js';

const cli = inject('cliPath');
const base = ['--port', '0', '--allow-origin', ORIGIN, '--token', TOKEN, '--rate-limit', '0'];

describe('seglet-collector CLI (spawned with node)', () => {
  it('prints listening on http://HOST:PORT, defaults to 127.0.0.1, answers /healthz without a token', async () => {
    const { child, url } = await spawnCli(cli, [...base, '--db', tmpDb()]);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const h = await fetch(`${url}/healthz`);
    expect(h.status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
  });

  it('acknowledged beacons survive kill -9 and restart', async () => {
    const db = tmpDb();
    const first = await spawnCli(cli, [...base, '--db', db]);
    const T = Date.now() - 1000;
    const acked: string[] = [];
    // Fire many beacons concurrently and kill the process while some are still in flight.
    const inflight = Array.from({ length: 400 }, (_, i) => post(first.url, batch(`k${i}`, [{ segment: 'durable', member: true, t: T }]))
      .then((r) => { if (r.status === 204) acked.push(`k${i}`); }, () => {}));
    // Kill once some are acknowledged and others are still in flight.
    for (let i = 0; i < 500 && acked.length < 25; i++) await new Promise((r) => setTimeout(r, 10));
    first.child.kill('SIGKILL');
    await Promise.all(inflight);
    await exited(first.child);
    expect(acked.length).toBeGreaterThan(0);
    const second = await spawnCli(cli, [...base, '--db', db]);
    for (const id of acked) {
      const p = await read(second.url, `/v1/profiles/${id}`);
      expect(p.status, id).toBe(200);
      expect(p.json()).toMatchObject({ members: ['durable'] });
    }
    const seg = (await read(second.url, '/v1/segments?days=1')).json() as { segments: { id: string; members: number }[] };
    expect(seg.segments.find((s) => s.id === 'durable')?.members).toBeGreaterThanOrEqual(acked.length);
    second.child.kill('SIGTERM');
    expect(await exited(second.child)).toBe(0);
  });

  it('refuses to start while another process holds the database', async () => {
    const db = tmpDb();
    const first = await spawnCli(cli, [...base, '--db', db]);
    const second = await runCli(cli, [...base, '--db', db]);
    expect(second.code).not.toBe(0);
    expect(second.output).toMatch(/seglet: database .* is in use by another process/);
    first.child.kill('SIGTERM');
    expect(await exited(first.child)).toBe(0);
  });

  it('SIGTERM drains: an in-flight request is answered, new connections refused, exit 0 within 5 s', async () => {
    const { child, url } = await spawnCli(cli, [...base, '--db', tmpDb()]);
    const agent = new Agent({ keepAlive: true });
    // A request whose body is still arriving when SIGTERM lands.
    const answer = new Promise<number>((resolve, reject) => {
      const r = request(`${url}/v1/beacon`, { method: 'POST', agent, headers: { Origin: ORIGIN, 'Content-Type': 'text/plain' } }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
      r.on('error', reject);
      const body = JSON.stringify(batch('drain', [{ segment: 'x', member: true, t: Date.now() }]));
      r.write(body.slice(0, 10));
      setTimeout(() => { child.kill('SIGTERM'); setTimeout(() => r.end(body.slice(10)), 300); }, 200);
    });
    const started = Date.now();
    expect(await answer).toBe(204);
    expect(await exited(child)).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
    agent.destroy();
  });

  it('SIGTERM: a request already in flight is answered with Connection: close, so the drain ends with it', async () => {
    const { child, url } = await spawnCli(cli, [...base, '--db', tmpDb()]);
    const agent = new Agent({ keepAlive: true });
    // Its headers arrive before SIGTERM, its body after: a keep-alive answer would leave the
    // connection open until the drain deadline, which then cuts whatever the client sends on it.
    const answer = new Promise<{ status: number; connection: string | undefined; at: number }>((resolve, reject) => {
      const r = request(`${url}/v1/beacon`, { method: 'POST', agent, headers: { Origin: ORIGIN, 'Content-Type': 'text/plain' } }, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, at: Date.now() });
      });
      r.on('error', reject);
      const body = JSON.stringify(batch('drain-close', [{ segment: 'x', member: true, t: Date.now() }]));
      r.write(body.slice(0, 10));
      setTimeout(() => { child.kill('SIGTERM'); setTimeout(() => r.end(body.slice(10)), 300); }, 200);
    });
    const a = await answer;
    expect(a.status).toBe(204);
    expect(a.connection).toBe('close');
    expect(await exited(child)).toBe(0);
    expect(Date.now() - a.at).toBeLessThan(1_500);
    agent.destroy();
  });

  it('a repeated SIGTERM does not cut the drain short (systemd and npx each deliver one)', async () => {
    const { child, url } = await spawnCli(cli, [...base, '--db', tmpDb()]);
    // systemd's default KillMode signals every process of the unit, and npm/npx forwards the
    // signal it gets to its child: a collector started with `npx seglet-collector` gets two.
    const answer = new Promise<number>((resolve, reject) => {
      const r = request(`${url}/v1/beacon`, { method: 'POST', agent: false, headers: { Origin: ORIGIN, 'Content-Type': 'text/plain' } }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
      r.on('error', reject);
      const body = JSON.stringify(batch('drain-twice', [{ segment: 'x', member: true, t: Date.now() }]));
      r.write(body.slice(0, 10));
      setTimeout(() => {
        child.kill('SIGTERM');
        setTimeout(() => { child.kill('SIGTERM'); setTimeout(() => r.end(body.slice(10)), 200); }, 50);
      }, 200);
    });
    expect(await answer).toBe(204);
    expect(await exited(child)).toBe(0);
  });

  it('exits 0 within 5 s on SIGTERM even with an idle keep-alive client', async () => {
    const { child, url } = await spawnCli(cli, [...base, '--db', tmpDb()]);
    const agent = new Agent({ keepAlive: true });
    await new Promise<void>((resolve) => request(`${url}/healthz`, { agent }, (res) => { res.resume(); res.on('end', resolve); }).end());
    const started = Date.now();
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
    agent.destroy();
  });

  it('exits 0 on SIGTERM while its store is still opening (a Redis that accepts and never answers)', async () => {
    // The TCP connection opens, no reply ever comes, so startup does not end by itself.
    const wedged = await wedgedRedis();
    const { child, output } = launchCli(cli, [...base, '--redis', wedged.url], { SEGLET_TOKEN: '', SEGLET_REDIS_URL: '' });
    try {
      await wedged.connected;
      const started = Date.now();
      child.kill('SIGTERM');
      const code = await exited(child);
      expect({ code, signal: child.signalCode, out: output() }).toEqual({ code: 0, signal: null, out: '' });
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      child.kill('SIGKILL');
      await wedged.close();
    }
  });

  it.each<[string, string[], RegExp, Record<string, string>?]>([
    ['no token', ['--port', '0', '--db', 'x.db'], /--token/],
    ['--db with SEGLET_REDIS_URL', [...base, '--db', 'x.db'], /mutually exclusive/, { SEGLET_REDIS_URL: 'redis://127.0.0.1:1' }],
    ['a Redis that cannot be reached', [...base, '--redis', 'redis://127.0.0.1:1'], /seglet: cannot connect to Redis at 127\.0\.0\.1:1/],
  ])('exits non-zero with a seglet: message for %s', async (_name, args, message, env = {}) => {
    const r = await runCli(cli, args, env);
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(/seglet: /);
    expect(r.output).toMatch(message);
  });

  it.each<[string, string[], RegExp]>([
    ['--db with --redis', [...base, '--db', 'x.db', '--redis', 'redis://127.0.0.1:1'], /mutually exclusive/],
    ['a bad origin', [...base, '--allow-origin', 'https://shop.example/path'], /--allow-origin/],
    ['a bad port', [...base, '--port', '70000'], /--port/],
    ['a bad rate', [...base, '--rate-limit', 'fast'], /--rate-limit/],
    ['a keep-alive timeout with a unit', [...base, '--keep-alive-timeout', '65s'], /--keep-alive-timeout must be an integer/],
    ['a webhook without secret', [...base, '--webhook', 'http://127.0.0.1:1/'], /--webhook-secret/],
    ['an unknown flag', [...base, '--colour'], /Unknown option/],
    // A client can never send these in `Authorization: Bearer ...`: every read would be a 401.
    ['a token with a space', ['--token', 'read token'], /seglet: the token must be/],
    ['a non-ASCII token', ['--token', 'tökén'], /seglet: the token must be/],
    // An empty HMAC key signs with nothing secret: anyone could forge X-Seglet-Signature.
    ['an empty webhook secret', [...base, '--webhook', 'http://127.0.0.1:1/', '--webhook-secret', ''], /--webhook-secret/],
  ])('parseArgs rejects %s', (_name, args, message) => {
    expect(() => parseArgs(args, {})).toThrow(message);
  });

  it('createCollector rejects a token that no Authorization header can carry', async () => {
    await expect(createCollector({ token: 'read token', allowOrigins: [] })).rejects.toThrow(/^seglet: the token must be/);
  });

  it('createCollector rejects an empty webhook secret', async () => {
    await expect(createCollector({ token: TOKEN, allowOrigins: [], webhook: { url: 'http://127.0.0.1:1/', secret: '' } })).rejects.toThrow(/^seglet: webhook\.secret must not be empty/);
  });

  it('parseArgs applies the documented defaults', () => {
    expect(parseArgs(['--token', 't'], {})).toEqual({
      token: 't', allowOrigins: [], port: 8787, host: '127.0.0.1', db: './seglet.db', trustProxy: false, ttlDays: 90,
    });
    expect(parseArgs(['--allow-origin', ORIGIN, '--allow-origin', 'http://localhost:3000', '--rate-limit', '0', '--trust-proxy', '--ttl-days', '30', '--webhook', 'https://crm.example/hook', '--webhook-secret', 's'], { SEGLET_TOKEN: 'env', SEGLET_REDIS_URL: 'redis://r:6379' }))
      .toMatchObject({ token: 'env', redis: 'redis://r:6379', allowOrigins: [ORIGIN, 'http://localhost:3000'], rateLimit: 0, trustProxy: true, ttlDays: 30, webhook: { url: 'https://crm.example/hook', secret: 's' } });
    expect(parseArgs(['--token', 't', '--keep-alive-timeout', '65000'], {})).toMatchObject({ keepAliveTimeoutMs: 65_000 });
    expect(parseArgs(['--help'], {})).toBe('help');
  });

  it('takes the token from SEGLET_TOKEN and the store from SEGLET_REDIS_URL', async () => {
    const { child, url } = await spawnCli(cli, ['--port', '0', '--allow-origin', ORIGIN], { SEGLET_TOKEN: TOKEN, SEGLET_REDIS_URL: inject('redisUrl') });
    expect((await post(url, batch('env1', [{ segment: 'x', member: true, t: Date.now() }]))).status).toBe(204);
    expect((await read(url, '/v1/profiles/env1')).status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
  });
});
