import type { SegletError } from '@seglet/core';
import { findIntoSelectors } from './findIntoSelectors.js';
import { endedEarly, endsParagraph } from './endedEarly.js';
import { findMarks, type Mark } from './findMarks.js';
import type { Prepared } from './prepareRules.js';
import { hasSegletAttribute } from './hasSegletAttribute.js';
import { keptTemplates } from './keptTemplates.js';
import { planSelectors } from './planSelectors.js';
import { scanPage, type Scan } from './scanPage.js';
import { spliceMarks } from './spliceMarks.js';
import { unbalanced } from './unbalanced.js';

/** A target chosen to be filled: the template's content and the ids that chose it. */
interface Fill { content: string; applied: string }

/**
 * Personalises one HTML page for `members`, as text (nothing in it is ever executed): one
 * HTMLRewriter pass applies `data-seglet-show|hide` and marks templates and candidate targets,
 * then each target (before or after its template) is filled by splicing that text; seglet
 * templates among a filled target's original children stay live in it, first (as the browser's
 * fill keeps them), rather than inside its `data-seglet-original`. Returns null
 * when the page has no `data-seglet-` attribute, so the caller passes it through byte for byte.
 */
export async function rewriteHtml(bytes: Uint8Array, text: string, members: ReadonlySet<string>, prepared: Prepared, onError: ((e: SegletError) => void) | undefined): Promise<string | null> {
  const { reporter } = prepared;
  const nonce = `seglet${crypto.randomUUID().replaceAll('-', '')}`;
  const check = (id: string): void => {
    if (!prepared.ids.has(id)) reporter.once(onError, 'unknown_segment', `seglet: the page names segment ${JSON.stringify(id.slice(0, 80))}, which the rules do not define`, '');
  };
  const scan = await scanPage(bytes, members, nonce, planSelectors(text, findIntoSelectors(text)), templatesMayNest(text), check);
  const marks = findMarks(scan.html, nonce);
  // Nothing is filled: each candidate target gets back the data-seglet-applied it came with.
  if (!scan.marked) return (await hasSegletAttribute(bytes)) ? spliceMarks(scan.html, marks, (kind, i) => (kind === 'a' ? attribute(scan.targets[i]?.prior ?? null) : '')) : null;
  const report = (code: 'swap_target_missing' | 'swap_invalid_selector' | 'swap_failed', message: string): void => reporter.once(onError, code, `seglet: ${message}`, '');
  for (const { ids, in: name } of scan.foreign) {
    ids.forEach(check);
    report('swap_failed', `a template data-seglet-when=${JSON.stringify(ids.join(',').slice(0, 100))} inside <${name}> is not a template to the HTML parser (it is ${name === 'svg' ? 'SVG' : 'MathML'}); neither the edge nor the browser fills with it: move it out of the <${name}>`);
  }
  const byName = new Map(marks.map((mark) => [`${mark.kind}${mark.index}`, mark]));
  const fills = chooseFills(scan, marks, byName, members, check, report);
  const kept = keptTemplates(fills.keys(), byName, scan.templates.length);
  const replace = (kind: string, index: number): string => {
    const fill = fills.get(index);
    if (kind === 't') return fill ? `${(kept.get(index) ?? []).map((i) => templateSource(scan, marks, byName, i)).join('')}<template data-seglet-original>` : '';
    if (kind === 'u') return fill ? `</template>${fill.content}` : '';
    if (kind === 'a') return attribute(fill ? fill.applied : scan.targets[index]?.prior ?? null);
    return '';
  };
  // The text outside the kept templates, which are written again at the start of their target.
  let out = '';
  let at = 0;
  for (const i of [...kept.values()].flat().sort((a, b) => a - b)) {
    const before = byName.get(`p${i}`);
    const after = byName.get(`q${i}`);
    if (before === undefined || after === undefined) continue;
    out += spliceMarks(scan.html, marks, replace, at, before.from);
    at = after.to;
  }
  return out + spliceMarks(scan.html, marks, replace, at);
}

/** Whether the text has two template start tags, so that one template may be inside another. */
function templatesMayNest(text: string): boolean {
  // Global: the second test goes on from where the first match ended.
  const tag = /<template/gi;
  return tag.test(text) && tag.test(text);
}

