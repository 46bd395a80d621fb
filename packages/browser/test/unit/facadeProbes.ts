import { vi } from 'vitest';
import type { RuleSet, SegEvent, SegletError } from '@seglet/core';
import { createSegments } from '../../src/index.js';
import type { Segments, SegmentsOptions } from '../../src/types.js';
import { openEventStore } from '../../src/storage/index.js';
import { DEBUG_HOOK, type DebugHook } from '../../src/facade/debugHook.js';

/** The types of the events in the seglet database, read through a store of its own. */
export async function storedTypes(): Promise<string[]> {
  const store = openEventStore({ tabId: 'reader' });
  const events = await store.load();
  store.close();
  return events.map((e) => e.type);
}

/** The events the instance's engine holds now, read through its debug hook (none before `ready`). */
export function engineEvents(s: Segments): readonly SegEvent[] {
  const hook = (s as unknown as Record<symbol, DebugHook | undefined>)[DEBUG_HOOK];
  return hook?.().engine?.events() ?? [];
}

/** The JSON bodies the beacon sends from now on (fetch answered 204). */
export function captureBeacons(): Record<string, unknown>[] {
  const bodies: Record<string, unknown>[] = [];
  vi.spyOn(window, 'fetch').mockImplementation(async (_url, init) => {
    bodies.push(JSON.parse(String(init?.body)) as Record<string, unknown>);
    return new Response(null, { status: 204 });
  });
  return bodies;
}

/** Waits `ms` of real time. */
export const tick = (ms = 30): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A facade with `rules` and no collectors; what it reports lands in `errors`, emptied first. */
export function startFacade(rules: RuleSet, errors: SegletError[], extra: Partial<SegmentsOptions> = {}): Segments {
  errors.length = 0;
  return createSegments({ rules, collect: false, onError: (e) => errors.push(e), ...extra });
}
