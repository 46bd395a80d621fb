import { describe, expect, it } from 'vitest';
import { readCookie } from '../src/index.js';

describe('readCookie (shared by the browser and the edge)', () => {
  it.each([
    [null, null],
    ['', null],
    ['other=1', null],
    ['seglet_m=a,b', 'a,b'],
    ['x=1; seglet_m=first; seglet_m=second', 'first'],
    ['  seglet_m  =  "high-intent,cart"  ', 'high-intent,cart'],
    ['seglet_m=a%2Cb', 'a,b'],
    ['seglet_m=%E0%A4%A', '%E0%A4%A'],
    ['seglet_m=', null],
    ['seglet_mx=1; seglet_m=ok', 'ok'],
    ['novalue; seglet_m=ok', 'ok'],
  ] as const)('%j -> %j', (header, want) => {
    expect(readCookie(header, 'seglet_m')).toBe(want);
  });
});
