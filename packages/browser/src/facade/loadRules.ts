import { SegletError, validateRules, type RuleSet } from '@seglet/core';
import type { Report } from './createReporter.js';

/**
 * Validates a rule set; `null` (reported as `invalid_rules`, with every issue) when it is not one.
 * Warnings are not reported: they describe rules that work.
 */
export function checkRules(input: unknown, report: Report): RuleSet | null {
  try {
    const result = validateRules(input);
    if (result.ok) return result.rules;
    report(new SegletError('invalid_rules', `invalid rules: ${result.errors[0]?.path ?? ''} ${result.errors[0]?.message ?? ''}`.trim(), { issues: result.errors }));
  } catch (cause) {
    report(new SegletError('invalid_rules', 'invalid rules', { cause }));
  }
  return null;
}

/** Reads the JSON of `<script type="application/json" id="…">`; `undefined` while the element is not parsed yet. */
export function readRulesElement(doc: Document, selector: string, report: Report): RuleSet | null | undefined {
  let el: Element | null;
  try {
    el = doc.getElementById(selector.slice(1));
  } catch {
    el = null;
  }
  if (!el) return undefined;
  try {
    return checkRules(JSON.parse(el.textContent ?? ''), report);
  } catch (cause) {
    report(new SegletError('invalid_rules', `the rules in ${selector.slice(0, 100)} are not JSON`, { cause }));
    return null;
  }
}

/**
 * Resolves the `rules` option: an object at once; `'#id'` at once when the element is already
 * parsed, else at `DOMContentLoaded`; anything else is a URL fetched with the page's credentials
 * policy (`rules_fetch_failed` on any failure). Never rejects: `null` means "run without rules".
 */
export function loadRules(source: unknown, win: Window, report: Report): RuleSet | null | Promise<RuleSet | null> {
  if (typeof source !== 'string') return checkRules(source, report);
  const doc = win.document;
  if (source.startsWith('#')) {
    const now = readRulesElement(doc, source, report);
    if (now !== undefined || doc.readyState !== 'loading') {
      if (now === undefined) report(new SegletError('invalid_rules', `no element ${source.slice(0, 100)} holds the rules`, { issues: [{ path: '', message: 'element not found' }] }));
      return now ?? null;
    }
    return new Promise((resolve) => {
      doc.addEventListener('DOMContentLoaded', () => {
        const later = readRulesElement(doc, source, report);
        if (later === undefined) report(new SegletError('invalid_rules', `no element ${source.slice(0, 100)} holds the rules`));
        resolve(later ?? null);
      }, { once: true });
    });
  }
  const failed = (cause: unknown): null => {
    report(new SegletError('rules_fetch_failed', `could not load the rules from ${source.slice(0, 200)}`, { cause }));
    return null;
  };
  try {
    return win.fetch(source, { credentials: 'same-origin' })
      .then(async (response) => (response.ok ? checkRules(await response.json(), report) : failed(new Error(`HTTP ${response.status}`))))
      .catch(failed);
  } catch (cause) {
    return failed(cause);
  }
}
