import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, request } from 'node:http';
import type { Socket } from 'node:net';
import { ORIGIN, batch, post, raw, req, start } from './helpers.js';
import type { Collector } from '../src/index.js';

const head = (length: number | 'chunked') => `POST /v1/beacon HTTP/1.1\r\nHost: x\r\nOrigin: ${ORIGIN}\r\nContent-Type: text/plain\r\n${length === 'chunked' ? 'Transfer-Encoding: chunked' : `Content-Length: ${length}`}\r\n\r\n`;

/** A valid beacon padded with an ignored key to exactly `size` bytes. */
function sized(size: number): string {
  const b = JSON.stringify({ ...batch('big', []), pad: '' });
  return b.replace('"pad":""', `"pad":"${'x'.repeat(size - b.length)}"`);
}

describe('body limit (64 KiB)', () => {
  let url: string;
  let collector: Collector;
  beforeAll(async () => { ({ url, collector } = await start()); });
  afterAll(() => collector.close());

  it('accepts exactly 65,536 bytes and refuses 65,537 with 413 and Connection: close', async () => {
    expect(sized(65_536)).toHaveLength(65_536);
    expect((await post(url, sized(65_536))).status).toBe(204);
    const r = await post(url, sized(65_537));
    expect(r.status).toBe(413);
    expect(r.headers.connection).toBe('close');
    expect(r.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(r.json()).toMatchObject({ error: 'payload_too_large' });
  });

  it('answers 413 from Content-Length before reading the body', async () => {
    const out = await raw(url, [head(10_000_000)]);
    expect(out).toMatch(/^HTTP\/1\.1 413/);
    expect(out).toMatch(/connection: close/i);
  });

  it('with Expect: 100-continue, answers 413 instead of inviting an oversized body', async () => {
    const out = await raw(url, [head(10_000_000).replace('\r\n\r\n', '\r\nExpect: 100-continue\r\n\r\n')]);
    expect(out).toMatch(/^HTTP\/1\.1 413/);
    expect(out).not.toContain('100 Continue');
  });

  it('with Expect: 100-continue, invites a body within the limit and applies it', async () => {
    const body = JSON.stringify(batch('continue', []));
    const headers = `POST /v1/beacon HTTP/1.1\r\nHost: x\r\nOrigin: ${ORIGIN}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`;
    const out = await raw(url, [headers, body], 100);
    expect(out).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 204/);
  });

  it('with Expect: 100-continue on another route, keeps inviting the body (keep-alive stays in step)', async () => {
    const out = await raw(url, ['DELETE /v1/profiles/x HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n', '{}'], 50);
    expect(out).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 401/);
  });

  it('stops reading a chunked body at the limit', async () => {
    const chunk = (n: number) => `${n.toString(16)}\r\n${'x'.repeat(n)}\r\n`;
    const parts = [head('chunked'), ...Array.from({ length: 20 }, () => chunk(8192))];
    const out = await raw(url, parts, 5);
    expect(out).toMatch(/^HTTP\/1\.1 413/);
    expect(out).toContain('payload_too_large');
  });

  it('answers 400 to a malformed request line', async () => {
    const out = await raw(url, ['GARBAGE\r\n\r\n']);
    expect(out).toMatch(/^HTTP\/1\.1 400/);
    expect(out).toContain('"error":"bad_request"');
  });
});

describe('slow clients', () => {
  let url: string;
  let collector: Collector;
  beforeAll(async () => { ({ url, collector } = await start({ headersTimeoutMs: 300, requestTimeoutMs: 800 })); });
  afterAll(() => collector.close());

  it('408 and close when the headers do not arrive in time', async () => {
    const t0 = Date.now();
    const out = await raw(url, ['POST /v1/beacon HTTP/1.1\r\nHost: x\r\n']);
    expect(out).toMatch(/^HTTP\/1\.1 408/);
    expect(out).toContain('"error":"request_timeout"');
    expect(Date.now() - t0).toBeLessThan(3_000);
  });

  it('408 and close when the body does not arrive in time', async () => {
    const t0 = Date.now();
    const out = await raw(url, [head(100), '{"v":1']);
    expect(out).toMatch(/^HTTP\/1\.1 408/);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(700);
    expect(Date.now() - t0).toBeLessThan(4_000);
  });

  it('a prompt request is unaffected', async () => {
    expect((await post(url, batch('quick', []))).status).toBe(204);
  });
});

