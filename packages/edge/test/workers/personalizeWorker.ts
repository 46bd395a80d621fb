// The worker the tests drive: personalize() with one of RULESETS, options chosen by x-test-* headers.
import { decide, personalize } from '../../src/index.js';
import type { PersonalizeOptions } from '../../src/index.js';
import { RULESETS } from './rulesets.js';

interface Reported { code: string; message: string; path: string | undefined }
const reported: Reported[] = [];
const originCalls: { thisValue: string; sameRequest: boolean }[] = [];
/** What the recording origin function was handed, beside the incoming request's own values. */
const forwarded: { method: string; redirect: string; incomingRedirect: string; hasBody: boolean; ifNoneMatch: string | null; cookie: string | null }[] = [];

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === '/__reported') return Response.json({ reported: reported.splice(0), originCalls: originCalls.splice(0), forwarded: forwarded.splice(0) });
    const h = request.headers;
    const options: PersonalizeOptions = {
      // The same object every time, as a deployed worker's module-level rules would be.
      rules: RULESETS[h.get('x-test-rules') ?? 'main'],
      onError: (e) => reported.push({ code: e.code, message: e.message, path: e.issues?.[0]?.path }),
    };
    const now = h.get('x-test-now');
    if (now !== null) options.now = () => Number(now);
    const zone = h.get('x-test-timezone');
    if (zone !== null) options.timeZone = zone;
    const extra = h.get('x-test-context');
    if (extra !== null) options.context = () => JSON.parse(extra) as Record<string, string>;
    const mode = h.get('x-test-origin');
    if (mode === 'throw') options.origin = () => { throw new Error('origin exploded'); };
    else if (mode === 'reject') options.origin = () => Promise.reject(new Error('origin rejected'));
    else if (mode === 'not-a-response') options.origin = () => 'nope' as unknown as Response;
    else if (mode === 'recording') {
      options.origin = function origin(this: unknown, sent: Request) {
        originCalls.push({ thisValue: String(this), sameRequest: sent === request });
        forwarded.push({ method: sent.method, redirect: sent.redirect, incomingRedirect: request.redirect, hasBody: sent.body !== null, ifNoneMatch: sent.headers.get('if-none-match'), cookie: sent.headers.get('cookie') });
        return fetch(sent);
      };
    } else if (mode === 'stream') {
      // A body the worker builds itself: a default (not byte) stream, in 1,000-byte pieces.
      const page = '<p data-seglet-show="returning" hidden>x</p>'.repeat(Number(h.get('x-test-repeat') ?? 1));
      const bytes = new TextEncoder().encode(page);
      let at = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (at >= bytes.length) controller.close();
          else controller.enqueue(bytes.slice(at, (at += 1000)));
        },
      });
      options.origin = () => new Response(body, { headers: { 'content-type': 'text/html' } });
    } else if (mode === 'inline') {
      options.origin = () => new Response('<p data-seglet-show="mobile" hidden>m</p>', { headers: { 'content-type': 'text/html' } });
    }
    const forward = h.get('x-test-forward');
    if (forward !== null) options.origin = (incoming) => fetch(new URL(url.pathname + url.search, forward), incoming);
    if (h.has('x-test-decide')) return Response.json(decide(request, options));
    return personalize(request, options);
  },
};
