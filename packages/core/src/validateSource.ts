import type { ConditionKind } from './types.js';
import { validateDuration } from './validateDuration.js';
import { didYouMean } from './validateKeys.js';
import { fail, at, show, validatePropName, type ValidationContext } from './validateShared.js';
import { OPERATORS, validateWhere, type OperandRules } from './validateTest.js';

/** Every condition kind, in the order of section 3.2. */
export const KINDS: readonly ConditionKind[] = [
  'all', 'any', 'not', 'count', 'sum', 'min', 'max', 'avg', 'distinct', 'last', 'since', 'abandoned',
  'session', 'context', 'trait', 'segment', 'bucket', 'score', 'cluster',
];

/** The keys each kind takes besides its kind key and test operators. */
export const KIND_PARAMS: Readonly<Record<ConditionKind, readonly string[]>> = {
  all: [], any: [], not: [],
  count: ['where', 'within'],
  sum: ['of', 'where', 'within'], min: ['of', 'where', 'within'], max: ['of', 'where', 'within'],
  avg: ['of', 'where', 'within'], distinct: ['of', 'where', 'within'], last: ['of', 'where', 'within'],
  since: ['where'],
  abandoned: ['where', 'unless', 'after', 'within'],
  session: [], context: [], trait: [], segment: [], bucket: [], score: [], cluster: [],
};

/** Every key a condition can hold, of any kind: such a key in the wrong kind gets a clearer message. */
export const CONDITION_KEYS: ReadonlySet<string> = new Set([...KINDS, ...Object.values(KIND_PARAMS).flat(), ...OPERATORS]);

/** The kind keys, for a quick look-up among an object's own keys. */
export const KIND_SET: ReadonlySet<string> = new Set(KINDS);

/** The kinds present among `keys`, in the order of the keys. */
export function kindsIn(keys: readonly string[]): ConditionKind[] {
  const kinds: ConditionKind[] = [];
  for (const key of keys) if (KIND_SET.has(key)) kinds.push(key as ConditionKind);
  return kinds;
}

/** Kinds whose value can be a term of `score` or a feature of `cluster` (section 3.2, `E`). */
export const VALUE_KINDS: readonly ConditionKind[] = [
  'count', 'sum', 'min', 'max', 'avg', 'distinct', 'last', 'since', 'session', 'context', 'trait',
];

const SESSION_METRICS: readonly string[] = ['pageViews', 'events', 'duration', 'number'];
const EVENT_TYPE = /^[a-z0-9_.:-]{1,64}$/;

/** Checks an event type reference: `"*"` or `[a-z0-9_.:-]{1,64}`. */
export function validateEventType(ctx: ValidationContext, value: unknown, path: string): void {
  if (typeof value !== 'string') {
    fail(ctx, path, `an event type must be a string such as "page_view" or "*", got ${show(value)}`);
  } else if (value !== '*' && !EVENT_TYPE.test(value)) {
    fail(ctx, path, `${show(value)} is not an event type; use 1 to 64 lowercase letters, digits, _ . : or - (e.g. "page_view"), or "*" for any`);
  }
}

/** Checks `within` of an aggregate (a duration or `"session"`) or of `abandoned` (a duration). */
export function validateWithin(ctx: ValidationContext, value: unknown, path: string, session: boolean): void {
  if (value === 'session') {
    if (!session) fail(ctx, path, '"within" of "abandoned" must be a duration such as "7d", not "session"');
    return;
  }
  validateDuration(ctx, value, path, true);
}

/**
 * Checks the kind value and parameters of a kind that reads events or values (aggregates,
 * `since`, `session`, `context`, `trait`); returns what its test operands may be.
 */
export function validateSource(ctx: ValidationContext, object: Record<string, unknown>, path: string, kind: ConditionKind): OperandRules {
  const value = object[kind];
  const kindPath = at(path, kind);
  if (kind === 'session') {
    if (typeof value !== 'string' || !SESSION_METRICS.includes(value)) {
      const hint = typeof value === 'string' ? didYouMean(ctx, value, SESSION_METRICS) : '';
      fail(ctx, kindPath, `${show(value)} is not a session metric; use one of ${SESSION_METRICS.join(', ')}${hint}`);
    }
    return value === 'duration' ? { durations: true } : {};
  }
  if (kind === 'context' || kind === 'trait') {
    validatePropName(ctx, value, kindPath, `"${kind}"`);
    return {};
  }
  validateEventType(ctx, value, kindPath);
  const params = KIND_PARAMS[kind];
  if (params.includes('of')) {
    if (Object.hasOwn(object, 'of')) validatePropName(ctx, object.of, at(path, 'of'), '"of"');
    else fail(ctx, path, `"${kind}" needs "of": the prop to read, e.g. "of": "value"`);
  }
  if (Object.hasOwn(object, 'where')) validateWhere(ctx, object.where, at(path, 'where'));
  if (params.includes('within') && Object.hasOwn(object, 'within')) validateWithin(ctx, object.within, at(path, 'within'), true);
  return kind === 'since' ? { durations: true } : {};
}
