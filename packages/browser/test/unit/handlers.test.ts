// The on() handlers of the facade, alone: delivery by segment, changes made from inside a callback,
// failures, and the bookkeeping calls the facade makes on them.
import { describe, expect, it } from 'vitest';
import type { Change, SegletError } from '@seglet/core';
import { createHandlers } from '../../src/facade/createHandlers.js';

const enter = (segment: string, t = 1): Change => ({ segment, member: true, t });
const exit = (segment: string, t = 2): Change => ({ segment, member: false, t });

describe('createHandlers', () => {
  it('delivers a change only to the handlers of its segment, enter before exit, never twice', () => {
    const h = createHandlers(() => {});
    const seen: string[] = [];
    for (let i = 0; i < 100; i++) h.add(`s${i}`, (c) => seen.push(`+${c.segment}`), (c) => seen.push(`-${c.segment}`), false, 0);
    h.change(enter('s42'));
    h.change(enter('s42'));
    h.change(exit('s7'));
    h.change(exit('s42'));
    expect(seen).toEqual(['+s42', '-s42']);
  });

  it('a handler removed by an earlier callback of the same change is skipped; one added meanwhile waits for the next', () => {
    const h = createHandlers(() => {});
    const seen: string[] = [];
    let offB = (): void => {};
    h.add('x', () => {
      seen.push('a');
      offB();
      h.add('x', () => seen.push('late'), undefined, false, 0);
    }, undefined, false, 0);
    offB = h.add('x', () => seen.push('b'), undefined, false, 0);
    h.change(enter('x'));
    expect(seen).toEqual(['a']);
    h.change(exit('x'));
    h.change(enter('x', 3));
    expect(seen).toEqual(['a', 'a', 'late']);
    offB();
    expect(h.ids()).toEqual(['x']);
  });

  it('a throwing handler is reported and the others still run', () => {
    const errors: SegletError[] = [];
    const h = createHandlers((e) => errors.push(e));
    const seen: string[] = [];
    h.add('x', () => { throw new Error('boom'); }, undefined, false, 0);
    h.add('x', () => seen.push('ok'), undefined, false, 0);
    h.change(enter('x'));
    expect(seen).toEqual(['ok']);
    expect(errors.map((e) => e.code)).toEqual(['callback_failed']);
  });

  it('sync brings every handler to the members, exits first; drop and clear remove handlers for good', () => {
    const h = createHandlers(() => {});
    const seen: string[] = [];
    const on = (id: string) => h.add(id, () => seen.push(`+${id}`), () => seen.push(`-${id}`), id === 'a', 5);
    on('a');
    on('b');
    on('c');
    expect(seen).toEqual(['+a']);
    h.sync(new Set(['b']), 6);
    expect(seen).toEqual(['+a', '-a', '+b']);
    // A dropped id that had entered exits first (its swaps are taken back too); 'c' never entered.
    h.drop('b', 7);
    h.drop('c', 7);
    expect(seen).toEqual(['+a', '-a', '+b', '-b']);
    expect(h.ids()).toEqual(['a']);
    h.change(exit('b'));
    h.clear();
    h.change(enter('a'));
    h.sync(new Set(['c']), 7);
    expect(seen).toEqual(['+a', '-a', '+b', '-b']);
    expect(h.ids()).toEqual([]);
  });
});
