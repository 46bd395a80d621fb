import type { PropValue } from '@seglet/core';
import { cutString } from './cleanProps.js';
import { pathOf, referrerHost } from './pathOf.js';
import type { Win } from './types.js';

/** What `page_view` carries, shared by the collector and the facade's `page(path?, title?)`. */
export interface PageViewInput {
  /** Path or URL to record; defaults to `location.pathname`. Query string and hash are dropped. */
  path?: string;
  /** Recorded only when passed: the collector never reads `document.title`. */
  title?: string;
  /** Add the cross-host referrer host (only meaningful for the landing page view). */
  referrer?: boolean;
}

/** Builds `page_view` props: `path`, plus `title` and the referrer host when asked for. */
export function pageViewProps(win: Win, input: PageViewInput = {}): Record<string, PropValue> {
  const here = win.location.href;
  const props: Record<string, PropValue> = { path: input.path === undefined ? pathOf(here) : pathOf(input.path, here) };
  if (typeof input.title === 'string' && input.title !== '') props['title'] = cutString(input.title);
  if (input.referrer) {
    const host = referrerHost(win.document.referrer, win.location.host);
    if (host !== null) props['referrer'] = host;
  }
  return props;
}
