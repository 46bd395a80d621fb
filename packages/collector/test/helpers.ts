import { afterEach } from 'vitest';
import { request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { randomUUID } from 'node:crypto';
import { createCollector } from '../src/index.js';
import type { Collector, CollectorOptions } from '../src/index.js';

export const ORIGIN = 'https://shop.example';
export const TOKEN = 'read-token-123';

export interface Answer { status: number; headers: IncomingHttpHeaders; text: string; json: () => unknown }

/** One HTTP request with full control of headers (fetch would refuse or add some). */
export function req(url: string, opts: { method?: string; headers?: Record<string, string | number>; body?: string | Buffer } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const r = httpRequest(url, { method: opts.method ?? 'GET', headers: opts.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
      });
      res.on('error', reject);
    });
    r.on('error', reject);
    r.end(opts.body);
  });
}

let seq = 0;
/** A fresh batch id. */
export const bid = () => `b${Date.now().toString(36)}${(seq++).toString(36)}${randomUUID().slice(0, 8)}`;

/** A valid membership batch. */
export function batch(anonymousId: string, changes: { segment: string; member: boolean; t: number }[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { v: 1, id: bid(), anonymousId, sentAt: Date.now(), changes, ...extra };
}

/** POSTs a beacon from the allowed origin (as text/plain, like the browser). */
export function post(base: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return req(`${base}/v1/beacon`, {
    method: 'POST',
    headers: { Origin: ORIGIN, 'Content-Type': 'text/plain;charset=UTF-8', ...headers },
    body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
  });
}

/** GET/DELETE with the bearer token. */
export function read(base: string, path: string, method = 'GET'): Promise<Answer> {
  return req(`${base}${path}`, { method, headers: { Authorization: `Bearer ${TOKEN}` } });
}

export const tmpDb = () => join(mkdtempSync(join(tmpdir(), 'seglet-col-')), 'seglet.db');

/** An in-process collector on a free loopback port with a fresh SQLite file. */
export async function start(opts: Partial<CollectorOptions> = {}): Promise<{ url: string; collector: Collector }> {
  const collector = await createCollector({
    port: 0, host: '127.0.0.1', token: TOKEN, allowOrigins: [ORIGIN], rateLimit: 0,
    ...(opts.redis === undefined && opts.store === undefined ? { db: tmpDb() } : {}), ...opts,
  });
  return { url: await collector.listen(), collector };
}

/**
 * Collectors for one test file: `collector(opts)` starts one on loopback and returns its URL;
 * every collector in `opened` is closed after each test.
 */
export function useCollectors(): { opened: Collector[]; collector: (opts?: Partial<CollectorOptions>) => Promise<string> } {
  const opened: Collector[] = [];
  afterEach(async () => { await Promise.all(opened.splice(0).map((c) => c.close())); });
  return {
    opened,
    async collector(opts = {}) {
      const { url, collector: c } = await start(opts);
      opened.push(c);
      return url;
    },
  };
}

/** Spawns the transpiled CLI with node, collecting what it prints (stdout and stderr). */
export function launchCli(cliPath: string, args: string[], env: Record<string, string> = {}): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [cliPath, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { out += d.toString(); });
  return { child, output: () => out };
}

/** Spawns the transpiled CLI with node and waits for its `listening on` line. */
export async function spawnCli(cliPath: string, args: string[], env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const { child, output } = launchCli(cliPath, args, env);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`CLI did not start:\n${output()}`)), 15_000);
    const check = () => {
      const m = /listening on (http:\/\/\S+)/.exec(output());
      if (m?.[1]) { clearTimeout(timer); resolve(m[1]); }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`CLI exited ${code}:\n${output()}`)); });
  });
  return { child, url, output };
}

/** Runs the CLI expecting it to exit; resolves with the exit code and output. */
export function runCli(cliPath: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const { child, output } = launchCli(cliPath, args, { SEGLET_TOKEN: '', SEGLET_REDIS_URL: '', ...env });
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', (code) => { clearTimeout(timer); resolve({ code, output: output() }); });
  });
}

export const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => {
  if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
  else child.once('exit', (code) => resolve(code));
});

/** Writes raw bytes on a fresh connection and collects everything until the server closes. */
export function raw(url: string, chunks: (string | Buffer)[], gapMs = 0): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const s = connect(Number(port), hostname);
    let out = '';
    s.on('data', (d) => { out += d.toString('latin1'); });
    s.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' || e.code === 'EPIPE' ? resolve(out) : reject(e)));
    s.on('close', () => resolve(out));
    s.on('connect', async () => {
      for (const c of chunks) {
        if (s.destroyed) return;
        s.write(c);
        if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
      }
    });
  });
}
