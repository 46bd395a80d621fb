import type { Props } from '@seglet/core';
import { evaluateEdge } from './evaluateEdge.js';
import { extraContext } from './extraContext.js';
import { prepareRules, type Prepared } from './prepareRules.js';
import { readMembersCookie } from './readMembersCookie.js';
import { requestContext } from './requestContext.js';
import { resolveTimeZone } from './resolveTimeZone.js';
import type { Decision, DecideOptions } from './types.js';

/**
 * The memberships of one request, without touching any response: runtime-neutral (only `Request`,
 * `URL` and `Intl`), for CDNs without `HTMLRewriter`. Segments whose every leaf is a `context`
 * condition (or a reference to such a segment) are evaluated from the request, which wins over the
 * cookie unless the segment has a `hold` (then: true now or listed in the cookie); every other
 * segment comes only from the `seglet_m` cookie. Never throws: problems go to `onError`, and an
 * invalid rule set gives `{ valid: false, members: [] }`.
 *
 * Segments are for personalisation, never for authorization: the cookie is user-controlled.
 */
export function decide(request: Request, options: DecideOptions): Decision {
  return decideWith(prepareRules(options), request, options);
}

/** {@link decide} with the prepared rule set already in hand. */
export function decideWith(prepared: Prepared, request: Request, options: DecideOptions): Decision {
  const { reporter } = prepared;
  const onError = options.onError;
  const timeZone = resolveTimeZone(request, options.timeZone, (zone, path) => {
    reporter.once(onError, 'invalid_option', `seglet: time zone ${JSON.stringify(zone.slice(0, 80))} is not a known IANA zone; using UTC`, path);
  });
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    url = new URL('http://invalid/');
  }
  const builtIn = requestContext(request, url);
  let context: Props = builtIn;
  if (options.context) {
    let clean: Props = {};
    try {
      // Reading the result runs host code too (getters, proxies): inside the same guard.
      clean = extraContext(options.context(request), (key, why) => reporter.once(onError, 'invalid_value', `seglet: ${why}`, `/context/${key}`));
    } catch (cause) {
      reporter.once(onError, 'callback_failed', 'seglet: context(request) threw; its keys are left out', '/context', cause);
    }
    context = { ...builtIn, ...clean };
  }
  if (!prepared.valid) return { valid: false, members: [], edgeEvaluated: [], context, timeZone };

  const cookie = readMembersCookie(request.headers.get('cookie'), prepared.ids);
  const heldInCookie = prepared.order.filter((id) => prepared.held.has(id) && cookie.has(id));
  const edgeRules = prepared.rulesFor(heldInCookie);
  const now = options.now ?? Date.now;
  let fromRequest = new Set<string>();
  if (edgeRules) {
    try {
      fromRequest = evaluateEdge(edgeRules, context, now, timeZone);
    } catch (cause) {
      // Too many keys or a value the engine refuses: fall back to the request's own keys.
      reporter.once(onError, 'invalid_value', `seglet: the context was refused (${String((cause as Error)?.message ?? cause).slice(0, 200)}); using the request's keys only`, '/context', cause);
      context = builtIn;
      try {
        fromRequest = evaluateEdge(edgeRules, context, now, timeZone);
      } catch (again) {
        reporter.once(onError, 'invalid_value', 'seglet: the request context was refused; edge-evaluated segments are off', '/context', again);
      }
    }
  }
  const members = prepared.order.filter((id) => (prepared.edge.has(id) ? fromRequest.has(id) : cookie.has(id)));
  return { valid: true, members, edgeEvaluated: [...prepared.edge], context, timeZone };
}
