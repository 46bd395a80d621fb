import { classify, retryAfterMs, type Outcome } from './retryPolicy.js';
import type { BatchBody } from './types.js';

/** A fetch that hangs (captive portal, dead proxy) counts as a network error after this long. */
export const FETCH_TIMEOUT_MS = 30_000;
const HEADERS = { 'Content-Type': 'text/plain;charset=UTF-8' };

/**
 * The wire string of one attempt: `sentAt` stamped now (forget requests carry none). A string
 * body, never a `Blob`: a JSON Blob would make the request preflighted cross-origin.
 */
export function serializeBatch(body: BatchBody, sentAt: number): string {
  if ('forget' in body) return JSON.stringify(body);
  const { v, id, anonymousId, userId, changes, members } = body;
  return JSON.stringify({ v, id, anonymousId, userId, sentAt, changes, members });
}

/** One `fetch` attempt and what to do next; never rejects (a network error or timeout is `retry`). */
export async function fetchBatch(
  fetchFn: typeof fetch, url: string, payload: string, now: number,
): Promise<{ outcome: Outcome; status: number; retryAfter: number | null }> {
  const abort = typeof AbortController === 'function' ? new AbortController() : null;
  const timer = abort ? setTimeout(() => abort.abort(), FETCH_TIMEOUT_MS) : undefined;
  try {
    const response = await fetchFn(url, {
      method: 'POST', keepalive: true, credentials: 'omit', mode: 'cors', headers: HEADERS, body: payload, signal: abort?.signal ?? null,
    });
    const status = response.status;
    return { outcome: classify(status), status, retryAfter: status === 429 || status === 503 ? retryAfterMs(response.headers.get('Retry-After'), now) : null };
  } catch {
    return { outcome: 'retry', status: 0, retryAfter: null };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}
