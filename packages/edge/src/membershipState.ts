import type { Prepared } from './prepareRules.js';

/**
 * What a personalised page's bytes depend on besides the origin's page: the rule set's segment ids
 * and the visitor's memberships. Its digest goes into the page's ETag, so a revalidation made with
 * the same memberships can be checked at the origin and answered 304 (see `originTags`).
 * SHA-256, first 64 bits in hex: two different states never share a tag in practice.
 */
export async function membershipState(prepared: Prepared, members: readonly string[]): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify([prepared.order, members]));
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  let hex = '';
  for (const b of digest.subarray(0, 8)) hex += b.toString(16).padStart(2, '0');
  return hex;
}
