import { request } from 'node:http';
import { inject } from 'vitest';
import type { Miniflare, RequestInit as MfRequestInit } from 'miniflare';
import { startOrigin, type OriginServer, type Route } from './originServer.js';
import { startWorker } from './startWorker.js';

/** One error the worker's onError received. */
export interface Reported { code: string; message: string; path: string | undefined }

/** The request the recording origin function was handed (`x-test-origin: recording`). */
export interface Forwarded { method: string; redirect: string; incomingRedirect: string; hasBody: boolean; ifNoneMatch: string | null; cookie: string | null }

/** The test worker in workerd in front of a loopback origin. */
export interface EdgeFixture {
  mf: Miniflare;
  origin: OriginServer;
  /** Serves `route` at `path` on the origin and returns the URL the worker should be asked for. */
  serve(path: string, route: Route): string;
  /** Asks the worker (in workerd) for `url`; `cf` stands for Cloudflare's request.cf. */
  get(url: string, init?: MfRequestInit): Promise<{ status: number; headers: Headers; text: string; bytes: Buffer }>;
  /**
   * Asks the worker over real HTTP at its own address, its origin function forwarding to the
   * loopback origin. Unlike dispatchFetch, this shows the framing headers (`Content-Length`) workerd sends.
   */
  http(path: string, headers?: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string; bytes: Buffer }>;
  /** What onError received (and how origin functions were called) since the last call. */
  reported(): Promise<{ reported: Reported[]; originCalls: { thisValue: string; sameRequest: boolean }[]; forwarded: Forwarded[] }>;
  close(): Promise<void>;
}

export async function startEdge(): Promise<EdgeFixture> {
  const [origin, mf] = await Promise.all([startOrigin(), startWorker(inject('edgeBundles').personalize)]);
  const address = await mf.ready;
  return {
    mf,
    origin,
    serve(path, route) {
      origin.routes.set(path, route);
      return `${origin.url}${path}`;
    },
    async get(url, init) {
      const res = await mf.dispatchFetch(url, { cf: { country: 'US', timezone: 'UTC' }, ...init });
      const bytes = Buffer.from(await res.arrayBuffer());
      return { status: res.status, headers: res.headers as unknown as Headers, text: bytes.toString('utf8'), bytes };
    },
    http(path, headers = {}) {
      return new Promise((resolve, reject) => {
        const req = request(new URL(path, address), { headers: { ...headers, 'x-test-forward': origin.url } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const bytes = Buffer.concat(chunks);
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text: bytes.toString('utf8'), bytes });
          });
        });
        req.on('error', reject);
        req.end();
      });
    },
    async reported() {
      const res = await mf.dispatchFetch('http://edge.test/__reported');
      return (await res.json()) as Awaited<ReturnType<EdgeFixture['reported']>>;
    },
    async close() {
      await Promise.all([mf.dispose(), origin.close()]);
    },
  };
}

/** An HTML route. */
export function html(body: string, headers: Record<string, string> = {}, status = 200): Route {
  return { status, body, headers: { 'content-type': 'text/html; charset=utf-8', ...headers } };
}

/** A template filling `#id` with `content` for members of `returning` (the segment the fixture's cookie holds). */
export const into = (id: string, content: string): string => `<template data-seglet-when="returning" data-seglet-into="#${id}">${content}</template>`;
