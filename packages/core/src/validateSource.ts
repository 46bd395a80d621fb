import type { ConditionKind } from './types.js';
import { durationInSegment } from './validateDuration.js';
import { didYouMean, validateKeys } from './validateKeys.js';
import {
  at, checkFields, fail, got, isPlainObject, show, validatePropName, type Check,
} from './validateShared.js';
import { OPERATORS, validateWhere, type OperandRules } from './validateTest.js';

/** Every condition kind, in the order of section 3.2. */
export const KINDS: readonly ConditionKind[] = [
  'all', 'any', 'not', 'count', 'sum', 'min', 'max', 'avg', 'distinct', 'last', 'since', 'abandoned',
  'session', 'context', 'trait', 'segment', 'bucket', 'score', 'cluster',
];

const AGGREGATE = ['of', 'where', 'within'];

/** The keys each kind takes besides its kind key and test operators (none when absent). */
export const KIND_PARAMS: Readonly<Partial<Record<ConditionKind, readonly string[]>>> = {
  count: ['where', 'within'],
  sum: AGGREGATE, min: AGGREGATE, max: AGGREGATE, avg: AGGREGATE, distinct: AGGREGATE, last: AGGREGATE,
  since: ['where'],
  abandoned: ['where', 'unless', 'after', 'within'],
};

// Kinds without a test: the boolean ones, `segment` and `abandoned`.
const UNTESTED: readonly string[] = ['all', 'any', 'not', 'segment', 'abandoned'];

/**
 * For each kind, whether it takes a test, the keys a condition of it may hold and how messages
 * name it, built once: conditions are the bulk of a rule set.
 */
export const KIND_INFO = /*#__PURE__*/ Object.fromEntries(/*#__PURE__*/ KINDS.map((kind) => {
  const tested = !UNTESTED.includes(kind);
  return [kind, [tested, [kind, ...KIND_PARAMS[kind] ?? [], ...tested ? OPERATORS : []], `${/^[aeiou]/.test(kind) ? 'an' : 'a'} "${kind}"`]];
})) as unknown as Record<ConditionKind, [tested: boolean, allowed: readonly string[], named: string]>;

/** Every key a condition can hold, of any kind: such a key in the wrong kind gets a clearer message. */
export const CONDITION_KEYS: ReadonlySet<string> = /*#__PURE__*/ new Set([...KINDS, 'where', 'within', 'of', 'unless', 'after', ...OPERATORS]);

const KIND_SET: ReadonlySet<string> = /*#__PURE__*/ new Set(KINDS);

/** The kinds present among `keys`, in the order of the keys. */
export function kindsIn(keys: readonly string[]): ConditionKind[] {
  return keys.filter((key) => KIND_SET.has(key)) as ConditionKind[];
}

/** Kinds whose value can be a term of `score` or a feature of `cluster` (section 3.2, `E`). */
export const VALUE_KINDS: readonly ConditionKind[] = /*#__PURE__*/ KINDS.filter((_, i) => i > 2 && i !== 11 && i < 15);

const SESSION_METRICS: readonly string[] = ['pageViews', 'events', 'duration', 'number'];
const EVENT_TYPE = /^[a-z0-9_.:-]{1,64}$|^\*$/;
const DURATIONS: OperandRules = { durations: true };

/** Checks an event type reference: `"*"` or `[a-z0-9_.:-]{1,64}`. */
const validateEventType: Check = (value, path) => {
  if (typeof value !== 'string') got(path, 'an event type must be a string such as "page_view" or "*"', value);
  else if (!EVENT_TYPE.test(value)) fail(path, `${show(value)} is not an event type; use 1 to 64 lowercase letters, digits, _ . : or - (e.g. "page_view"), or "*" for any`);
};

/** Checks `unless` of `abandoned`: an event type, or `{ event, where? }`. */
const validateUnless: Check = (value, path) => {
  if (!isPlainObject(value)) {
    if (typeof value === 'string') validateEventType(value, path);
    else got(path, '"unless" needs an event type such as "purchase" or {"event": "purchase", "where": {...}}', value);
    return;
  }
  validateKeys(value, path, ['event', 'where'], '"unless"');
  checkFields(value, path, [['event', validateEventType, '"unless" needs "event": the event type that ends the wait, e.g. "purchase"'], ['where', validateWhere]]);
};

// The kind values that are not event types; each check returns what the operands of the test
// may be, when more than the plain rules of section 3.1.
const KIND_CHECKS: Readonly<Partial<Record<ConditionKind, Check>>> = {
  since: (value, path) => (validateEventType(value, path), DURATIONS),
  session: (value, path) => {
    if (!SESSION_METRICS.includes(value as string)) {
      fail(path, `${show(value)} is not a session metric; use one of ${SESSION_METRICS.join(', ')}${typeof value === 'string' ? didYouMean(value, SESSION_METRICS) : ''}`);
    }
    return value === 'duration' ? DURATIONS : undefined;
  },
  context: validatePropName,
  trait: validatePropName,
};

// How each parameter is checked, and what is said when a required one is missing.
const PARAMS: Readonly<Record<string, readonly [Check, string?]>> = {
  of: [validatePropName, 'the prop to read, e.g. "of": "value"'],
  where: [validateWhere],
  within: [(value, path, _key, kind) => {
    if (value !== 'session') {
      // "Session" is not a duration, but "session" is allowed here: say so rather than suggest "24h".
      if (kind !== 'abandoned' && typeof value === 'string' && value.toLowerCase() === 'session') fail(path, `${show(value)} is not a duration; did you mean "session"?`);
      else durationInSegment(value, path);
    } else if (kind === 'abandoned') fail(path, '"within" of "abandoned" must be a duration such as "7d", not "session"');
  }],
  unless: [validateUnless, 'the event that completes it, e.g. "unless": "purchase"'],
  after: [durationInSegment, 'how long to wait, e.g. "after": "30m"'],
};

/**
 * Checks the parameters a condition of unknown kind (none named, or several) holds, so its other
 * mistakes come in the same report rather than one correction later.
 */
export function validateParams(object: Record<string, unknown>, path: string): void {
  for (const key in PARAMS) if (Object.hasOwn(object, key)) (PARAMS[key] as readonly [Check])[0](object[key], at(path, key), key);
}

/**
 * Checks the kind value and parameters of a kind that reads events or values (aggregates,
 * `since`, `abandoned`, `session`, `context`, `trait`); returns what its test operands may be.
 */
export function validateSource(object: Record<string, unknown>, path: string, kind: ConditionKind): OperandRules | undefined {
  const rules = (KIND_CHECKS[kind] ?? validateEventType)(object[kind], at(path, kind), kind) as OperandRules | undefined;
  for (const key of KIND_PARAMS[kind] ?? []) {
    const [check, missing] = PARAMS[key] as readonly [Check, string?];
    if (Object.hasOwn(object, key)) check(object[key], at(path, key), key, kind);
    else if (missing) fail(path, `"${kind}" needs "${key}": ${missing}`);
  }
  return rules;
}
