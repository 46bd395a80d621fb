import { parseArgs as parseNodeArgs } from 'node:util';
import type { CollectorOptions } from './types.js';
import { assertToken } from './checkToken.js';

/** Usage text of the `seglet-collector` command. */
export const USAGE = `usage: seglet-collector --token TOKEN --allow-origin https://shop.example [options]

  --port N                 port (default 8787)
  --host HOST              interface (default 127.0.0.1)
  --db FILE                embedded SQLite database (default ./seglet.db)
  --redis URL              Redis instead of SQLite (or SEGLET_REDIS_URL)
  --allow-origin ORIGIN    origin allowed to send beacons, exact scheme://host[:port] (repeatable)
  --token TOKEN            bearer token for the read routes (or SEGLET_TOKEN; required)
  --rate-limit N/s         beacons per second per client, burst 2N (default 100/s; 0 = off)
  --trust-proxy            rate-limit on X-Forwarded-For (only behind your own proxy)
  --ttl-days N             profiles expire N days after their last update (default 90)
  --webhook URL            POST each applied membership change here
  --webhook-secret SECRET  HMAC-SHA256 key for X-Seglet-Signature (required with --webhook)
  --headers-timeout MS     time allowed for request headers (default 10000)
  --request-timeout MS     time allowed for the whole request (default 30000)
  --keep-alive-timeout MS  how long an idle connection stays open (default 5000; behind a
                           proxy that reuses connections, more than its idle timeout)
`;

function int(name: string, v: string | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = /^\d+$/.test(v) ? Number(v) : NaN;
  if (!(n >= min && n <= max)) throw new Error(`seglet: --${name} must be an integer from ${min} to ${max}`);
  return n;
}

/**
 * Turns `seglet-collector` arguments and environment into collector options; throws an
 * `Error('seglet: ...')` for anything invalid, or returns `'help'` for `--help`.
 */
export function parseArgs(argv: string[], env: Record<string, string | undefined>): CollectorOptions | 'help' {
  const { values: v } = parseNodeArgs({
    args: argv,
    strict: true,
    options: {
      port: { type: 'string' }, host: { type: 'string' }, db: { type: 'string' }, redis: { type: 'string' },
      'allow-origin': { type: 'string', multiple: true }, token: { type: 'string' }, 'rate-limit': { type: 'string' },
      'trust-proxy': { type: 'boolean' }, 'ttl-days': { type: 'string' }, webhook: { type: 'string' },
      'webhook-secret': { type: 'string' }, 'headers-timeout': { type: 'string' }, 'request-timeout': { type: 'string' },
      'keep-alive-timeout': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (v.help) return 'help';
  const token = v.token ?? env.SEGLET_TOKEN;
  if (!token) throw new Error('seglet: --token (or SEGLET_TOKEN) is required');
  assertToken(token);
  const redis = v.redis ?? (env.SEGLET_REDIS_URL || undefined);
  if (redis !== undefined && v.db !== undefined) throw new Error('seglet: --db and --redis (or SEGLET_REDIS_URL) are mutually exclusive');
  const allowOrigins = v['allow-origin'] ?? [];
  for (const o of allowOrigins) {
    let ok = false;
    try { ok = new URL(o).origin === o && /^https?:$/.test(new URL(o).protocol); } catch { /* reported below */ }
    if (!ok) throw new Error(`seglet: --allow-origin ${o} is not an exact origin like https://shop.example or http://localhost:3000`);
  }
  let rateLimit: number | undefined;
  if (v['rate-limit'] !== undefined) {
    const m = /^(\d+)(?:\/s)?$/.exec(v['rate-limit']);
    if (!m?.[1]) throw new Error('seglet: --rate-limit must look like 100/s (0 turns it off)');
    rateLimit = Number(m[1]);
  }
  if ((v.webhook === undefined) !== (v['webhook-secret'] === undefined)) throw new Error('seglet: --webhook and --webhook-secret go together');
  if (v['webhook-secret'] === '') throw new Error('seglet: --webhook-secret must not be empty (anyone could sign with an empty key)');
  if (v.webhook !== undefined && !/^https?:\/\//.test(v.webhook)) throw new Error('seglet: --webhook must be an http(s) URL');
  return {
    token, allowOrigins,
    port: int('port', v.port, 0, 65535) ?? 8787,
    host: v.host ?? '127.0.0.1',
    ...(redis !== undefined ? { redis } : { db: v.db ?? './seglet.db' }),
    ...(rateLimit !== undefined && { rateLimit }),
    trustProxy: v['trust-proxy'] ?? false,
    ttlDays: int('ttl-days', v['ttl-days'], 1, 36500) ?? 90,
    ...(v.webhook !== undefined && { webhook: { url: v.webhook, secret: v['webhook-secret'] ?? '' } }),
    ...(v['headers-timeout'] !== undefined && { headersTimeoutMs: int('headers-timeout', v['headers-timeout'], 100, 600_000) }),
    ...(v['request-timeout'] !== undefined && { requestTimeoutMs: int('request-timeout', v['request-timeout'], 100, 3_600_000) }),
    ...(v['keep-alive-timeout'] !== undefined && { keepAliveTimeoutMs: int('keep-alive-timeout', v['keep-alive-timeout'], 100, 3_600_000) }),
  };
}