describe('rate limit', () => {
  it('429 with Retry-After past the burst, per peer; 429s are not remembered as seen', async () => {
    const { url, collector } = await start({ rateLimit: 5, burst: 10 });
    const statuses: number[] = [];
    const bodies = Array.from({ length: 14 }, (_, i) => batch(`r${i}`, []));
    for (const b of bodies) statuses.push((await post(url, b)).status);
    expect(statuses.filter((s) => s === 204).length).toBeGreaterThanOrEqual(10);
    expect(statuses.filter((s) => s === 204).length).toBeLessThanOrEqual(11);
    const limited = await post(url, bodies[13]!);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(limited.headers['access-control-expose-headers']).toBe('Retry-After');
    expect(limited.json()).toMatchObject({ error: 'rate_limited' });
    await new Promise((r) => setTimeout(r, 1_100));
    // The batch refused with 429 is applied when retried.
    expect((await post(url, bodies[13]!)).status).toBe(204);
    expect((await req(`${url}/healthz`)).status).toBe(200);
    await collector.close();
  });

  it('keys on X-Forwarded-For only with trustProxy', async () => {
    const trusted = await start({ rateLimit: 1, burst: 1, trustProxy: true });
    expect((await post(trusted.url, batch('x', []), { 'X-Forwarded-For': '203.0.113.1' })).status).toBe(204);
    expect((await post(trusted.url, batch('x', []), { 'X-Forwarded-For': '203.0.113.1' })).status).toBe(429);
    expect((await post(trusted.url, batch('x', []), { 'X-Forwarded-For': 'spoofed, 203.0.113.2' })).status).toBe(204);
    await trusted.collector.close();
    const direct = await start({ rateLimit: 1, burst: 1 });
    expect((await post(direct.url, batch('x', []), { 'X-Forwarded-For': '203.0.113.1' })).status).toBe(204);
    expect((await post(direct.url, batch('x', []), { 'X-Forwarded-For': '203.0.113.2' })).status).toBe(429);
    await direct.collector.close();
  });
});

describe('de-duplication over HTTP', () => {
  it('a concurrent duplicate is acknowledged, applied once', async () => {
    const { url, collector } = await start();
    const b = batch('dup', [{ segment: 'once', member: true, t: Date.now() - 10 }]);
    const answers = await Promise.all(Array.from({ length: 8 }, () => post(url, b)));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(204));
    const segs = (await collector.store.segments(1, Date.now())).find((s) => s.id === 'once');
    expect(segs?.days[0]?.enters).toBe(1);
    await collector.close();
  });
});

describe('keep-alive timeout', () => {
  /** One keep-alive connection: the socket of each request, and when the server closed it. */
  function connection(url: string) {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<Socket>();
    let closedAt: number | null = null;
    const get = () => new Promise<number>((resolve, reject) => {
      const r = request(`${url}/healthz`, { agent }, (res) => {
        if (!sockets.has(res.socket)) {
          sockets.add(res.socket);
          res.socket.once('close', () => { closedAt = Date.now(); });
        }
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      r.on('error', reject);
      r.end();
    });
    return { get, sockets, closedAt: () => closedAt, done: () => agent.destroy() };
  }

  it('closes an idle connection after keepAliveTimeoutMs', async () => {
    const { url, collector } = await start({ keepAliveTimeoutMs: 200 });
    const c1 = connection(url);
    try {
      const sent = Date.now();
      expect(await c1.get()).toBe(200);
      await expect.poll(() => c1.closedAt(), { timeout: 3_000, interval: 50 }).not.toBeNull();
      expect((c1.closedAt() ?? 0) - sent).toBeLessThan(2_000);
    } finally {
      c1.done();
      await collector.close();
    }
  });

  it('an idle connection outlives the headers timeout, so a keep-alive timeout above it holds (a proxy reuses the connection)', async () => {
    const { url, collector } = await start({ headersTimeoutMs: 300, keepAliveTimeoutMs: 5_000 });
    const c = connection(url);
    try {
      expect(await c.get()).toBe(200);
      await new Promise((r) => setTimeout(r, 1_500));
      expect(c.closedAt()).toBeNull();
      expect(await c.get()).toBe(200);
      expect(c.sockets.size).toBe(1);
    } finally {
      c.done();
      await collector.close();
    }
  });
});
