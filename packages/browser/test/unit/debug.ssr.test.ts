// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { mountDebug } from '../../src/debug/mountDebug.js';
import type { Segments } from '../../src/types.js';

describe('debug overlay without a window (SSR, Node)', () => {
  it('mountDebug returns a no-op instead of throwing when there is no window', () => {
    expect(typeof globalThis.window).toBe('undefined');
    const segments = { ready: Promise.resolve(), storage: 'memory', members: () => [] } as unknown as Segments;
    let off: (() => void) | undefined;
    expect(() => { off = mountDebug(segments); }).not.toThrow();
    expect(off).toBeTypeOf('function');
    expect(() => off?.()).not.toThrow();
  });
});
