import type { PropValue } from '@seglet/core';
import { cutString } from './cleanProps.js';
import { pathOf } from './pathOf.js';

const NAMED = '[data-seglet-click]';
// Every input drawn as a button: an image input submits its form, a reset input clears it.
const CONTROLS = 'button, input[type="submit"], input[type="button"], input[type="image"], input[type="reset"], [role="button"]';
const XLINK = 'http://www.w3.org/1999/xlink';

/**
 * Props of a click whose event path (innermost first, as `composedPath()` gives it, so clicks
 * inside open shadow roots count) holds a tracked element, or `null` when it holds none.
 * Reads only attributes: never text content and never form values. `linkOnly`: only when the
 * path holds a link too (a middle click). A click inside the debug overlay is never one.
 */
export function clickProps(path: readonly EventTarget[], location: Location, all: boolean, linkOnly = false): Record<string, PropValue> | null {
  let named: Element | undefined;
  let control: Element | undefined;
  let link: Element | undefined;
  for (const target of path) {
    if (!isElement(target)) continue;
    // seglet's own debug overlay: its buttons are not the site's.
    if (target.localName === 'seglet-debug') return null;
    if (!named && matches(target, NAMED)) named = target;
    if (!link && linkHref(target) !== null) link = target;
    if (!control && (link === target || matches(target, CONTROLS))) control = target;
  }
  if ((!named && !(all && control)) || (linkOnly && !link)) return null;
  const props: Record<string, PropValue> = { path: pathOf(location.href) };
  const name = named?.getAttribute('data-seglet-click');
  if (name) props['name'] = cutString(name);
  // `href` resolves against <base>; SVG links have an object there, so they fall back to the attribute.
  const raw = link ? (link as Partial<HTMLAnchorElement>).href : undefined;
  const href = link ? hrefOf(typeof raw === 'string' ? raw : linkHref(link) ?? '', location) : null;
  if (href !== null) props['href'] = href;
  return props;
}

/** Same-origin links give their path, others their host; other schemes (mailto:, tel:) give nothing. */
export function hrefOf(href: string, location: Location): string | null {
  try {
    const url = new URL(href, location.href);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.origin === location.origin ? cutString(url.pathname) : cutString(url.host);
  } catch {
    return null;
  }
}

/**
 * The target of a link (`a` or `area`, HTML or SVG), or `null` for another element. SVG links
 * written for SVG 1.1 give it as `xlink:href`, which `[href]` selectors do not see.
 */
function linkHref(element: Element): string | null {
  return /^a(rea)?$/.test(element.localName) ? element.getAttribute('href') ?? element.getAttributeNS(XLINK, 'href') : null;
}

function isElement(target: EventTarget): target is Element {
  return (target as Partial<Node>).nodeType === 1;
}

/** The DOM's own `matches`: a custom element may define a method of that name for its own ends. */
function matches(element: Element, selector: string): boolean {
  return Element.prototype.matches.call(element, selector);
}
