import type { SegEvent } from '@seglet/core';

/** How many of the latest events the overlay lists. */
export const RECENT_EVENTS = 20;
const PROPS_CHARS = 120;

/** `{"path":"/cart","value":49}` cut to a line; props are page data, so they are shown as text only. */
export function propsText(props: SegEvent['props']): string {
  if (!props || Object.keys(props).length === 0) return '';
  const text = JSON.stringify(props) ?? '';
  return text.length > PROPS_CHARS ? `${text.slice(0, PROPS_CHARS - 1)}\u2026` : text;
}

/** The latest events, newest first: time, type and props. */
export function renderEvents(doc: Document, events: readonly SegEvent[], clock: (t: number) => string): HTMLElement {
  const list = doc.createElement('ol');
  list.className = 'events';
  const recent = events.slice(-RECENT_EVENTS).reverse();
  for (const e of recent) {
    const li = doc.createElement('li');
    const time = doc.createElement('time');
    time.textContent = e.t === undefined ? '' : clock(e.t);
    const type = doc.createElement('b');
    type.textContent = e.type;
    const props = doc.createElement('span');
    props.textContent = propsText(e.props);
    li.append(time, ' ', type, ' ', props);
    list.append(li);
  }
  if (recent.length === 0) {
    const li = doc.createElement('li');
    li.textContent = 'no events yet';
    list.append(li);
  }
  return list;
}
