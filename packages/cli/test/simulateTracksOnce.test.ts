import type * as Core from '@seglet/core';
import { describe, expect, it, vi } from 'vitest';
import { simulate } from '../src/simulate.js';
import { scenario, tempFile } from './files.js';

/** Every engine.track call simulate makes, by event type, on whichever engine it makes it. */
const tracked = vi.hoisted(() => [] as string[]);

vi.mock('@seglet/core', async (importOriginal) => {
  const core = await importOriginal<typeof Core>();
  return {
    ...core,
    createEngine: (options: Parameters<typeof core.createEngine>[0]) => {
      const engine = core.createEngine(options);
      const track = engine.track.bind(engine);
      engine.track = (type, props, opts) => { tracked.push(type); return track(type, props, opts); };
      return engine;
    },
  };
});

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const jsonl = (...lines: unknown[]): string => lines.map((l) => JSON.stringify(l)).join('\n');

describe('simulate tracks each event once', () => {
  it('on the simulation engine only: refused ones are found without tracking anything', () => {
    const events = tempFile('once.jsonl', jsonl(
      { type: 'add_to_cart', t: T0 },
      { type: 'view', t: T0 + 60_000, props: { nested: { a: 1 } } },
      { type: 'purchase', t: T0 + 45 * 60_000 },
      { type: 'Bad Type', t: T0 + 50 * 60_000 },
      { type: 'add_to_cart', t: T0 + 90 * 60_000 },
    ));
    const { output, code, messages } = simulate({ rules: scenario('cart-abandoner'), events, at: '2026-03-01T11:00:00Z' });
    expect(code).toBe(1);
    expect(messages).toBe([
      'skipped line 2: /props/nested: object is not allowed; use a string, number, boolean or null',
      'skipped line 4: /type: not an event type ([a-z0-9_.:-]{1,64})',
      '',
    ].join('\n'));
    expect(output).toBe([
      '2026-03-01T10:30:00.000Z  enter  cart-abandoner',
      '2026-03-01T10:45:00.000Z  exit   cart-abandoner',
      '2 events replayed, 1 after --at ignored',
      'members at 2026-03-01T11:00:00.000Z: (none)',
      '',
    ].join('\n'));
    // Before, a probe engine tracked all five first, then the simulation's engine the two replayed.
    expect(tracked).toEqual(['add_to_cart', 'purchase']);
  });
});
