import type { Change } from '@seglet/core';
import type { EventStore } from '../storage/types.js';
import type { BeaconOptions, ConsentState } from '../types.js';
import type { Report } from './createReporter.js';

/** What the facade gives a beacon sender when it starts one. */
export interface BeaconInput {
  options: BeaconOptions;
  win: Window;
  /** The current event store; `null` while consent is not granted. */
  store: () => EventStore | null;
  anonymousId: () => string;
  userId: () => string | null;
  onError: Report;
}

/** The facade's side of the beacon (runtime section 4): it tells, the sender decides what to send. */
export interface BeaconSeam {
  /** Memberships changed (after `ready`); `members` is the whole current set. */
  changes(changes: readonly Change[], members: readonly string[]): void;
  consent(state: ConsentState): void;
  /** Page exit (`pagehide`, `visibilitychange: hidden`). */
  exit(): void;
  flush(): Promise<void>;
  /** `forget()` ran here (`local`) or in another tab. */
  forget(local: boolean): void;
  destroy(): void;
}

/** A sender factory; the facade calls it only when the `beacon` option is set. */
export type CreateBeacon = (input: BeaconInput) => BeaconSeam;

/** The seam used when no sender is wired: accepts everything, sends nothing. */
export const noBeacon: BeaconSeam = {
  changes: () => undefined,
  consent: () => undefined,
  exit: () => undefined,
  flush: () => Promise.resolve(),
  forget: () => undefined,
  destroy: () => undefined,
};
