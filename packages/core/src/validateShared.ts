import { cutString } from './cutString.js';
import type { Issue } from './types.js';

/** A `segment` reference found while validating, resolved once every segment is known. */
export interface SegmentReference {
  from: string;
  to: string;
  path: string;
}

/** State shared by the validators of one `validateRules` call. */
export interface ValidationContext {
  errors: Issue[];
  warnings: Issue[];
  /** `retain.for` in ms when valid: longer durations in a segment draw a warning. */
  retainFor: number | undefined;
  /** `retain.for` as written, for the warning text. */
  retainForText: string;
  refs: SegmentReference[];
  /** The longest duration each segment's condition looks back (a window, a wait, a `since` bound), by id. */
  spans: Map<string, number>;
  /** Id of the segment being validated. */
  segId: string;
  /** Did-you-mean searches left; bounds the work a hostile rule set can cause. */
  suggestions: number;
  /** Conditions seen so far, against a rule set built in code that reuses one object many times. */
  conditions: number;
}

/**
 * Checks one value found at `path`. `key` is the key it was found under (messages name it) and
 * `extra` whatever the table that holds the check passes along (a condition's kind, its depth).
 */
export type Check = (value: unknown, path: string, key?: string, extra?: unknown) => unknown;

/**
 * A field of an object: its key, its check, and what happens when it is absent: nothing, the
 * message reported at the object's path (a string), or the check runs on `undefined` (`true`).
 */
export type Field = readonly [key: string, check: Check, missing?: string | true];

/** Creates an empty context. */
export function validateContext(): ValidationContext {
  return { errors: [], warnings: [], retainFor: undefined, retainForText: '', refs: [], spans: new Map(), segId: '', suggestions: 200, conditions: 0 };
}

/**
 * The context of the `validateRules` call in progress, which starts a new one: validation is
 * synchronous and calls out to nothing, so one at a time is enough (and no function carries it).
 */
export let ctx: ValidationContext;

/** Starts the context of a new `validateRules` call. */
export function startContext(): ValidationContext {
  return (ctx = validateContext());
}

/** Records an error at `path`. */
export function fail(path: string, message: string): undefined {
  ctx.errors.push({ path, message });
}

/** Records `<what>, got <value><hint>`: most messages end by showing what was found. */
export function got(path: string, what: string, value: unknown, hint = ''): undefined {
  return fail(path, `${what}, got ${show(value)}${hint}`);
}

/** A check that `ok` holds, else reports `"<key>" needs <what>, got <value>`. */
export function needs(ok: (value: unknown) => boolean, what: string): Check {
  return (value, path, key) => {
    if (!ok(value)) got(path, `"${key as string}" needs ${what}`, value);
  };
}

/** A string. */
export const isString = (value: unknown): value is string => typeof value === 'string';

/** Runs the checks of `fields` on `object` in their order; a missing required one is reported at `path`. */
export function checkFields(object: Record<string, unknown>, path: string, fields: readonly Field[], extra?: unknown): void {
  for (const [key, check, missing] of fields) {
    // An absent key reads as undefined, never as a value inherited from a (polluted) prototype.
    const has = Object.hasOwn(object, key);
    if (has || missing === true) check(has ? object[key] : undefined, at(path, key), key, extra);
    else if (missing) fail(path, missing);
  }
}

/** Appends `key` to a JSON pointer, escaping `~` and `/` as RFC 6901 requires. */
export function at(path: string, key: string | number): string {
  const text = String(key);
  // Most keys need no escaping: skip the two replacements for them (paths are built for every node).
  return `${path}/${text.includes('~') || text.includes('/') ? text.replace(/~/g, '~0').replace(/\//g, '~1') : text}`;
}

/**
 * A plain object (JSON object): not null, not an array, not a Date or a class instance.
 * Checking the prototype chain's length instead of `Object.prototype` accepts objects of other realms.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as object | null;
  // Object.prototype first: the common case skips the second lookup (props are checked per event).
  return proto === null || proto === Object.prototype || Object.getPrototypeOf(proto) === null;
}

/** A JSON primitive; numbers must be finite, as JSON cannot carry the others. */
export function isPrimitive(value: unknown): value is string | number | boolean | null {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || isFiniteNumber(value);
}

/** A finite number. */
export function isFiniteNumber(value: unknown): value is number {
  return Number.isFinite(value);
}

/** Shows a value in a message: primitives as JSON (long strings cut), anything else by its type. */
export function show(value: unknown): string {
  const type = typeof value;
  return value === undefined ? 'nothing'
    : type === 'string' ? JSON.stringify((value as string).length > 40 ? `${cutString(value as string, 40)}…` : value)
      : value === null || type === 'number' || type === 'boolean' ? String(value)
        : Array.isArray(value) ? 'an array'
          : type === 'object' ? 'an object' : `a ${type}`;
}

/** Keys no object in a rule set may carry: they reach `Object.prototype` in naive code. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = /*#__PURE__*/ new Set(['__proto__', 'constructor', 'prototype']);

/** Reports a forbidden key; returns true when `key` is one. */
export function validateForbiddenKey(key: string, path: string): boolean {
  if (!FORBIDDEN_KEYS.has(key)) return false;
  fail(path, `"${key}" is not allowed as a key or name`);
  return true;
}

/** Event prop, trait and context names: `[A-Za-z0-9_.:-]{1,64}`. */
export const PROP_NAME = /^[A-Za-z0-9_.:-]{1,64}$/;

/** What a prop, trait or context name may hold, for the messages that reject one. */
export const NAME_RULE = 'use 1 to 64 letters, digits, _ . : or -';

/** Checks a prop, trait or context name given as a value (`of`, `trait`, `context`). */
export const validatePropName: Check = (value, path, key) => {
  if (typeof value !== 'string') got(path, `"${key as string}" must be a string naming a prop`, value);
  else if (FORBIDDEN_KEYS.has(value)) fail(path, `"${value}" is not allowed as a name`);
  else if (!PROP_NAME.test(value)) fail(path, `${show(value)} is not a valid name; ${NAME_RULE}`);
};
