import { cutString, deviceType } from '@seglet/core';
import type { Props } from '@seglet/core';
import { readLanding } from './readLanding.js';

/** The parts of `request.cf` the edge reads (absent outside Cloudflare). */
interface CfLike { country?: unknown; timezone?: unknown }

/** `request.cf` when the runtime provides one. */
export function cfOf(request: Request): CfLike | undefined {
  const cf = (request as { cf?: unknown }).cf;
  return typeof cf === 'object' && cf !== null ? (cf as CfLike) : undefined;
}

/**
 * The context keys the edge reads from the request: `path` (`URL.pathname`), `utm_*` and
 * `referrer` (from `seglet_c` when present), `language` (first `Accept-Language` tag), `country`
 * (`request.cf.country`, else null) and `device` (the core's classifier on `User-Agent` and
 * `Sec-CH-UA-Mobile`). `hour` and `weekday` are the engine's, computed in the time zone.
 */
export function requestContext(request: Request, url: URL): Props {
  const headers = request.headers;
  const landing = readLanding(url, headers.get('cookie'), headers.get('referer'));
  const country = cfOf(request)?.country;
  return {
    path: cutString(url.pathname),
    device: deviceType(headers.get('user-agent'), headers.get('sec-ch-ua-mobile')),
    language: firstLanguage(headers.get('accept-language')),
    country: typeof country === 'string' && country !== '' ? cutString(country) : null,
    referrer: landing.referrer,
    utm_source: landing.utm_source,
    utm_medium: landing.utm_medium,
    utm_campaign: landing.utm_campaign,
  };
}

/** The first tag of an `Accept-Language` list (`"de-CH, de;q=0.9"` gives `de-CH`); null when none. */
function firstLanguage(header: string | null): string | null {
  if (!header) return null;
  const first = header.split(',', 1)[0] ?? '';
  const tag = (first.split(';', 1)[0] ?? '').trim();
  return tag === '' || tag === '*' ? null : cutString(tag);
}
