// Helpers the browser and the edge share so both runtimes read a page the same way.
import { describe, expect, it } from 'vitest';
import { cutString, referrerHost } from '../src/index.js';

describe('cutString', () => {
  it('keeps short strings and cuts long ones to 512 code units', () => {
    expect(cutString('abc')).toBe('abc');
    expect(cutString('x'.repeat(600))).toHaveLength(512);
  });
  it('never leaves half a surrogate pair at the cut', () => {
    const s = `${'x'.repeat(511)}😀tail`;
    expect(cutString(s)).toBe('x'.repeat(511));
  });
});

describe('referrerHost', () => {
  it.each([
    ['https://b.test:8443/p?q=1', 'a.test', 'b.test:8443'],
    ['https://a.test/other', 'a.test', null],
    ['', 'a.test', null],
    [null, 'a.test', null],
    ['not a url', 'a.test', null],
    ['mailto:someone@b.test', 'a.test', null],
    ['file:///etc/passwd', 'a.test', null],
  ] as const)('%j on %s -> %j', (referrer, own, want) => {
    expect(referrerHost(referrer, own)).toBe(want);
  });
});
