import { describe, expect, it } from 'vitest';
import { isUtf8Label } from '../src/isUtf8Label.js';
import { prescanCharset } from '../src/prescanCharset.js';

const scan = (text: string): string | null => prescanCharset(Buffer.from(text, 'latin1'));

describe('prescanCharset (HTML prescan of the first 1,024 bytes)', () => {
  it('finds <meta charset> in any quoting and case, lowercased and trimmed', () => {
    expect(scan('<!doctype html><html><head><meta charset="windows-1252">')).toBe('windows-1252');
    expect(scan("<META CHARSET=' ISO-8859-1 '>")).toBe('iso-8859-1');
    expect(scan('<meta charset=Shift_JIS>')).toBe('shift_jis');
    expect(scan('<meta/charset=utf-8>')).toBe('utf-8');
    // Unquoted, a value ends only at a space or '>': the label is 'utf-8/', which no browser knows.
    expect(scan('<meta charset=utf-8/>')).toBe('utf-8/');
    expect(scan('<p>no declaration</p>')).toBeNull();
  });

  it('counts a content charset only with http-equiv="content-type", in either order', () => {
    expect(scan('<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">')).toBe('windows-1251');
    expect(scan('<meta content="text/html;charset=\'koi8-r\'" http-equiv=content-type>')).toBe('koi8-r');
    expect(scan('<meta content="text/html; charset=koi8-r"><meta charset="utf-8">')).toBe('utf-8');
    expect(scan('<meta http-equiv="refresh" content="5; charset=koi8-r">')).toBeNull();
    expect(scan('<meta http-equiv="content-type" content="text/html; charset=">')).toBeNull();
  });

  it('skips comments, other tags with quoted ">" in attributes, and <!, </, <? constructs', () => {
    expect(scan('<!-- <meta charset="koi8-r"> --><meta charset="gbk">')).toBe('gbk');
    expect(scan('<!--><meta charset="gbk">')).toBe('gbk');
    expect(scan('<div title="<meta charset=koi8-r>"></div><meta charset="big5">')).toBe('big5');
    expect(scan('<?xml version="1.0" encoding="koi8-r"?><!DOCTYPE html></p><meta charset="euc-kr">')).toBe('euc-kr');
    expect(scan('<metadata charset="koi8-r"><meta charset="euc-jp">')).toBe('euc-jp');
  });

  it('takes the first attribute of a name, and a charset attribute over a content one', () => {
    expect(scan('<meta charset="gbk" charset="utf-8">')).toBe('gbk');
    expect(scan('<meta http-equiv="content-type" content="text/html; charset=koi8-r" charset="utf-8">')).toBe('utf-8');
  });

  it('reads UTF-16 labels as UTF-8 and x-user-defined as windows-1252, as the standard says', () => {
    expect(scan('<meta charset="utf-16le">')).toBe('utf-8');
    expect(scan('<meta charset="x-user-defined">')).toBe('windows-1252');
  });

  it('looks at the first 1,024 bytes only', () => {
    const pad = `<p>${'x'.repeat(1000)}</p>`;
    expect(scan(`${pad}<meta charset="koi8-r">`)).toBeNull();
    expect(scan(`${'x'.repeat(1000)}<meta charset="koi8-r">`)).toBe('koi8-r');
  });
});

describe('isUtf8Label', () => {
  it('accepts every Encoding Standard label of UTF-8, case and spacing aside, and nothing else', () => {
    for (const label of ['utf-8', 'UTF8', ' Unicode-1-1-UTF-8 ', '"utf-8"', 'unicode11utf8', 'unicode20utf8', 'x-unicode20utf8']) expect(isUtf8Label(label)).toBe(true);
    for (const label of ['utf-16', 'windows-1252', 'latin1', 'utf-8x', '']) expect(isUtf8Label(label)).toBe(false);
  });
});
