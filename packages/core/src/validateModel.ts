import { didYouMean, validateKeys } from './validateKeys.js';
import {
  at, fail, isFiniteNumber, isPlainObject, own, quoteKind, show, validateForbiddenKey, type ValidationContext,
} from './validateShared.js';
import { CONDITION_KEYS, KIND_PARAMS, kindsIn, VALUE_KINDS, validateSource } from './validateSource.js';
import { OPERATORS } from './validateTest.js';

const LABEL = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
const LINKS: readonly string[] = ['logistic', 'linear'];
// Operators are reported apart (they belong on the model), so they count as allowed here.
const ALLOWED = new Map(VALUE_KINDS.map((kind) => [kind, [kind, ...KIND_PARAMS[kind], ...OPERATORS]]));

/** Checks a value expression `E`: an aggregate, `since`, `session`, `context` or `trait` without tests. */
function validateValue(ctx: ValidationContext, value: unknown, path: string): string | undefined {
  if (!isPlainObject(value)) {
    fail(ctx, path, `"value" needs an object with one of ${VALUE_KINDS.join(', ')}, got ${show(value)}`);
    return undefined;
  }
  const keys = Object.keys(value);
  const kinds = kindsIn(keys);
  const kind = kinds[0];
  if (kind === undefined || kinds.length > 1) {
    fail(ctx, path, `"value" needs exactly one kind, got ${kinds.length === 0 ? 'none' : kinds.join(', ')}; use one of ${VALUE_KINDS.join(', ')}`);
    return undefined;
  }
  if (!VALUE_KINDS.includes(kind)) {
    fail(ctx, at(path, kind), `"${kind}" cannot be a value; use one of ${VALUE_KINDS.join(', ')}`);
    return undefined;
  }
  for (const op of OPERATORS) {
    if (Object.hasOwn(value, op)) fail(ctx, at(path, op), `a value takes no test operator such as "${op}"; test the result of the whole model instead`);
  }
  validateKeys(ctx, value, path, ALLOWED.get(kind) as string[], `${quoteKind(kind)} value`, CONDITION_KEYS, keys);
  validateSource(ctx, value, path, kind);
  return kind;
}

/** Checks a `score` term (`withWeight`) or a `cluster` feature. */
function validateTerm(ctx: ValidationContext, term: unknown, path: string, withWeight: boolean): void {
  const what = withWeight ? 'a score term' : 'a cluster feature';
  if (!isPlainObject(term)) {
    fail(ctx, path, `${what} must be an object like {${withWeight ? '"weight": 1, ' : ''}"value": {"count": "page_view"}}, got ${show(term)}`);
    return;
  }
  validateKeys(ctx, term, path, withWeight ? ['weight', 'value', 'cap'] : ['value', 'cap'], what);
  if (withWeight && !isFiniteNumber(own(term, 'weight'))) fail(ctx, at(path, 'weight'), `"weight" needs a number, got ${show(own(term, 'weight'))}`);
  if (Object.hasOwn(term, 'cap') && !isFiniteNumber(term.cap)) fail(ctx, at(path, 'cap'), `"cap" needs a number, got ${show(term.cap)}`);
  if (!Object.hasOwn(term, 'value')) {
    fail(ctx, path, `${what} needs "value", e.g. {"count": "page_view", "within": "7d"}`);
  } else if (validateValue(ctx, term.value, at(path, 'value')) === 'since' && !Object.hasOwn(term, 'cap')) {
    fail(ctx, path, `a "since" value is Infinity when no event matched; add "cap" in milliseconds, e.g. "cap": 2592000000 (30 days)`);
  }
}

/** Checks a required non-empty array of terms or features; returns its length when it is an array. */
function validateTerms(ctx: ValidationContext, model: Record<string, unknown>, key: string, path: string, withWeight: boolean): number | undefined {
  const list = own(model, key);
  if (!Array.isArray(list) || list.length === 0) {
    fail(ctx, at(path, key), `"${key}" needs a non-empty array, got ${show(list)}`);
    return undefined;
  }
  for (let i = 0; i < list.length; i++) validateTerm(ctx, list[i], at(at(path, key), i), withWeight);
  return list.length;
}

/** Checks a `score` model. */
export function validateScore(ctx: ValidationContext, model: unknown, path: string): void {
  if (!isPlainObject(model)) {
    fail(ctx, path, `"score" needs an object like {"terms": [{"weight": 1, "value": {"count": "page_view"}}]}, got ${show(model)}`);
    return;
  }
  validateKeys(ctx, model, path, ['bias', 'terms', 'link'], 'a score');
  if (Object.hasOwn(model, 'bias') && !isFiniteNumber(model.bias)) fail(ctx, at(path, 'bias'), `"bias" needs a number, got ${show(model.bias)}`);
  if (Object.hasOwn(model, 'link') && (typeof model.link !== 'string' || !LINKS.includes(model.link))) {
    const hint = typeof model.link === 'string' ? didYouMean(ctx, model.link, LINKS) : '';
    fail(ctx, at(path, 'link'), `"link" must be "logistic" or "linear", got ${show(model.link)}${hint}`);
  }
  validateTerms(ctx, model, 'terms', path, true);
}

/** Checks an array of one finite number per feature (`mean`, `scale`, a centroid). */
function validateVector(ctx: ValidationContext, value: unknown, path: string, what: string, size: number | undefined, nonZero: boolean): void {
  if (!Array.isArray(value)) {
    fail(ctx, path, `${what} needs an array of numbers, one per feature, got ${show(value)}`);
    return;
  }
  if (size !== undefined && value.length !== size) fail(ctx, path, `${what} has ${value.length} numbers but there are ${size} features`);
  for (let i = 0; i < value.length; i++) {
    const n: unknown = value[i];
    if (!isFiniteNumber(n)) fail(ctx, at(path, i), `${what} needs numbers, got ${show(n)}`);
    else if (nonZero && n === 0) fail(ctx, at(path, i), `${what} entries must not be 0 (features are divided by them)`);
  }
}

/** Checks a `cluster` model; returns its centroid labels when it has any, for the tests on it. */
export function validateCluster(ctx: ValidationContext, model: unknown, path: string): ReadonlySet<string> | undefined {
  if (!isPlainObject(model)) {
    fail(ctx, path, `"cluster" needs an object with "features", "mean", "scale" and "centroids", got ${show(model)}`);
    return undefined;
  }
  validateKeys(ctx, model, path, ['features', 'mean', 'scale', 'centroids'], 'a cluster');
  const size = validateTerms(ctx, model, 'features', path, false);
  validateVector(ctx, own(model, 'mean'), at(path, 'mean'), '"mean"', size, false);
  validateVector(ctx, own(model, 'scale'), at(path, 'scale'), '"scale"', size, true);
  const centroids = own(model, 'centroids');
  const centroidsPath = at(path, 'centroids');
  if (!isPlainObject(centroids) || Object.keys(centroids).length === 0) {
    fail(ctx, centroidsPath, `"centroids" needs a non-empty object of label to numbers, e.g. {"browser": [0.1, -1.2]}, got ${show(centroids)}`);
    return undefined;
  }
  const labels = new Set<string>();
  for (const label of Object.keys(centroids)) {
    const labelPath = at(centroidsPath, label);
    if (validateForbiddenKey(ctx, label, labelPath)) continue;
    if (!LABEL.test(label)) fail(ctx, labelPath, `${show(label)} is not a valid label; start with a letter or _, then up to 63 letters, digits, _ or - (no integer-like labels)`);
    labels.add(label);
    validateVector(ctx, centroids[label], labelPath, `centroid ${show(label)}`, size, false);
  }
  return labels;
}
