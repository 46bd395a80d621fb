import type { SegletError } from '@seglet/core';
import { fillTargets, type Fill, type FillProblem } from './fillTargets.js';
import type { Prepared } from './prepareRules.js';
import { marker, scanPage, type Scan } from './scanPage.js';

/**
 * Personalises one HTML page for `members`, as text (nothing in it is ever executed), in at most
 * two HTMLRewriter passes: the first applies `data-seglet-show|hide` and collects the templates,
 * the second fills their targets (which may come before them in the page). Returns null when the
 * page has no `data-seglet-` attribute, so the caller passes it through byte for byte.
 */
export async function rewriteHtml(bytes: Uint8Array, members: ReadonlySet<string>, prepared: Prepared, onError: ((e: SegletError) => void) | undefined): Promise<string | null> {
  const { reporter } = prepared;
  const nonce = `seglet:${crypto.randomUUID()}:`;
  const check = (id: string): void => {
    if (!prepared.ids.has(id)) reporter.once(onError, 'unknown_segment', `seglet: the page names segment ${JSON.stringify(id.slice(0, 80))}, which the rules do not define`, '');
  };
  const scan = await scanPage(bytes, members, nonce, check);
  if (!scan.marked) return null;
  if (scan.templates.length === 0) return scan.html;
  const fills = chooseFills(scan, members, nonce, check, (message) => reporter.once(onError, 'swap_target_missing', message, ''));
  if (fills.length === 0) return stripMarkers(scan.html, nonce);
  const onProblem = (fill: Fill, problem: FillProblem): void => {
    const shown = JSON.stringify(fill.selector.slice(0, 100));
    if (problem === 'unsupported') reporter.once(onError, 'swap_invalid_selector', `seglet: data-seglet-into=${shown} is not a selector the edge supports (an #id always is); left to the browser`, '');
    else if (problem === 'missing') reporter.once(onError, 'swap_target_missing', `seglet: data-seglet-into=${shown} matches no element`, '');
    else reporter.once(onError, 'swap_failed', `seglet: data-seglet-into=${shown} matches an element that ${problem === 'void' ? 'cannot have children' : 'is never closed'}; left to the browser`, '');
  };
  const first = await fillTargets(scan.html, fills, nonce, onProblem);
  if (first.unclosed.length === 0) return first.html;
  // A target never closed would swallow the rest of the page into its original-children template.
  for (const fill of first.unclosed) onProblem(fill, 'unclosed');
  const rest = fills.filter((fill) => !first.unclosed.includes(fill));
  return (await fillTargets(scan.html, rest, nonce, () => undefined)).html;
}

/** For each selector, the first template in document order whose segments hold (any of its ids). */
function chooseFills(scan: Scan, members: ReadonlySet<string>, nonce: string, check: (id: string) => void, missing: (message: string) => void): Fill[] {
  const bySelector = new Map<string, Fill | null>();
  scan.templates.forEach((template, index) => {
    template.ids.forEach(check);
    if (template.into === null || template.into.trim() === '') {
      missing(`seglet: a template data-seglet-when=${JSON.stringify(template.ids.join(',').slice(0, 100))} has no data-seglet-into`);
      return;
    }
    const selector = template.into.trim();
    if (bySelector.get(selector)) return;
    const holding = template.ids.filter((id) => members.has(id));
    if (holding.length === 0) return;
    const content = templateContent(scan.html, nonce, index);
    // A template never closed has no known end: it cannot fill anything.
    if (content === null) return;
    bySelector.set(selector, { selector, content, applied: holding.join(',') });
  });
  return [...bySelector.values()].filter((fill): fill is Fill => fill !== null);
}

function templateContent(html: string, nonce: string, index: number): string | null {
  const open = marker(nonce, 's', index);
  const start = html.indexOf(open);
  const end = start < 0 ? -1 : html.indexOf(marker(nonce, 'e', index), start);
  if (end < 0) return null;
  return stripMarkers(html.slice(start + open.length, end), nonce);
}

/** Removes every first-pass marker (comments starting with `nonce`) from `html`. */
function stripMarkers(html: string, nonce: string): string {
  const open = `<!--${nonce}`;
  let at = html.indexOf(open);
  if (at < 0) return html;
  let out = '';
  let from = 0;
  while (at >= 0) {
    out += html.slice(from, at);
    const end = html.indexOf('-->', at);
    from = end < 0 ? html.length : end + 3;
    at = html.indexOf(open, from);
  }
  return out + html.slice(from);
}
