// In-page side of the browser benchmark (a classic script served as /bench/inPage.js; chromium.mjs calls
// `window.bench.*` through page.evaluate). Everything here runs in Chromium's main thread beside the SDK.
/* global MessageChannel, PerformanceObserver, indexedDB, crossOriginIsolated */
(() => {
  // Deterministic PRNG (mulberry32), as bench/lib.mjs at the root.
  const prng = (seed) => {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  };

  const CYCLE = ['page_view', 'view_item', 'page_view', 'click', 'scroll', 'add_to_cart', 'page_view', 'view_item', 'scroll', 'click'];
  const OTHER_PAGES = ['/category/shoes', '/category/books', '/category/garden', '/blog/how-to-choose', '/search', '/cart', '/', '/sale/winter'];
  const CATEGORIES = ['books', 'garden', 'kitchen', 'toys'];

  /**
   * A shopper's event stream. Each event type alternates between two values of the prop one of the five
   * `last` rules of the fixture reads (product page or not, price >= 100 or not, ...), so every event of the
   * stream changes at least one membership: every measured track() has an on() callback to time.
   * With `purchases`, every 40th event is a purchase (and every 120th a begin_checkout) for the history.
   */
  function stream(seed, { purchases = false } = {}) {
    const rnd = prng(seed);
    const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
    const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
    const seen = {};
    let i = 0;
    return () => {
      i++;
      if (purchases && i % 120 === 0) return { type: 'begin_checkout', props: { value: int(20, 300) } };
      if (purchases && i % 40 === 0) return { type: 'purchase', props: { value: int(20, 300), currency: 'EUR', transaction_id: `o-${i}` } };
      const type = CYCLE[i % CYCLE.length];
      const odd = (seen[type] = (seen[type] ?? 0) + 1) % 2 === 1;
      const item = `p-${int(1, 400)}`;
      switch (type) {
        case 'page_view': return { type, props: { path: odd ? `/product/${item}` : pick(OTHER_PAGES) } };
        case 'view_item': return { type, props: { item_id: item, price: odd ? int(100, 300) : int(5, 99), item_category: pick(CATEGORIES) } };
        case 'add_to_cart': return { type, props: { item_id: item, value: int(10, 150), currency: 'EUR', quantity: 1, item_category: odd ? 'shoes' : pick(CATEGORIES) } };
        case 'click': return { type, props: { name: odd ? 'promo' : 'nav', path: `/product/${item}` } };
        default: return { type, props: { depth: odd ? 100 : 25, path: `/product/${item}` } };
      }
    };
  }

  // A fresh task without setTimeout's clamping: the SDK's per-task write (a microtask) runs between events.
  const channel = new MessageChannel();
  const waiting = [];
  channel.port1.onmessage = () => waiting.shift()?.();
  const nextTask = () => new Promise((resolve) => { waiting.push(resolve); channel.port2.postMessage(0); });
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  /**
   * track() -> first on() callback, timed inside the page with performance.now() (5 µs resolution when
   * cross-origin isolated). One event per task, `warmup` untimed first. Callbacks are registered on all ids.
   */
  async function latency({ ids, warmup, n, seed, engineOnly, withWrite }) {
    const s = engineOnly ? await engine() : window.segments;
    const bareWrite = withWrite ? await bareStore() : null;
    await s.ready;
    let first = 0;
    let calls = 0;
    const cb = () => { calls++; if (first === 0) first = performance.now(); };
    const offs = ids.map((id) => s.on(id, cb, cb));
    const next = stream(seed);
    const callback = [];
    const whole = [];
    const floor = [];
    let silent = 0;
    for (let i = 0; i < warmup + n; i++) {
      const e = next();
      await nextTask();
      first = 0;
      const t0 = performance.now();
      s.track(e.type, e.props);
      const t1 = performance.now();
      // Two back-to-back timestamps: the timer's resolution plus whatever preempts the thread (a busy machine).
      const c0 = performance.now();
      const c1 = performance.now();
      // The write the spec asks of every tracking task, bare and untimed: what it costs the next task.
      if (bareWrite) bareWrite.put(i);
      if (i < warmup) continue;
      floor.push(c1 - c0);
      if (first === 0) silent++;
      else callback.push(first - t0);
      whole.push(t1 - t0);
    }
    offs.forEach((off) => off());
    await s.flush?.();
    return { callback, whole, floor, silent, calls, isolated: crossOriginIsolated };
  }

  /** One IndexedDB transaction with one put and an explicit commit, as the SDK writes a task's events. */
  async function bareStore() {
    const db = await new Promise((resolve, reject) => {
      const q = indexedDB.open('bench-bare', 1);
      q.onupgradeneeded = () => q.result.createObjectStore('kv');
      q.onsuccess = () => resolve(q.result);
      q.onerror = () => reject(q.error);
    });
    return {
      put(i) {
        const tx = db.transaction('kv', 'readwrite');
        tx.objectStore('kv').put({ v: 1, events: [{ id: `bench:${i}`, type: 'page_view', t: Date.now(), props: { path: '/x' } }] }, `e:bench:${i}`);
        tx.commit();
      },
    };
  }

  let core = null;
  /** The core engine alone (dist/core), with the page's rules: the same track()/on() without the browser runtime. */
  async function engine() {
    if (!core) {
      const { createEngine } = await import('/dist/core/index.js');
      core = createEngine({ rules: JSON.parse(document.getElementById('seglet-rules').textContent) });
      core.ready = Promise.resolve();
    }
    return core;
  }

  /**
   * Stores `n` events through the SDK, their times spread evenly over the past `days` days (oldest first),
   * 1 to 5 events per task as a real visit's page views, scrolls and clicks would come.
   */
  async function fill({ n, days, seed }) {
    const s = window.segments;
    await s.ready;
    const next = stream(seed, { purchases: true });
    const rnd = prng(seed + 1);
    const start = Date.now() - days * 86_400_000;
    const step = (days * 86_400_000) / n;
    for (let i = 0; i < n;) {
      await nextTask();
      const k = Math.min(n - i, 1 + Math.floor(rnd() * 5));
      for (let j = 0; j < k; j++, i++) {
        const e = next();
        s.track(e.type, e.props, { t: Math.floor(start + i * step) });
      }
    }
    await s.flush();
  }

  /** Records long tasks and long animation frames (with the scripts they ran) until `stop()`. */
  function observe() {
    const longtasks = [];
    const frames = [];
    const observers = [];
    const watch = (type, into, map) => {
      try {
        const o = new PerformanceObserver((list) => { for (const e of list.getEntries()) into.push(map(e)); });
        o.observe({ type, buffered: false });
        observers.push(o);
      } catch { /* entry type not supported */ }
    };
    watch('longtask', longtasks, (e) => ({ start: e.startTime, duration: e.duration }));
    watch('long-animation-frame', frames, (e) => ({
      start: e.startTime, duration: e.duration, blocking: e.blockingDuration,
      scripts: (e.scripts ?? []).map((x) => ({ url: x.sourceURL, fn: x.sourceFunctionName, invoker: x.invoker, duration: x.duration })),
    }));
    return async () => {
      await sleep(100);
      observers.forEach((o) => { o.takeRecords?.(); o.disconnect(); });
      return { longtasks, frames };
    };
  }

  /**
   * `n` events, `perTask` per task, tasks queued back to back; `noop` replaces track() by reading the event
   * (the harness's own cost). Ends when the SDK's writes (and any retention pruning) are committed.
   */
  async function burst({ n, perTask, seed, noop }) {
    const s = window.segments;
    await s.ready;
    const next = stream(seed, { purchases: true });
    const events = Array.from({ length: n }, next);
    let sink = 0;
    const stop = observe();
    const t0 = performance.now();
    for (let i = 0; i < n; i += perTask) {
      await nextTask();
      for (let j = i; j < i + perTask && j < n; j++) {
        const e = events[j];
        if (noop) sink += e.type.length;
        else s.track(e.type, e.props);
      }
    }
    const tracked = performance.now();
    await s.flush();
    const flushed = performance.now();
    const seen = await stop();
    return { ...seen, ms: tracked - t0, flushMs: flushed - tracked, sink };
  }

  const readAll = () => new Promise((resolve, reject) => {
    const req = indexedDB.open('seglet');
    req.onerror = () => reject(req.error);
    req.onsuccess = () => {
      const db = req.result;
      const tx = db.transaction('kv', 'readonly');
      const k = tx.objectStore('kv').getAllKeys();
      const v = tx.objectStore('kv').getAll();
      tx.oncomplete = () => { db.close(); resolve([k.result, v.result]); };
      tx.onerror = () => { db.close(); reject(tx.error); };
    };
  });

  /** The parts of a restore, timed one by one: read the stored log, then build an engine from it (with and without holds). */
  async function restoreParts() {
    const { createEngine } = await import('/dist/core/index.js');
    const rules = JSON.parse(document.getElementById('seglet-rules').textContent);
    const t0 = performance.now();
    const [keys, values] = await readAll();
    const t1 = performance.now();
    const events = [];
    keys.forEach((key, i) => { if (String(key).startsWith('e/')) for (const e of values[i].events) events.push(e.props ? { type: e.type, t: e.t, props: e.props } : { type: e.type, t: e.t }); });
    events.sort((a, b) => a.t - b.t);
    const t2 = performance.now();
    createEngine({ rules, events });
    const t3 = performance.now();
    const noHold = structuredClone(rules);
    for (const seg of Object.values(noHold.segments)) delete seg.hold;
    createEngine({ rules: noHold, events });
    const t4 = performance.now();
    return { records: keys.length, events: events.length, readMs: t1 - t0, engineMs: t3 - t2, noHoldMs: t4 - t3 };
  }

  /** `navigator.storage.estimate()` and what the SDK's database holds: records (keys) and events. */
  async function storage() {
    const estimate = await navigator.storage.estimate();
    const [keys, values] = await readAll();
    let events = 0;
    let bytes = 0;
    keys.forEach((key, i) => {
      if (!String(key).startsWith('e/')) return;
      events += values[i]?.events?.length ?? 0;
      bytes += JSON.stringify(values[i]).length;
    });
    return { usage: estimate.usage ?? null, idb: estimate.usageDetails?.indexedDB ?? null, records: keys.length, events, json: bytes };
  }

  /** Tracks `n` events, `perTask` per task, then waits for the writes and pruning to be committed. */
  async function track({ n, perTask, seed }) {
    const s = window.segments;
    await s.ready;
    const next = stream(seed, { purchases: true });
    for (let i = 0; i < n; i += perTask) {
      await nextTask();
      for (let j = i; j < i + perTask && j < n; j++) {
        const e = next();
        s.track(e.type, e.props);
      }
    }
    await s.flush();
  }

  window.bench = { latency, fill, burst, storage, track, restoreParts, sleep };
})();
