import { SegletError } from '@seglet/core';
import type { CollectOptions, SegmentsOptions } from '../types.js';
import { COLLECTORS } from './startCollectors.js';

/** `data-x=""`, `"true"` and `"1"` mean true; `"false"` and `"0"` false; absent: `undefined`. */
function flag(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  return !['false', '0', 'no', 'off'].includes(value.trim().toLowerCase());
}

/**
 * `data-collect="pageViews,clicks:all,scroll"`: exactly the listed collectors (`none` or an empty
 * list: none). Names are matched case-insensitively. An unknown name is reported, as the ESM
 * options check does; a list with no known name at all gives `undefined` (the defaults), since a
 * misspelt `pageview` meant some collection, not none.
 */
export function parseCollect(value: string, onError: (error: SegletError) => void): CollectOptions | false | undefined {
  const on: CollectOptions = {};
  for (const key of COLLECTORS) on[key] = false;
  let any = false;
  let unknown = false;
  for (const raw of value.split(',')) {
    const [name = '', mode] = raw.trim().toLowerCase().split(':');
    const key = COLLECTORS.find((k) => k.toLowerCase() === name);
    if (!key) {
      if (name !== '' && name !== 'none') {
        unknown = true;
        const path = `/collect/${name.slice(0, 32)}`;
        onError(new SegletError('invalid_option', `${path}: unknown option`, { issues: [{ path, message: 'unknown option' }] }));
      }
      continue;
    }
    any = true;
    if (key === 'clicks') on.clicks = mode === 'all' ? 'all' : true;
    else on[key] = true;
  }
  return any ? on : unknown ? undefined : false;
}

/** The options a script tag's `data-*` attributes give (runtime section 7); `rules` defaults to `#seglet-rules`. */
export function scriptOptions(data: DOMStringMap, onError: (error: SegletError) => void): SegmentsOptions {
  const options: SegmentsOptions = { rules: data['rules'] || '#seglet-rules', onError };
  if (data['beacon']) {
    const respect = flag(data['respectGpc']);
    options.beacon = respect === undefined ? { url: data['beacon'] } : { url: data['beacon'], respectGPC: respect };
  }
  // A misspelt consent state must not mean `granted`: createSegments reports it and holds back.
  if (data['consent'] !== undefined) options.consent = data['consent'] as SegmentsOptions['consent'];
  const cookie = flag(data['cookie']);
  if (cookie !== undefined) options.cookie = cookie;
  const storage = data['storage'];
  if (storage === 'memory' || storage === 'indexeddb') options.storage = storage;
  // Reported as the ESM options check does (a misspelt `memory` stored events unannounced).
  else if (storage !== undefined) onError(new SegletError('invalid_option', '/storage: unknown; the default applies', { issues: [{ path: '/storage', message: "must be 'indexeddb' or 'memory'" }] }));
  const collect = data['collect'] === undefined ? undefined : parseCollect(data['collect'], onError);
  if (collect !== undefined) options.collect = collect;
  const dom = flag(data['dom']);
  if (dom !== undefined) options.dom = dom;
  const debug = flag(data['debug']);
  if (debug !== undefined) options.debug = debug;
  return options;
}
