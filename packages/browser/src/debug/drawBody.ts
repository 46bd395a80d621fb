import type { DebugView } from '../facade/debugHook.js';
import type { Segments } from '../types.js';
import type { Panel } from './createPanel.js';
import { clock, fromNow } from './formatTime.js';
import { renderEvents, RECENT_EVENTS } from './renderEvents.js';
import { renderExplain } from './renderExplain.js';

/** Up to this many segments, every explanation starts unfolded. */
const OPEN_UP_TO = 5;

function el(doc: Document, tag: string, text: string, className?: string): HTMLElement {
  const e = doc.createElement(tag);
  e.textContent = text;
  if (className) e.className = className;
  return e;
}

/** The next-change line: the instant and how far it is, or why there is none. */
export function nextText(until: number | null, now: number): string {
  return until === null ? 'none (only a new event can change memberships)' : `${clock(until)} (${fromNow(until, now)})`;
}

/**
 * One segment: a `<details>` whose summary says member or not and whose body is its explanation,
 * made only while it is open. A folded one whose membership is unchanged is the node drawn before
 * (`kept`): explaining and drawing 2,000 folded segments cost the page ~360 ms per event.
 */
function segment(doc: Document, s: Segments, id: string, open: Map<string, boolean>, openByDefault: boolean, kept: Map<string, HTMLElement>): HTMLElement {
  const member = s.has(id);
  const className = member ? 'member' : 'no';
  const was = kept.get(id) as HTMLDetailsElement | undefined;
  if (was && !was.open && (was.firstChild as HTMLElement).className === className) return was;
  const details = doc.createElement('details');
  const summary = el(doc, 'summary', `${member ? '\u25cf' : '\u25cb'} ${id}${member ? ' (member)' : ''}`, className);
  summary.dataset['segment'] = id;
  details.append(summary);
  const explain = (): void => {
    if (!details.open) details.replaceChildren(summary);
    else if (!summary.nextSibling) {
      const explanation = s.explain(id);
      details.append(explanation ? renderExplain(doc, explanation, clock) : el(doc, 'p', 'explain() answers once seglet is ready', 'muted'));
    }
  };
  details.open = open.get(id) ?? openByDefault;
  explain();
  details.addEventListener('toggle', () => {
    open.set(id, details.open);
    explain();
  });
  kept.set(id, details);
  return details;
}

/**
 * Redraws the panel's body from the instance's current state: status, next change, memberships,
 * every segment's explanation (folding, scroll and keyboard focus kept across redraws), events.
 * Only the nodes that changed are replaced. Returns the countdown's text node and instant, which
 * the overlay ticks between redraws.
 */
export function drawBody(panel: Panel, s: Segments, view: DebugView, open: Map<string, boolean>, kept: Map<string, HTMLElement>): { countdown: Text; until: number | null } {
  const doc = panel.body.ownerDocument;
  const focused = (panel.shadow.activeElement as HTMLElement | null)?.dataset?.['segment'];
  const scroll = panel.body.scrollTop;
  const until = view.engine ? view.engine.nextChange() : null;
  const members = s.members();
  const ids = view.rules ? Object.keys(view.rules.segments) : members;
  const status = el(doc, 'p', `${view.engine ? 'ready' : 'starting: memberships from the snapshot'} \u00b7 storage: ${s.storage}`, 'muted');
  const next = el(doc, 'p', 'next change: ');
  const countdown = doc.createTextNode(nextText(until, Date.now()));
  next.append(countdown);
  const parts: HTMLElement[] = [
    status, next,
    el(doc, 'h3', `Memberships (${members.length})`),
    el(doc, 'p', members.length > 0 ? members.join(', ') : 'none', members.length > 0 ? 'member' : 'muted'),
    el(doc, 'h3', `Segments (${ids.length})`),
    ...ids.map((id) => segment(doc, s, id, open, ids.length <= OPEN_UP_TO, kept)),
    el(doc, 'h3', `Recent events (last ${RECENT_EVENTS})`),
    renderEvents(doc, view.engine ? view.engine.events() : [], clock),
  ];
  const drawn = panel.body.children;
  // In place when each kept node is where it was: moving thousands of nodes restyles them all.
  if (drawn.length === parts.length && parts.every((part, i) => !part.isConnected || drawn[i] === part)) {
    parts.forEach((part, i) => { if (drawn[i] !== part) drawn[i]?.replaceWith(part); });
  } else panel.body.replaceChildren(...parts);
  panel.body.scrollTop = scroll;
  if (focused !== undefined) {
    for (const summary of panel.body.querySelectorAll('summary')) if (summary.dataset['segment'] === focused) summary.focus();
  }
  return { countdown, until };
}
