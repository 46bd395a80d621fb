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
  /** Id of the segment being validated. */
  segment: string;
  /** Did-you-mean searches left; bounds the work a hostile rule set can cause. */
  suggestions: number;
  /** Conditions seen so far, against a rule set built in code that reuses one object many times. */
  conditions: number;
}

/** Creates an empty context. */
export function validateContext(): ValidationContext {
  return { errors: [], warnings: [], retainFor: undefined, retainForText: '', refs: [], segment: '', suggestions: 200, conditions: 0 };
}

/** Records an error at `path`. */
export function fail(ctx: ValidationContext, path: string, message: string): void {
  ctx.errors.push({ path, message });
}

/** Appends `key` to a JSON pointer, escaping `~` and `/` as RFC 6901 requires. */
export function at(path: string, key: string | number): string {
  const text = String(key);
  // Most keys need no escaping: skip the two replacements for them (paths are built for every node).
  if (!text.includes('~') && !text.includes('/')) return `${path}/${text}`;
  return `${path}/${text.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/**
 * A plain object (JSON object): not null, not an array, not a Date or a class instance.
 * Checking the prototype chain's length instead of `Object.prototype` accepts objects of other realms.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** An own property's value, else undefined: never one inherited from a (polluted) prototype. */
export function own(object: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/** A JSON primitive; numbers must be finite, as JSON cannot carry the others. */
export function isPrimitive(value: unknown): value is string | number | boolean | null {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || isFiniteNumber(value);
}

/** A finite number. */
export function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Shows a value in a message: primitives as JSON (long strings cut), anything else by its type. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/** `a "count"` but `an "all"`, for messages that name a kind. */
export function quoteKind(kind: string): string {
  return `${/^[aeiou]/.test(kind) ? 'an' : 'a'} "${kind}"`;
}

/** Keys no object in a rule set may carry: they reach `Object.prototype` in naive code. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Reports a forbidden key; returns true when `key` is one. */
export function validateForbiddenKey(ctx: ValidationContext, key: string, path: string): boolean {
  if (!FORBIDDEN_KEYS.has(key)) return false;
  fail(ctx, path, `"${key}" is not allowed as a key or name`);
  return true;
}

/** Event prop, trait and context names: `[A-Za-z0-9_.:-]{1,64}`. */
export const PROP_NAME = /^[A-Za-z0-9_.:-]{1,64}$/;

/** Segment ids: `^[a-z0-9][a-z0-9_-]{0,63}$`. */
export const SEGMENT_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Checks a prop, trait or context name given as a value (`of`, `trait`, `context`). */
export function validatePropName(ctx: ValidationContext, value: unknown, path: string, what: string): void {
  if (typeof value !== 'string') {
    fail(ctx, path, `${what} must be a string naming a prop, got ${show(value)}`);
  } else if (FORBIDDEN_KEYS.has(value)) {
    fail(ctx, path, `"${value}" is not allowed as a name`);
  } else if (!PROP_NAME.test(value)) {
    fail(ctx, path, `${show(value)} is not a valid name; use 1 to 64 letters, digits, _ . : or -`);
  }
}
