import { describe, expect, it } from 'vitest';
import { decodeReferences } from '../src/decodeReferences.js';

// What a browser's getAttribute returns for the value as written in the source.
describe('decodeReferences', () => {
  it('decodes decimal and hex references, with or without the semicolon', () => {
    expect(decodeReferences('high-intent&#44;returning')).toBe('high-intent,returning');
    expect(decodeReferences('&#35;t')).toBe('#t');
    expect(decodeReferences('&#x23;t &#X2c;x&#44y')).toBe('#t ,x,y');
    expect(decodeReferences('&#x1F600;')).toBe('\u{1F600}');
  });

  it('applies HTML fix-ups: 0, surrogates and past U+10FFFF give U+FFFD, C1 controls the windows-1252 characters', () => {
    expect(decodeReferences('&#0;&#xD800;&#x110000;&#99999999999;')).toBe('\ufffd'.repeat(4));
    expect(decodeReferences('&#128;&#x99;&#x81;')).toBe('\u20ac\u2122\u0081');
  });

  it('decodes the common named references, and legacy ones without ";" unless a letter, digit or "=" follows', () => {
    expect(decodeReferences('&amp;&lt;&gt;&quot;&apos;&AMP;&num;&comma;')).toBe('&<>"\'&#,');
    expect(decodeReferences('a&amp b&ampc &amp=1 &lt;')).toBe('a& b&ampc &amp=1 <');
    expect(decodeReferences('&apos &Amp; &unknown; &nosuch')).toBe('&apos &Amp; &unknown; &nosuch');
  });

  it('leaves text without references, and broken ones, as written', () => {
    expect(decodeReferences('plain #id, b')).toBe('plain #id, b');
    expect(decodeReferences('& &# &#; &#x; &#xZ;')).toBe('& &# &#; &#x; &#xZ;');
  });
});
