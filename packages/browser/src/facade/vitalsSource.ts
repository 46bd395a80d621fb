import type { VitalsApi } from '../collectors/collectVitals.js';

let source: (() => Promise<VitalsApi>) | null = null;

/**
 * Sets where the `vitals` collector gets `web-vitals` from. Each entry sets its own before it
 * starts seglet: the npm entry a dynamic import (bundlers split it off), the script tag its
 * sibling file. Opt-in code must not weigh on every page.
 */
export function setVitalsSource(load: () => Promise<VitalsApi>): void {
  source = load;
}

/** The source set by the entry, if any. */
export const vitalsSource = (): (() => Promise<VitalsApi>) | null => source;
