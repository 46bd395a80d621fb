// Hot spots of a CDP CPU profile (Profiler.stop's `profile`, the .cpuprofile format): where the main thread's
// busy time went, by bucket (SDK, its dependencies, harness, GC, native) and by SDK function (self and inclusive
// time), with file:line so a missed goal points at code. Run on the unminified ESM build (dist/index.js), so the
// names are the source's.

const BUCKETS = [
  ['seglet (dist/browser)', (url) => url.includes('/dist/browser/')],
  ['@seglet/core (dist/core)', (url) => url.includes('/dist/core/')],
  ['idb-keyval, web-vitals', (url) => url.includes('/vendor/')],
  ['bench harness (inPage.js)', (url) => url.includes('/bench/')],
];
const SDK = (url) => url.includes('/dist/') || url.includes('/vendor/');
const short = (url) => url.replace(/^https?:\/\/[^/]+\//, '');

function keyOf(node) {
  const f = node.callFrame;
  return f.url ? `${f.functionName || '(anonymous)'}  ${short(f.url)}:${f.lineNumber + 1}` : f.functionName || '(native)';
}

/**
 * Sums samples into self time per node, then per function (self) and per function counted once per stack
 * (inclusive). Busy time excludes `(idle)`. Returns plain rows for printing.
 */
export function hotspots(profile, { top = 12 } = {}) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfById = new Map();
  profile.samples.forEach((id, i) => selfById.set(id, (selfById.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  let busy = 0;
  const buckets = new Map();
  const self = new Map();
  const incl = new Map();
  for (const [id, ms] of selfById) {
    const node = byId.get(id);
    const name = node.callFrame.functionName;
    if (name === '(idle)') continue;
    busy += ms;
    // A browser native (IndexedDB put, localStorage setItem, postMessage...) has no URL: it is charged to the
    // nearest caller that has one, and named with it.
    let caller = id;
    while (caller !== undefined && !byId.get(caller).callFrame.url) caller = parent.get(caller);
    const url = caller === undefined ? '' : byId.get(caller).callFrame.url;
    const native = !node.callFrame.url && !name.startsWith('(');
    const bucket = name.startsWith('(') ? name : `${BUCKETS.find(([, test]) => url && test(url))?.[0] ?? 'other'}${native ? ': browser natives it calls' : ''}`;
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + ms);
    if (url && SDK(url)) {
      const k = native ? `${name || '(native)'} [native] <- ${keyOf(byId.get(caller))}` : keyOf(node);
      self.set(k, (self.get(k) ?? 0) + ms);
    }
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur);
      if (!n.callFrame.url || !SDK(n.callFrame.url)) continue;
      const k = keyOf(n);
      if (seen.has(k)) continue;
      seen.add(k);
      incl.set(k, (incl.get(k) ?? 0) + ms);
    }
  }
  const sorted = (m) => [...m].sort((a, b) => b[1] - a[1]);
  return {
    busy,
    buckets: sorted(buckets),
    self: sorted(self).slice(0, top),
    incl: sorted(incl).slice(0, top),
    core: sorted(incl).filter(([k]) => k.includes('dist/core/')).slice(0, 6),
  };
}

/** Prints `hotspots()` as three short tables. */
export function printHotspots(title, h, table, fmt) {
  console.log(`\n${title}: ${fmt(h.busy, 0)} ms busy on the main thread (idle excluded)`);
  table(['bucket', 'ms', 'share'], h.buckets.map(([k, ms]) => [k, fmt(ms, 1), `${fmt((100 * ms) / h.busy, 1)}%`]));
  console.log('');
  table(['SDK function (self time)', 'ms', 'share'], h.self.map(([k, ms]) => [k, fmt(ms, 1), `${fmt((100 * ms) / h.busy, 1)}%`]));
  console.log('');
  table(['SDK function (inclusive time)', 'ms', 'share'], [...h.incl, ...h.core.filter(([k]) => !h.incl.some(([j]) => j === k))]
    .map(([k, ms]) => [k, fmt(ms, 1), `${fmt((100 * ms) / h.busy, 1)}%`]));
}

/**
 * Allocation by function from a CDP sampling heap profile (HeapProfiler.stopSampling's `profile`, taken
 * with the objects collected by GC included): bytes per tracked event, top sites. Garbage per event is
 * what drives the young-generation collections that land inside a timed track().
 */
export function allocations(profile, events, { top = 10 } = {}) {
  const self = new Map();
  let total = 0;
  // A built-in (filter, join, a Set) is named with the nearest caller that has a URL.
  const walk = (n, caller) => {
    const k = n.callFrame.url ? keyOf(n) : `${n.callFrame.functionName || '(native)'} <- ${caller}`;
    if (n.selfSize) {
      self.set(k, (self.get(k) ?? 0) + n.selfSize);
      total += n.selfSize;
    }
    for (const c of n.children) walk(c, n.callFrame.url ? k : caller);
  };
  walk(profile.head, '(root)');
  return { perEvent: total / events, top: [...self].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, b]) => [k, b / events]) };
}
