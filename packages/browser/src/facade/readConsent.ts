import { SegletError } from '@seglet/core';
import type { ConsentState } from '../tabs/types.js';
import type { Report } from './createReporter.js';

/** The consent states, in the order the `invalid_option` message names them. */
export const CONSENT: readonly string[] = ['granted', 'pending', 'denied'];

/** Reports a consent state that is none of `CONSENT`; `then` says what was done instead. */
export function badConsent(report: Report, then = ''): void {
  report(new SegletError('invalid_option', `consent must be granted, pending or denied${then}`, { issues: [{ path: '/consent', message: 'unknown consent state' }] }));
}

/** The consent a page starts with: granted when the option is absent, pending (reported) when it is misspelt. */
export function readConsent(option: unknown, report: Report): ConsentState {
  if (option === undefined) return 'granted';
  if (CONSENT.includes(option as string)) return option as ConsentState;
  badConsent(report, '; treated as pending');
  return 'pending';
}
