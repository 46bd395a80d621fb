import { classify, retryAfterMs, type Outcome } from './retryPolicy.js';
import type { BatchBody } from './types.js';

/** A fetch that hangs (captive portal, dead proxy) counts as a network error after this long. */
export const FETCH_TIMEOUT_MS = 30_000;
const HEADERS = { 'Content-Type': 'text/plain;charset=UTF-8' };

/** The collector refuses a `sentAt` more than this past its own clock (runtime spec, section 5). */
const DAY_MS = 86_400_000;

/** What one attempt came to; `serverAt` is the collector's `Date` header, when it exposes it. */
export interface Attempt { outcome: Outcome; status: number; retryAfter: number | null; serverAt: number | null }

/**
 * The wire string of one attempt: `sentAt` stamped now (forget requests carry none), and every
 * time moved `skew` ms back. A string body, never a `Blob`: a JSON Blob would make the request
 * preflighted cross-origin.
 */
export function serializeBatch(body: BatchBody, now: number, skew = 0): string {
  if ('forget' in body) return JSON.stringify(body);
  const { v, id, anonymousId, userId, changes, members } = body;
  return JSON.stringify({ v, id, anonymousId, userId, sentAt: now - skew, changes: changes.map((c) => ({ ...c, t: c.t - skew })), members });
}

/**
 * Sends `body` with `fetch`, and once more on the collector's clock when it refused a device
 * clock more than a day fast: it refuses such a `sentAt`, so every batch of that device was
 * dropped and none ever counted. The second attempt moves the times back by the measured lead.
 */
export async function sendBatch(fetchFn: typeof fetch, url: string, body: BatchBody, now: () => number): Promise<Attempt> {
  const first = await fetchBatch(fetchFn, url, serializeBatch(body, now()), now());
  const ahead = first.serverAt === null ? 0 : now() - first.serverAt;
  return first.status === 400 && ahead > DAY_MS ? fetchBatch(fetchFn, url, serializeBatch(body, now(), ahead), now()) : first;
}

/** One `fetch` attempt and what to do next; never rejects (a network error or timeout is `retry`). */
export async function fetchBatch(fetchFn: typeof fetch, url: string, payload: string, now: number): Promise<Attempt> {
  const abort = typeof AbortController === 'function' ? new AbortController() : null;
  const timer = abort ? setTimeout(() => abort.abort(), FETCH_TIMEOUT_MS) : undefined;
  try {
    const response = await fetchFn(url, {
      method: 'POST', keepalive: true, credentials: 'omit', mode: 'cors', headers: HEADERS, body: payload, signal: abort?.signal ?? null,
    });
    const status = response.status;
    const date = Date.parse(response.headers.get('Date') ?? '');
    return {
      outcome: classify(status), status, retryAfter: status === 429 || status === 503 ? retryAfterMs(response.headers.get('Retry-After'), now) : null, serverAt: Number.isNaN(date) ? null : date,
    };
  } catch {
    return { outcome: 'retry', status: 0, retryAfter: null, serverAt: null };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}
