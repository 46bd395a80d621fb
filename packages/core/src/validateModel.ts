import { didYouMean, validateKeys } from './validateKeys.js';
import {
  at, checkFields, fail, got, isFiniteNumber, isPlainObject, needs, show, validateForbiddenKey, type Check, type Field,
} from './validateShared.js';
import { CONDITION_KEYS, KIND_INFO, kindsIn, VALUE_KINDS, validateParams, validateSource } from './validateSource.js';
import { OPERATORS, type OperandRules } from './validateTest.js';

const LABEL = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
const LINKS: readonly string[] = ['logistic', 'linear'];

const validateNumber = /*#__PURE__*/ needs(isFiniteNumber, 'a number');

// `weight` is required in a score term (a missing one shows as "got nothing"); a cluster feature has none.
const TERM_FIELDS: readonly Field[] = [['weight', validateNumber, true], ['cap', validateNumber]];

/** Checks a value expression `E`: an aggregate, `since`, `session`, `context` or `trait` without tests. */
function validateValue(value: unknown, path: string): string | undefined {
  const values = VALUE_KINDS.join(', ');
  if (!isPlainObject(value)) return got(path, `"value" needs an object with one of ${values}`, value);
  const keys = Object.keys(value);
  const kinds = kindsIn(keys);
  const kind = kinds[0];
  if (kinds.length !== 1 || !kind) {
    // Its keys and parameters are checked all the same, as validateCondition does for a condition.
    validateKeys(value, path, [...CONDITION_KEYS], '"value"', undefined, keys);
    validateParams(value, path);
    return fail(path, `"value" needs exactly one kind, got ${kinds.join(', ') || 'none'}; use one of ${values}`);
  }
  if (!VALUE_KINDS.includes(kind)) return fail(at(path, kind), `"${kind}" cannot be a value; use one of ${values}`);
  for (const op of OPERATORS) {
    if (Object.hasOwn(value, op)) fail(at(path, op), `a value takes no test operator such as "${op}"; test the result of the whole model instead`);
  }
  // Operators were reported above (they belong on the model): they are left out of the keys
  // checked here, and of the keys a message lists as allowed.
  const [, allowed, named] = KIND_INFO[kind];
  const params = (list: readonly string[]) => list.filter((key) => !OPERATORS.includes(key));
  validateKeys(value, path, params(allowed), `${named} value`, CONDITION_KEYS, params(keys));
  validateSource(value, path, kind);
  return kind;
}

/** Checks a `score` term (`withWeight`) or a `cluster` feature. */
function validateTerm(term: unknown, path: string, withWeight: boolean): void {
  const what = withWeight ? 'a score term' : 'a cluster feature';
  if (!isPlainObject(term)) return got(path, `${what} must be an object like {${withWeight ? '"weight": 1, ' : ''}"value": {"count": "page_view"}}`, term);
  validateKeys(term, path, withWeight ? ['weight', 'value', 'cap'] : ['value', 'cap'], what);
  checkFields(term, path, TERM_FIELDS.slice(withWeight ? 0 : 1));
  if (!Object.hasOwn(term, 'value')) {
    fail(path, `${what} needs "value", e.g. {"count": "page_view", "within": "7d"}`);
  } else if (validateValue(term.value, at(path, 'value')) === 'since' && !Object.hasOwn(term, 'cap')) {
    fail(path, `a "since" value is Infinity when no event matched; add "cap" in milliseconds, e.g. "cap": 2592000000 (30 days)`);
  }
}

/** Checks a required non-empty array of score terms (`withWeight`) or cluster features; returns its length when it is an array. */
const validateTerms: Check = (list, path, key, withWeight) => {
  const what = `"${key as string}" needs a non-empty array`;
  if (!Array.isArray(list)) return got(path, what, list);
  // Said outright: "needs a non-empty array, got an array" read as a contradiction.
  if (!list.length) return fail(path, `${what}, got an empty array`);
  for (let i = 0; i < list.length; i++) validateTerm(list[i], at(path, i), withWeight as boolean);
  return list.length;
};

/** Checks a `score` model. */
export const validateScore: Check = (model, path) => {
  if (!isPlainObject(model)) return got(path, '"score" needs an object like {"terms": [{"weight": 1, "value": {"count": "page_view"}}]}', model);
  validateKeys(model, path, ['bias', 'terms', 'link'], 'a score');
  checkFields(model, path, [
    ['bias', validateNumber],
    ['link', (link, p) => {
      if (!LINKS.includes(link as string)) got(p, '"link" must be "logistic" or "linear"', link, typeof link === 'string' ? didYouMean(link, LINKS) : '');
    }],
    ['terms', validateTerms, true],
  ], true);
};

/** Checks an array of one finite number per feature (`mean`, `scale`, a centroid). */
function validateVector(value: unknown, path: string, what: string, size: unknown, nonZero?: boolean): void {
  if (!Array.isArray(value)) return got(path, `${what} needs an array of numbers, one per feature`, value);
  if (size !== undefined && value.length !== size) fail(path, `${what} has ${value.length} numbers but there are ${size as number} features`);
  for (let i = 0; i < value.length; i++) {
    const n: unknown = value[i];
    if (!isFiniteNumber(n)) got(at(path, i), `${what} needs numbers`, n);
    else if (nonZero && n === 0) fail(at(path, i), `${what} entries must not be 0 (features are divided by them)`);
  }
}

/** Checks a `cluster` model; returns its centroid labels when it has any, for the tests on it. */
export const validateCluster: Check = (model, path): OperandRules | undefined => {
  if (!isPlainObject(model)) return got(path, '"cluster" needs an object with "features", "mean", "scale" and "centroids"', model);
  validateKeys(model, path, ['features', 'mean', 'scale', 'centroids'], 'a cluster');
  const own = (key: string): unknown => (Object.hasOwn(model, key) ? model[key] : undefined);
  const size = validateTerms(own('features'), at(path, 'features'), 'features', false);
  validateVector(own('mean'), at(path, 'mean'), '"mean"', size);
  validateVector(own('scale'), at(path, 'scale'), '"scale"', size, true);
  const centroids = own('centroids');
  const centroidsPath = at(path, 'centroids');
  if (!isPlainObject(centroids) || Object.keys(centroids).length === 0) {
    return got(centroidsPath, '"centroids" needs a non-empty object of label to numbers, e.g. {"browser": [0.1, -1.2]}', centroids);
  }
  const labels = new Set<string>();
  for (const label of Object.keys(centroids)) {
    const labelPath = at(centroidsPath, label);
    // As for segment ids, only `__proto__` is refused: `constructor` and `prototype` are labels.
    if (label === '__proto__' && validateForbiddenKey(label, labelPath)) continue;
    if (!LABEL.test(label)) fail(labelPath, `${show(label)} is not a valid label; start with a letter or _, then up to 63 letters, digits, _ or - (no integer-like labels)`);
    labels.add(label);
    validateVector(centroids[label], labelPath, `centroid ${show(label)}`, size);
  }
  return { labels };
};
