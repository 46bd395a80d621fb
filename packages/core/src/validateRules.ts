import type { Issue, RuleSet, ValidationResult } from './types.js';
import { validateCondition } from './validateCondition.js';
import { validateDuration } from './validateDuration.js';
import { validateKeys } from './validateKeys.js';
import { validateReferences } from './validateReferences.js';
import {
  at, fail, isPlainObject, SEGMENT_ID, show, validateContext, validateForbiddenKey, type ValidationContext,
} from './validateShared.js';

/** A rule set holds at most this many segments. */
export const MAX_SEGMENTS = 2000;

const DEFAULT_RETAIN_FOR = 90 * 86_400_000;

/** Checks the optional `session` and `retain` blocks; records `retain.for` for the warnings. */
function validateSettings(ctx: ValidationContext, rules: Record<string, unknown>): void {
  ctx.retainFor = DEFAULT_RETAIN_FOR;
  ctx.retainForText = '90d';
  const { session, retain } = rules;
  if (Object.hasOwn(rules, 'session')) {
    if (!isPlainObject(session)) {
      fail(ctx, '/session', `"session" needs an object like {"timeout": "30m"}, got ${show(session)}`);
    } else {
      validateKeys(ctx, session, '/session', ['timeout'], '"session"');
      if (Object.hasOwn(session, 'timeout')) validateDuration(ctx, session.timeout, '/session/timeout', false);
    }
  }
  if (!Object.hasOwn(rules, 'retain')) return;
  if (!isPlainObject(retain)) {
    fail(ctx, '/retain', `"retain" needs an object like {"events": 10000, "for": "90d"}, got ${show(retain)}`);
    return;
  }
  validateKeys(ctx, retain, '/retain', ['events', 'for'], '"retain"');
  if (Object.hasOwn(retain, 'events') && !(Number.isSafeInteger(retain.events) && (retain.events as number) > 0)) {
    fail(ctx, '/retain/events', `"events" needs a whole number of events above 0, e.g. 10000, got ${show(retain.events)}`);
  }
  if (Object.hasOwn(retain, 'for')) {
    ctx.retainFor = validateDuration(ctx, retain.for, '/retain/for', false);
    ctx.retainForText = typeof retain.for === 'string' ? retain.for : `${String(retain.for)} ms`;
  }
}

/** Checks one segment; `id` is already known to be a usable key. */
function validateSegment(ctx: ValidationContext, id: string, segment: unknown, path: string): void {
  if (!SEGMENT_ID.test(id)) {
    fail(ctx, path, `${show(id)} is not a valid segment id; use up to 64 lowercase letters, digits, _ or -, starting with a letter or digit, e.g. "high-intent"`);
  } else if (String(Number(id)) === id && Number(id) < 4_294_967_295) {
    // JavaScript puts integer-like keys before all others, whatever the order in the JSON text.
    ctx.warnings.push({ path, message: `segment id ${show(id)} looks like a number: JavaScript orders it before the other segments, so changes are not emitted in declaration order; prefer a name like "s-${id}"` });
  }
  if (!isPlainObject(segment)) {
    fail(ctx, path, `a segment needs an object like {"when": {...}}, got ${show(segment)}`);
    return;
  }
  validateKeys(ctx, segment, path, ['description', 'when', 'hold'], 'a segment');
  if (Object.hasOwn(segment, 'description') && typeof segment.description !== 'string') {
    fail(ctx, at(path, 'description'), `"description" needs a string, got ${show(segment.description)}`);
  }
  ctx.segment = id;
  if (Object.hasOwn(segment, 'when')) validateCondition(ctx, segment.when, at(path, 'when'), 1);
  else fail(ctx, path, 'a segment needs "when": the condition for membership, e.g. {"count": "page_view", "gte": 3}');
  if (Object.hasOwn(segment, 'hold')) validateDuration(ctx, segment.hold, at(path, 'hold'), true);
}

/**
 * Validates a rule set strictly (section 3 of the rule-language contract) and reports every
 * problem at once, each with a JSON-pointer path and a message a marketer can act on. A valid
 * rule set is returned as is, with warnings for durations longer than `retain.for`.
 *
 * Choices where the contract is silent: a missing required key is reported at the path of the
 * object that lacks it; `eq`/`ne` strings on `since` and session `duration` must be durations
 * (the value compared is a number of ms); strings tested on a `cluster` must be centroid labels;
 * `of`, `context` and `trait` names follow the prop-name pattern; an integer-like segment id is
 * a warning (JavaScript would not keep it in declaration order); at most 1,000,000 conditions,
 * which only code that reuses one object many times can reach.
 */
export function validateRules(input: unknown): ValidationResult {
  const ctx = validateContext();
  if (!isPlainObject(input)) {
    fail(ctx, '', `a rule set must be an object like {"version": 1, "segments": {...}}, got ${show(input)}`);
    return { ok: false, errors: ctx.errors };
  }
  validateKeys(ctx, input, '', ['version', 'session', 'retain', 'segments'], 'the rule set');
  if (!Object.hasOwn(input, 'version')) fail(ctx, '', '"version" is required; use "version": 1');
  else if (input.version !== 1) fail(ctx, '/version', `version ${show(input.version)} is not supported; use "version": 1`);
  validateSettings(ctx, input);
  const segments = input.segments;
  const ids: string[] = [];
  if (!Object.hasOwn(input, 'segments')) {
    fail(ctx, '', '"segments" is required: an object of segment id to segment, e.g. {"high-intent": {"when": {...}}}');
  } else if (!isPlainObject(segments)) {
    fail(ctx, '/segments', `"segments" needs an object of segment id to segment, got ${show(segments)}`);
  } else {
    const keys = Object.keys(segments);
    if (keys.length > MAX_SEGMENTS) fail(ctx, '/segments', `${keys.length} segments; a rule set holds at most ${MAX_SEGMENTS}`);
    for (const id of keys) {
      const path = at('/segments', id);
      if (validateForbiddenKey(ctx, id, path)) continue;
      ids.push(id);
      validateSegment(ctx, id, segments[id], path);
    }
  }
  validateReferences(ctx, ids);
  if (ctx.errors.length > 0) return { ok: false, errors: ctx.errors };
  const warnings: Issue[] = ctx.warnings;
  return { ok: true, rules: input as unknown as RuleSet, warnings };
}
