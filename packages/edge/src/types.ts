import type { Props, PropValue, SegletError } from '@seglet/core';

/**
 * Where `personalize` gets the page from: called with no `this` and the unchanged request, except
 * for a GET revalidating a personalised copy (its `If-None-Match` names an edge tag `…~seglet…`): a
 * new `Request` from the incoming one whose `If-None-Match` carries the origin's own tag in place of
 * a copy made for the visitor's current memberships, and leaves out copies made for others (with
 * `If-Modified-Since` when no tag is left); `If-Range` and `Range` go when `If-Range` names an edge tag.
 */
export type Origin = (request: Request) => Response | Promise<Response>;

/**
 * Error codes `@seglet/edge` reports through `onError` (never thrown):
 * - `invalid_rules`: the rule set is invalid; every response passes through (reported once).
 * - `invalid_option`: the time zone is unknown; UTC is used instead.
 * - `invalid_value`: a value from `context(request)` breaks the engine's limits and is left out.
 * - `callback_failed`: `context(request)` threw.
 * - `origin_failed`: the origin threw, could not be reached or gave no response (answered 502).
 * - `swap_invalid_selector`: a `data-seglet-into` selector is not supported at the edge.
 * - `swap_target_missing`: a template names no target, or its target is not in the page.
 * - `unknown_segment`: a `data-seglet-*` attribute names an id the rules do not define.
 * - `swap_failed`: a page in a charset other than UTF-8 (passed through), a target the edge leaves
 *   to the browser (void, text-only, unclosed or ended early, or filled by a template whose content
 *   is not balanced), or a rewrite that failed (the page passed through untouched).
 */
export type EdgeErrorCode =
  | 'invalid_rules' | 'invalid_option' | 'invalid_value' | 'callback_failed' | 'origin_failed'
  | 'swap_invalid_selector' | 'swap_target_missing' | 'unknown_segment' | 'swap_failed';

/** Options of {@link decide}. Pass the same `rules` object every time: it is validated once per object. */
export interface DecideOptions {
  /** The rule set (as in `@seglet/core`). Treated as immutable: it is validated once per object. */
  rules: unknown;
  /** The clock, in ms since the epoch; default `Date.now`. */
  now?: () => number;
  /** IANA zone for `hour` and `weekday`; default `request.cf.timezone`, else UTC (unknown zones fall back to UTC). */
  timeZone?: string;
  /** Extra context keys for this request (e.g. from your own headers); they win over the built-in keys. */
  context?: (request: Request) => Record<string, PropValue> | null | undefined;
  /** Receives every problem as a `SegletError` with a code and a JSON-pointer path; nothing is ever thrown. */
  onError?: (error: SegletError) => void;
}

/** Options of {@link personalize}: those of {@link decide}, plus where the page comes from. */
export interface PersonalizeOptions extends DecideOptions {
  /** Fetches the page; default the global `fetch`. See {@link Origin} for the request it gets. */
  origin?: Origin;
}

/** What the edge decided for one request. */
export interface Decision {
  /** Whether the rule set is valid; when false, `members` is empty and nothing is personalised. */
  valid: boolean;
  /** Memberships, in declaration order: edge-evaluated segments from the request, the others from the `seglet_m` cookie. */
  members: string[];
  /** Ids of the segments evaluated from the request (every leaf a `context` condition or such a segment). */
  edgeEvaluated: string[];
  /** The context the edge-evaluated segments saw (`hour` and `weekday` are computed by the engine). */
  context: Props;
  /** The zone `hour` and `weekday` were computed in. */
  timeZone: string;
}