/** For each target, the first template in document order whose segments hold (any of its ids). */
function chooseFills(scan: Scan, marks: readonly Mark[], byName: Map<string, Mark>, members: ReadonlySet<string>, check: (id: string) => void, report: (code: 'swap_target_missing' | 'swap_invalid_selector' | 'swap_failed', message: string) => void): Map<number, Fill> {
  const fills = new Map<number, Fill>();
  scan.templates.forEach((template, index) => {
    template.ids.forEach(check);
    const selector = template.into?.trim() ?? '';
    const shown = JSON.stringify(selector.slice(0, 100));
    if (selector === '') {
      report('swap_target_missing', `a template data-seglet-when=${JSON.stringify(template.ids.join(',').slice(0, 100))} has no data-seglet-into`);
      return;
    }
    if (scan.unsupported.includes(selector)) {
      report('swap_invalid_selector', `data-seglet-into=${shown} is not a selector the edge supports (an #id always is); left to the browser`);
      return;
    }
    const holding = template.ids.filter((id) => members.has(id));
    if (holding.length === 0) return;
    const target = scan.bySelector.get(selector);
    if (target === undefined) {
      report('swap_target_missing', `data-seglet-into=${shown} matches no element`);
      return;
    }
    // Its end mark is written with its end tag: without one the element is never closed.
    if (target === 'foreign') {
      report('swap_failed', `data-seglet-into=${shown} matches an element inside <svg> or <math>, where the parser would read the fill as SVG or MathML; left to the browser`);
      return;
    }
    if (target === 'void' || target === 'text' || !byName.has(`u${target}`)) {
      const why = target === 'void' ? 'cannot have children' : target === 'text' ? 'holds only text (<title>, <textarea>, <script>...)' : 'is never closed';
      report('swap_failed', `data-seglet-into=${shown} matches an element that ${why}; left to the browser`);
      return;
    }
    if (fills.has(target)) return;
    const content = templateContent(scan, marks, byName, index);
    // A template never closed has no known end: it cannot fill anything.
    if (content === null) return;
    // The browser would end the target inside its children or inside the fill: the splice would
    // take its siblings into data-seglet-original, or leave the fill beside it after an exit.
    const tag = scan.targets[target]?.tag ?? '';
    const children = between(scan, marks, byName.get(`t${target}`), byName.get(`u${target}`)) ?? '';
    const start = byName.get(`a${target}`)?.from ?? 0;
    if (endedEarly(tag, children) || endedEarly(tag, content) || endsParagraph(scan.html, start, tag, children + content)) {
      report('swap_failed', `data-seglet-into=${shown} matches a <${tag}> that the browser ends at a start tag inside it or inside the template (an omitted end tag, or a block in a <p> or in an element inside one); left to the browser`);
      return;
    }
    // Spliced, an end tag the content never opened closes the target's ancestors, and an element it
    // never closes takes the target's end tag; parsed as a template's content, neither reaches out.
    if (unbalanced(content)) {
      report('swap_failed', `data-seglet-into=${shown} is filled by a template whose content has an end tag without its start tag, or leaves an element open; left to the browser`);
      return;
    }
    fills.set(target, { content, applied: holding.join(',') });
  });
  return fills;
}

/** The source of template `index`'s content, every mark inside it resolved as "not filled". */
function templateContent(scan: Scan, marks: readonly Mark[], byName: Map<string, Mark>, index: number): string | null {
  return between(scan, marks, byName.get(`s${index}`), byName.get(`e${index}`));
}

/** The source of template `index` itself, start and end tags included, resolved the same way. */
function templateSource(scan: Scan, marks: readonly Mark[], byName: Map<string, Mark>, index: number): string {
  return between(scan, marks, byName.get(`p${index}`), byName.get(`q${index}`)) ?? '';
}

function between(scan: Scan, marks: readonly Mark[], open: Mark | undefined, close: Mark | undefined): string | null {
  if (open === undefined || close === undefined) return null;
  return spliceMarks(scan.html, marks, (kind, i) => (kind === 'a' ? attribute(scan.targets[i]?.prior ?? null) : ''), open.to, close.from);
}

/** ` data-seglet-applied="value"`, or nothing for null. */
function attribute(value: string | null): string {
  return value === null ? '' : ` data-seglet-applied="${value.replaceAll('&', '&amp;').replaceAll('"', '&quot;')}"`;
}
