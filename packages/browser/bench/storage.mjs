// Scenario 4 of the browser benchmark: storage footprint after 100,000 events with the default retain (see README.md).
import { fmt, goal, table } from '../../../bench/lib.mjs';
import { serve } from './harness.mjs';
import { checkErrors, ms, openReady } from './measure.mjs';
import { page } from './pages.mjs';

/** Runs the scenario on a fresh origin. */
export async function runStorage(ctx) {
  const { browser, summary, step } = ctx;
  console.log('\n## 4. Storage footprint with the default retain (10,000 events, 90 days), 50 events per task\n');
  const origin = await serve({ '/': page('min'), '/esm': page('esm') });
  const tab = await browser.context.newPage();
  try {
    await openReady(tab, `${origin.url}/`);
    const rows = [];
    const at = [];
    // Checkpoints every 10,000 events: usage is sampled often enough to see its sawtooth (below).
    for (let total = 0; total <= 100_000; total += 10_000) {
      const t0 = Date.now();
      if (total > 0) await tab.evaluate((o) => window.bench.track(o), { n: 10_000, perTask: 50, seed: 30 + total / 10_000 });
      const s = await tab.evaluate(() => window.bench.storage());
      at.push(s);
      rows.push([fmt(total, 0), fmt(s.events, 0), fmt(s.records, 0), `${fmt(s.json / 1024, 0)} KiB`, `${fmt((s.idb ?? s.usage) / 1024, 0)} KiB`, `${fmt(s.usage / 1024, 0)} KiB`, total > 0 ? ms(Date.now() - t0, 0) : '']);
    }
    step('storage');
    await checkErrors(ctx, tab, 'storage');
    table(['events tracked', 'events stored', 'records', 'stored JSON', 'IndexedDB usage', 'origin usage', 'took'], rows);
    const small = at[1];
    const big = at[10];
    // The store prunes once its count passes retain + 10% (11,000) and resets the count to what the prune kept,
    // so events written while a prune runs come on top: bounded, but above 11,000 at times.
    const eventsOk = big.events <= 12_000;
    // Chromium's IndexedDB (LevelDB) frees deleted records only at compaction, after its write buffer fills, so
    // usage is a sawtooth above the live size and one sample says little. Bounded means the peak of the
    // second half (60k-100k) is no higher than the first half's (10k-50k); linear growth would double it.
    const peak = (xs) => Math.max(...xs.map((x) => x.usage));
    const first = peak(at.slice(1, 6));
    const second = peak(at.slice(6));
    console.log(`100k vs 10k: stored events x${fmt(big.events / small.events, 2)}, records x${fmt(big.records / small.records, 2)}, stored JSON x${fmt(big.json / small.json, 2)}; usage peak 60k-100k vs 10k-50k: x${fmt(second / first, 2)}`);
    goal(summary, 'stored events after 100,000 (default retain)', `${fmt(big.events, 0)} events in ${fmt(big.records, 0)} records (${fmt(big.json / 1024, 0)} KiB JSON)`, eventsOk, 'bounded: <= 12,000 (retain 10,000 + 10% slack + writes during a prune)');
    goal(summary, 'storage usage, peak 60k-100k vs 10k-50k', `x${fmt(second / first, 2)} (${fmt(first / 1024, 0)} -> ${fmt(second / 1024, 0)} KiB)`, second < 1.5 * first, 'bounded: < x1.5 (linear would be x2)');
  } finally {
    await tab.close();
    await origin.close();
  }
}
