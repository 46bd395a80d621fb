import { describe, expect, it } from 'vitest';
import { sameOpaqueTag } from '../src/personalizedEtag.js';

// The weak comparison the edge applies to the origin's 304 (see notModified in personalize.ts).
describe('sameOpaqueTag', () => {
  it('compares opaque-tags: weak and strong tags with the same one match, around spaces', () => {
    expect(sameOpaqueTag('"e"', '"e"')).toBe(true);
    expect(sameOpaqueTag('W/"e"', '"e"')).toBe(true);
    expect(sameOpaqueTag('"e"', ' W/"e" ')).toBe(true);
    expect(sameOpaqueTag('W/"e"', 'W/"e"')).toBe(true);
  });

  it('tells other opaque-tags apart, and reads only an upper-case W/ as weak', () => {
    expect(sameOpaqueTag('"e"', '"f"')).toBe(false);
    expect(sameOpaqueTag('W/"e"', '"e~seglet"')).toBe(false);
    expect(sameOpaqueTag('w/"e"', '"e"')).toBe(false);
    expect(sameOpaqueTag('"e"', 'e')).toBe(false);
  });
});
