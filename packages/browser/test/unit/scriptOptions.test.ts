import { describe, expect, it } from 'vitest';
import { parseCollect, scriptOptions } from '../../src/facade/scriptOptions.js';

const noop = () => {};

describe('scriptOptions', () => {
  it('reads every data-* attribute', () => {
    const o = scriptOptions({ rules: '/rules.json', beacon: '/b', respectGpc: 'false', consent: 'pending', cookie: '', storage: 'memory', collect: 'pageViews,clicks:all', dom: '0', debug: 'true' }, noop);
    expect(o).toMatchObject({ rules: '/rules.json', beacon: { url: '/b', respectGPC: false }, consent: 'pending', cookie: true, storage: 'memory', dom: false, debug: true });
    expect(o.collect).toEqual({ pageViews: true, clicks: 'all', scroll: false, dataLayer: false, vitals: false });
  });

  it('defaults rules to #seglet-rules and leaves unset options unset', () => {
    expect(scriptOptions({}, noop)).toEqual({ rules: '#seglet-rules', onError: noop });
  });

  it('passes a misspelt consent state on, so createSegments reports it and holds back (never granted by a typo)', () => {
    expect(scriptOptions({ consent: 'grnted' }, noop).consent).toBe('grnted');
  });

  it('reports a misspelt data-storage as invalid_option and leaves the default', () => {
    const errors: { code: string }[] = [];
    const o = scriptOptions({ storage: 'memroy' }, (e) => errors.push(e));
    expect(o.storage).toBeUndefined();
    expect(errors.map((e) => e.code)).toEqual(['invalid_option']);
    scriptOptions({ storage: 'indexeddb' }, (e) => errors.push(e));
    expect(errors).toHaveLength(1);
  });

  it('reads an empty list or none as no collectors', () => {
    expect(parseCollect('none', noop)).toBe(false);
    expect(parseCollect('', noop)).toBe(false);
  });

  it('reports each unknown collector name; a list with no known name keeps the defaults', () => {
    const errors: { code: string; message: string }[] = [];
    const report = (e: { code: string; message: string }) => errors.push(e);
    expect(scriptOptions({ collect: 'pageview' }, report).collect).toBeUndefined();
    expect(parseCollect('pageViews,scrol', report)).toEqual({ pageViews: true, clicks: false, scroll: false, dataLayer: false, vitals: false });
    expect(errors.map((e) => [e.code, e.message])).toEqual([
      ['invalid_option', 'seglet: /collect/pageview: unknown option'],
      ['invalid_option', 'seglet: /collect/scrol: unknown option'],
    ]);
  });
});
