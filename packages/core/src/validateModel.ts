import { didYouMean, validateKeys } from './validateKeys.js';
import {
  at, checkFields, fail, got, isFiniteNumber, isPlainObject, show, validateForbiddenKey, type Check, type Field, type ValidationContext,
} from './validateShared.js';
import { CONDITION_KEYS, KIND_INFO, kindsIn, VALUE_KINDS, validateSource } from './validateSource.js';
import { OPERATORS, type OperandRules } from './validateTest.js';

const LABEL = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
const LINKS: readonly string[] = ['logistic', 'linear'];

const validateNumber: Check = (ctx, value, path, key) => {
  if (!isFiniteNumber(value)) got(ctx, path, `"${key as string}" needs a number`, value);
};

// `weight` is required in a score term (a missing one shows as "got nothing"); a cluster feature has none.
const TERM_FIELDS: readonly Field[] = [['weight', validateNumber, true], ['cap', validateNumber]];

/** Checks a value expression `E`: an aggregate, `since`, `session`, `context` or `trait` without tests. */
function validateValue(ctx: ValidationContext, value: unknown, path: string): string | undefined {
  const values = VALUE_KINDS.join(', ');
  if (!isPlainObject(value)) return got(ctx, path, `"value" needs an object with one of ${values}`, value);
  const keys = Object.keys(value);
  const kinds = kindsIn(keys);
  const kind = kinds[0];
  if (kinds.length !== 1 || !kind) return fail(ctx, path, `"value" needs exactly one kind, got ${kinds.join(', ') || 'none'}; use one of ${values}`);
  if (!VALUE_KINDS.includes(kind)) return fail(ctx, at(path, kind), `"${kind}" cannot be a value; use one of ${values}`);
  for (const op of OPERATORS) {
    if (Object.hasOwn(value, op)) fail(ctx, at(path, op), `a value takes no test operator such as "${op}"; test the result of the whole model instead`);
  }
  // Operators were reported above (they belong on the model), so they count as allowed here.
  const [, allowed, named] = KIND_INFO[kind];
  validateKeys(ctx, value, path, allowed, `${named} value`, CONDITION_KEYS, keys);
  validateSource(ctx, value, path, kind);
  return kind;
}

/** Checks a `score` term (`withWeight`) or a `cluster` feature. */
function validateTerm(ctx: ValidationContext, term: unknown, path: string, withWeight: boolean): void {
  const what = withWeight ? 'a score term' : 'a cluster feature';
  if (!isPlainObject(term)) return got(ctx, path, `${what} must be an object like {${withWeight ? '"weight": 1, ' : ''}"value": {"count": "page_view"}}`, term);
  validateKeys(ctx, term, path, withWeight ? ['weight', 'value', 'cap'] : ['value', 'cap'], what);
  checkFields(ctx, term, path, TERM_FIELDS.slice(withWeight ? 0 : 1));
  if (!Object.hasOwn(term, 'value')) {
    fail(ctx, path, `${what} needs "value", e.g. {"count": "page_view", "within": "7d"}`);
  } else if (validateValue(ctx, term.value, at(path, 'value')) === 'since' && !Object.hasOwn(term, 'cap')) {
    fail(ctx, path, `a "since" value is Infinity when no event matched; add "cap" in milliseconds, e.g. "cap": 2592000000 (30 days)`);
  }
}

/** Checks a required non-empty array of score terms (`withWeight`) or cluster features; returns its length when it is an array. */
const validateTerms: Check = (ctx, list, path, key, withWeight) => {
  if (!Array.isArray(list) || list.length === 0) return got(ctx, path, `"${key as string}" needs a non-empty array`, list);
  for (let i = 0; i < list.length; i++) validateTerm(ctx, list[i], at(path, i), withWeight as boolean);
  return list.length;
};

/** Checks a `score` model. */
export const validateScore: Check = (ctx, model, path) => {
  if (!isPlainObject(model)) return got(ctx, path, '"score" needs an object like {"terms": [{"weight": 1, "value": {"count": "page_view"}}]}', model);
  validateKeys(ctx, model, path, ['bias', 'terms', 'link'], 'a score');
  checkFields(ctx, model, path, [
    ['bias', validateNumber],
    ['link', (c, link, p) => {
      if (!LINKS.includes(link as string)) got(c, p, '"link" must be "logistic" or "linear"', link, typeof link === 'string' ? didYouMean(c, link, LINKS) : '');
    }],
    ['terms', validateTerms, true],
  ], true);
};

/** Checks an array of one finite number per feature (`mean`, `scale`, a centroid). */
function validateVector(ctx: ValidationContext, value: unknown, path: string, what: string, size: unknown, nonZero?: boolean): void {
  if (!Array.isArray(value)) return got(ctx, path, `${what} needs an array of numbers, one per feature`, value);
  if (size !== undefined && value.length !== size) fail(ctx, path, `${what} has ${value.length} numbers but there are ${size as number} features`);
  for (let i = 0; i < value.length; i++) {
    const n: unknown = value[i];
    if (!isFiniteNumber(n)) got(ctx, at(path, i), `${what} needs numbers`, n);
    else if (nonZero && n === 0) fail(ctx, at(path, i), `${what} entries must not be 0 (features are divided by them)`);
  }
}

/** Checks a `cluster` model; returns its centroid labels when it has any, for the tests on it. */
export const validateCluster: Check = (ctx, model, path): OperandRules | undefined => {
  if (!isPlainObject(model)) return got(ctx, path, '"cluster" needs an object with "features", "mean", "scale" and "centroids"', model);
  validateKeys(ctx, model, path, ['features', 'mean', 'scale', 'centroids'], 'a cluster');
  const own = (key: string): unknown => (Object.hasOwn(model, key) ? model[key] : undefined);
  const size = validateTerms(ctx, own('features'), at(path, 'features'), 'features', false);
  validateVector(ctx, own('mean'), at(path, 'mean'), '"mean"', size);
  validateVector(ctx, own('scale'), at(path, 'scale'), '"scale"', size, true);
  const centroids = own('centroids');
  const centroidsPath = at(path, 'centroids');
  if (!isPlainObject(centroids) || Object.keys(centroids).length === 0) {
    return got(ctx, centroidsPath, '"centroids" needs a non-empty object of label to numbers, e.g. {"browser": [0.1, -1.2]}', centroids);
  }
  const labels = new Set<string>();
  for (const label of Object.keys(centroids)) {
    const labelPath = at(centroidsPath, label);
    if (validateForbiddenKey(ctx, label, labelPath)) continue;
    if (!LABEL.test(label)) fail(ctx, labelPath, `${show(label)} is not a valid label; start with a letter or _, then up to 63 letters, digits, _ or - (no integer-like labels)`);
    labels.add(label);
    validateVector(ctx, centroids[label], labelPath, `centroid ${show(label)}`, size);
  }
  return { labels };
};
