// The benchmark's pages. Two builds of the same SDK code: `min` loads dist/seglet.min.js with a script tag
// (what the figures are measured on), `esm` loads dist/index.js through an import map (unminified, so a CPU
// profile names real functions; used only for the hot-spot tables). `floor` has no SDK: an inline script in
// its place reads the SDK's IndexedDB store, the browser's part of a cold start.
import { readFileSync } from 'node:fs';

const rules = readFileSync(new URL('./rules-100.json', import.meta.url), 'utf8');
/** The 100 segment ids of the fixture, in declaration order. */
export const RULE_IDS = Object.keys(JSON.parse(rules).segments);
/** The segment the cold-start swaps depend on: every history of 50+ page views is a member. */
export const SWAP_SEGMENT = 'loyal-visitor';

// Before the SDK: a timestamp log of the swaps (MutationObserver) and the state seen by each animation frame
// until both swap elements are parsed. rAF callbacks run in the rendering update that paints, so each frame's
// state is what that paint shows (null: the element was not parsed yet, so it could not be painted).
const PROBE = `
window.__bench = { swaps: {}, frames: [], errors: [] };
addEventListener('seglet:error', (e) => window.__bench.errors.push(e.detail.code));
new MutationObserver((records) => {
  const at = performance.now();
  for (const r of records) {
    const el = r.target;
    if (r.type === 'attributes' && el.id === 'for-new' && el.hidden) window.__bench.swaps.hide ??= at;
    if (r.type === 'childList' && el.id === 'hero' && el.querySelector('#filled')) window.__bench.swaps.fill ??= at;
  }
}).observe(document.documentElement, { subtree: true, childList: true, attributes: true, attributeFilter: ['hidden'] });
const frame = () => {
  const el = document.getElementById('for-new');
  const hero = document.getElementById('hero');
  window.__bench.frames.push({ at: performance.now(), hide: el ? el.hidden : null, fill: hero ? !!document.getElementById('filled') : null });
  if (window.__bench.frames.length < 10 && !(el && hero)) requestAnimationFrame(frame);
};
requestAnimationFrame(frame);`;

const SDK = {
  min: `<script>window.__bench.before = performance.now();</script>
<script src="/dist/browser/seglet.min.js" data-collect="none"$CONSENT></script>
<script>window.__bench.after = performance.now(); segments.ready.then(() => { window.__bench.ready = performance.now(); });</script>`,
  esm: `<script type="importmap">{"imports":{"@seglet/core":"/dist/core/index.js","idb-keyval":"/vendor/idb-keyval/index.js","web-vitals":"/vendor/web-vitals/web-vitals.js"}}</script>
<script type="module">
window.__bench.before = performance.now();
const { createSegments } = await import('/dist/browser/index.js');
window.segments = createSegments({ rules: '#seglet-rules', collect: false, onError: (e) => window.__bench.errors.push(e.code) });
window.__bench.after = performance.now();
segments.ready.then(() => { window.__bench.ready = performance.now(); });
</script>`,
  // No SDK: the SDK's first IndexedDB work (open, then all keys and values of its store in one transaction)
  // issued by an inline script at the same place in the page. The browser's own floor for a restore.
  floor: `<script>window.__bench.before = performance.now();
(() => {
  const done = (records) => { window.__bench.after = window.__bench.before; window.__bench.ready = performance.now(); window.__bench.records = records; };
  const open = indexedDB.open('seglet');
  open.onerror = () => done(-1);
  open.onsuccess = () => {
    const db = open.result;
    const store = db.transaction('kv').objectStore('kv');
    const keys = store.getAllKeys();
    const values = store.getAll();
    values.onsuccess = () => { done(keys.result.length); db.close(); };
    values.onerror = () => { done(-1); db.close(); };
  };
})();
</script>`,
};

/** The page: rules inline, the SDK in the head, swap elements after it, the in-page bench helpers last. */
export function page(build, { consent } = {}) {
  // Consent pending: the SDK keeps everything in memory, persists nothing and tells no other tab.
  const sdk = SDK[build].replace('$CONSENT', consent ? ` data-consent="${consent}"` : '');
  return () => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>seglet browser bench</title>
<script>${PROBE}</script>
<script type="application/json" id="seglet-rules">${rules}</script>
${sdk}
</head><body>
<h1>seglet browser benchmark</h1>
<p id="for-new" data-seglet-hide="${SWAP_SEGMENT}" style="height:80px;background:#05c;color:#fff">First visit? Here is what we do.</p>
<div id="hero" style="height:80px;background:#eee"><span>default hero</span></div>
<template data-seglet-when="${SWAP_SEGMENT}" data-seglet-into="#hero"><b id="filled">Welcome back</b></template>
<p>Some ordinary page text below the personalised parts.</p>
<script src="/bench/inPage.js"></script>
</body></html>`;
}
