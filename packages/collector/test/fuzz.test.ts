import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Agent, request } from 'node:http';
import { ORIGIN, req, start } from './helpers.js';
import { JsonSyntaxError, parseStrictJson, parseStrictJsonText } from '../src/index.js';
import type { Collector } from '../src/index.js';

const enc = (s: string) => Buffer.from(s, 'utf8');
const segment = fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,8}$/);
const ident = fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/);
const time = fc.oneof(fc.integer({ min: 0, max: Date.now() }), fc.constantFrom(-1, 1.5, 2 ** 53, Date.now() + 2 * 86_400_000), fc.anything());
const change = fc.record({ segment: fc.oneof(segment, fc.string()), member: fc.oneof(fc.boolean(), fc.anything()), t: time }, { requiredKeys: [] });
const beaconish = fc.record({
  v: fc.oneof(fc.constant(1), fc.anything()), id: fc.oneof(ident, fc.string()), anonymousId: fc.oneof(ident, fc.string({ maxLength: 200 })),
  userId: fc.oneof(fc.string({ maxLength: 300 }), fc.anything()), sentAt: time, forget: fc.oneof(fc.boolean(), fc.anything()),
  changes: fc.oneof(fc.array(change, { maxLength: 6 }), fc.anything()), members: fc.oneof(fc.array(fc.oneof(segment, fc.string()), { maxLength: 6 }), fc.anything()),
  ['__proto__']: fc.anything(),
}, { requiredKeys: [] });

/** Bodies: near-valid beacons, arbitrary JSON, and hostile bytes. */
const body: fc.Arbitrary<Buffer> = fc.oneof(
  { weight: 5, arbitrary: beaconish.map((o) => enc(JSON.stringify(o) ?? 'null')) },
  { weight: 2, arbitrary: fc.json({ maxDepth: 4 }).map(enc) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map(enc) },
  { weight: 1, arbitrary: fc.constantFrom(
    '{"v":1,"v":1}', '\ufeff{}', '{"a":"\\ud800"}', '"\\udc00"', '[', '{', '{"a":1', 'nul', 'tru', '1e999999', '-0', '00', '01',
    '[1,]', '{"a" 1}', '{"a":1,}', '"\u0001"', '"\\x41"', '"\\u12G4"', ' ', '\u00a0{}', '{"__proto__":{"v":1}}',
    '['.repeat(5000) + ']'.repeat(5000), '{"a":'.repeat(3000) + '1' + '}'.repeat(3000), `"${'a'.repeat(60_000)}"`,
    JSON.stringify({ v: 1, id: 'x', anonymousId: 'y', sentAt: 1, changes: Array.from({ length: 2000 }, (_, i) => ({ segment: `s${i}`, member: true, t: 1 })) }),
  ).map(enc) },
  { weight: 1, arbitrary: fc.tuple(beaconish, fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 255 })).map(([o, at, byte]) => {
    const b = enc(JSON.stringify(o) ?? '{}');
    b[Math.min(at, b.length - 1)] = byte;
    return b;
  }) },
);

let url: string;
let collector: Collector;
beforeAll(async () => { ({ url, collector } = await start()); });
afterAll(() => collector.close());

describe('fuzz', () => {
  it('10,000 random and hostile bodies: never a crash, always 2xx or 4xx with a reason', async () => {
    const bodies = fc.sample(body, { numRuns: 10_000, seed: 20261129 });
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    const bad: string[] = [];
    const send = (b: Buffer) => new Promise<void>((resolve, reject) => {
      const r = request(`${url}/v1/beacon`, { method: 'POST', agent, headers: { Origin: ORIGIN, 'Content-Type': 'text/plain' } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => { text += c.toString(); });
        res.on('end', () => {
          const s = res.statusCode ?? 0;
          if (s >= 500 || s < 200 || (s >= 300 && s < 400)) bad.push(`${s} ${b.subarray(0, 80).toString('latin1')}`);
          else if (s >= 400) {
            const j = JSON.parse(text) as { error?: unknown; message?: unknown };
            if (typeof j.error !== 'string' || typeof j.message !== 'string' || !j.message.startsWith('seglet: ')) bad.push(`no reason: ${text}`);
          }
          resolve();
        });
      });
      r.on('error', reject);
      r.end(b);
    });
    let next = 0;
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (next < bodies.length) await send(bodies[next++]!);
    }));
    agent.destroy();
    expect(bad).toEqual([]);
    expect((await req(`${url}/healthz`)).status).toBe(200);
  });
});

describe('strict JSON parser', () => {
  it('agrees with JSON.parse on valid JSON without duplicate keys', () => {
    fc.assert(fc.property(fc.json({ maxDepth: 5 }), (s) => {
      expect(parseStrictJsonText(s)).toEqual(JSON.parse(s));
    }), { numRuns: 2000, seed: 7 });
  });

  it('rejects what JSON.parse rejects', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (s) => {
      let ok = true;
      try { JSON.parse(s); } catch { ok = false; }
      if (!ok) expect(() => parseStrictJsonText(s)).toThrow(JsonSyntaxError);
    }), { numRuns: 3000, seed: 11 });
  });

  it('rejects duplicate keys at any depth, BOM, invalid UTF-8, lone surrogates and deep nesting', () => {
    for (const s of ['{"a":1,"a":1}', '{"x":{"b":1,"b":2}}', '[{"k":1,"\\u006b":2}]', '\ufeff1', '"\\ud800"', '"\\udc00x"', '['.repeat(65) + ']'.repeat(65)]) {
      expect(() => parseStrictJson(enc(s)), s).toThrow(JsonSyntaxError);
    }
    expect(() => parseStrictJson(Buffer.from([0x22, 0xc3, 0x28, 0x22]))).toThrow(/invalid UTF-8/);
    expect(() => parseStrictJson(Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22]))).toThrow(/invalid UTF-8/);
    expect(parseStrictJson(enc('"\\ud83d\\ude00 😀"'))).toBe('😀 😀');
    const proto = parseStrictJson(enc('{"__proto__":{"polluted":true}}')) as Record<string, unknown>;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(proto.__proto__).toEqual({ polluted: true });
  });
});
