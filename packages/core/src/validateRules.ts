import { snapshot } from './snapshot.js';
import type { RuleSet, ValidationResult } from './types.js';
import { validateCondition } from './validateCondition.js';
import { durationInSegment, validateDuration } from './validateDuration.js';
import { validateKeys } from './validateKeys.js';
import { validateReferences } from './validateReferences.js';
import {
  at, checkFields, ctx, fail, got, isPlainObject, isString, needs, show, startContext, validateForbiddenKey, type Check, type Field,
} from './validateShared.js';

/** A rule set holds at most this many segments. */
export const MAX_SEGMENTS = 2000;

/** Segment ids: `^[a-z0-9][a-z0-9_-]{0,63}$`. */
const SEGMENT_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** A check of an optional object (`session`, `retain`): its keys, then its fields. */
function block(example: string, fields: readonly Field[]): Check {
  return (value, path, key) => {
    if (!isPlainObject(value)) return got(path, `"${key as string}" needs an object like ${example}`, value);
    validateKeys(value, path, fields.map(([k]) => k), `"${key as string}"`);
    checkFields(value, path, fields);
  };
}

const SEGMENT_FIELDS: readonly Field[] = [
  ['description', /*#__PURE__*/ needs(isString, 'a string')],
  ['when', (value, path) => validateCondition(value, path, 1), 'a segment needs "when": the condition for membership, e.g. {"count": "page_view", "gte": 3}'],
  ['hold', durationInSegment],
];

/** Checks one segment; `id` is already known to be a usable key. */
function validateSegment(id: string, segment: unknown, path: string): void {
  if (!SEGMENT_ID.test(id)) {
    fail(path, `${show(id)} is not a valid segment id; use up to 64 lowercase letters, digits, _ or -, starting with a letter or digit, e.g. "high-intent"`);
  } else if (String(Number(id)) === id && Number(id) < 4_294_967_295) {
    // JavaScript puts integer-like keys before all others, whatever the order in the JSON text.
    ctx.warnings.push({ path, message: `segment id ${show(id)} looks like a number: JavaScript orders it before the other segments, so changes are not emitted in declaration order; prefer a name like "s-${id}"` });
  }
  if (!isPlainObject(segment)) return got(path, 'a segment needs an object like {"when": {...}}', segment);
  validateKeys(segment, path, ['description', 'when', 'hold'], 'a segment');
  ctx.segId = id;
  checkFields(segment, path, SEGMENT_FIELDS);
}

const validateSegments: Check = (segments, path, _key, ids) => {
  if (!isPlainObject(segments)) return got(path, '"segments" needs an object of segment id to segment', segments);
  const keys = Object.keys(segments);
  if (keys.length > MAX_SEGMENTS) fail(path, `${keys.length} segments; a rule set holds at most ${MAX_SEGMENTS}`);
  for (const id of keys) {
    const segmentPath = at(path, id);
    // `constructor` and `prototype` match the id pattern and are ids like any other (the engine
    // reads segments by own key); only `__proto__`, which would set a prototype, is refused.
    if (id === '__proto__' && validateForbiddenKey(id, segmentPath)) continue;
    (ids as string[]).push(id);
    validateSegment(id, segments[id], segmentPath);
  }
};

const RULE_SET_FIELDS: readonly Field[] = [
  ['version', (version, path) => {
    if (version !== 1) fail(path, `version ${show(version)} is not supported; use "version": 1`);
  }, '"version" is required; use "version": 1'],
  ['session', /*#__PURE__*/ block('{"timeout": "30m"}', [['timeout', (value, path) => validateDuration(value, path)]])],
  ['retain', /*#__PURE__*/ block('{"events": 10000, "for": "90d"}', [
    ['events', /*#__PURE__*/ needs((events) => Number.isSafeInteger(events) && (events as number) > 0, 'a whole number of events above 0, e.g. 10000')],
    ['for', (written, path) => {
      // Durations in segments longer than this draw a warning: the events they need are gone.
      // The text is shown only when the duration is valid; converting the written value instead
      // would throw on an object without a prototype.
      ctx.retainFor = validateDuration(written, path);
      ctx.retainForText = typeof written === 'string' ? written : `${ctx.retainFor} ms`;
    }],
  ])],
  ['segments', validateSegments, '"segments" is required: an object of segment id to segment, e.g. {"high-intent": {"when": {...}}}'],
];

/**
 * Validates a rule set strictly (section 3 of the rule-language contract) and reports every
 * problem at once, each with a JSON-pointer path and a message a marketer can act on. Validation
 * reads one plain-data copy of `input` (see snapshot), which a valid rule set is returned as, with
 * warnings for durations longer than `retain.for`: what was validated is what runs. A value that
 * cannot be read is reported alone, as validating the rest around it would only add noise.
 *
 * Choices where the contract is silent: a missing required key is reported at the path of the
 * object that lacks it; `eq`/`ne` strings on `since` and session `duration` must be durations
 * (the value compared is a number of ms); strings tested on a `cluster` must be centroid labels;
 * `of`, `context` and `trait` names follow the prop-name pattern; an integer-like segment id is
 * a warning (JavaScript would not keep it in declaration order); at most 1,000,000 conditions,
 * which only code that reuses one object many times can reach.
 */
export function validateRules(given: unknown): ValidationResult {
  const context = startContext();
  const ids: string[] = [];
  const input = snapshot([given], 0, '', new Map());
  if (context.errors.length) return { ok: false, errors: context.errors };
  if (!isPlainObject(input)) {
    got('', 'a rule set must be an object like {"version": 1, "segments": {...}}', input);
  } else {
    validateKeys(input, '', ['version', 'session', 'retain', 'segments'], 'the rule set');
    context.retainFor = 90 * 86_400_000;
    context.retainForText = '90d';
    checkFields(input, '', RULE_SET_FIELDS, ids);
    validateReferences(ids, input.segments as Record<string, { hold?: unknown }>);
  }
  return context.errors.length > 0 ? { ok: false, errors: context.errors } : { ok: true, rules: input as RuleSet, warnings: context.warnings };
}
