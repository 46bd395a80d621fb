import { applyStyles } from './overlayStyles.js';

/** The overlay's frame: a host element with an open shadow root, a header and a scrolling body. */
export interface Panel {
  host: HTMLElement;
  shadow: ShadowRoot;
  body: HTMLElement;
  remove(): void;
}

function button(doc: Document, text: string, label: string, onClick: () => void): HTMLButtonElement {
  const b = doc.createElement('button');
  b.type = 'button';
  b.textContent = text;
  b.setAttribute('aria-label', label);
  b.title = label;
  b.addEventListener('click', () => {
    try { onClick(); } catch { /* the page never sees the overlay's failures */ }
  });
  return b;
}

/**
 * Builds the frame and attaches it to the page. A shadow root keeps page CSS out (and the
 * overlay's CSS in); the header's buttons collapse and close it, Escape inside it closes it.
 * `onToggle` hears whether it is now collapsed.
 */
export function createPanel(doc: Document, onClose: () => void, onToggle: (collapsed: boolean) => void): Panel {
  // A tag of its own, which page selectors such as `div` never match.
  const host = doc.createElement('seglet-debug');
  host.setAttribute('data-seglet-debug', '');
  // `all: initial` leaves direction alone: without this an RTL page mirrors the panel.
  host.dir = 'ltr';
  const shadow = host.attachShadow({ mode: 'open' });
  applyStyles(shadow);
  const panel = doc.createElement('section');
  panel.className = 'panel';
  panel.setAttribute('aria-label', 'seglet debug');
  const header = doc.createElement('header');
  const title = doc.createElement('h2');
  title.textContent = 'seglet debug';
  const body = doc.createElement('div');
  body.className = 'body';
  body.id = 'seglet-debug-body';
  const toggle = button(doc, '\u2013', 'Collapse seglet debug', () => {
    const collapsed = panel.classList.toggle('collapsed');
    toggle.textContent = collapsed ? '+' : '\u2013';
    toggle.setAttribute('aria-expanded', String(!collapsed));
    toggle.setAttribute('aria-label', `${collapsed ? 'Expand' : 'Collapse'} seglet debug`);
    toggle.title = toggle.getAttribute('aria-label') ?? '';
    onToggle(collapsed);
  });
  toggle.setAttribute('aria-expanded', 'true');
  toggle.setAttribute('aria-controls', body.id);
  const close = button(doc, '\u00d7', 'Close seglet debug (Escape)', onClose);
  header.append(title, toggle, close);
  panel.append(header, body);
  panel.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape') return;
    e.stopPropagation();
    try { onClose(); } catch { /* as above */ }
  });
  shadow.append(panel);
  // On <html>, not the body: a script in <head> may run before there is one, and a body's
  // transform, filter or overflow would become the fixed panel's containing block and clip.
  doc.documentElement.append(host);
  return { host, shadow, body, remove: () => host.remove() };
}
