// --headless: the scripted shoppers go through the shop at the same time, each in its own
// context of one headless Chromium; then the collector is asked what it received.
import { readFileSync } from 'node:fs';
import { createVisitor } from './createVisitor.mjs';
import { formatOffset, formatSegments } from './format.mjs';
import { launchBrowser } from './launchBrowser.mjs';
import { readProfile, readSegments } from './readCollector.mjs';
import { SHOPPERS } from './shoppers.mjs';

const rules = JSON.parse(readFileSync(new URL('../rules.json', import.meta.url), 'utf8'));
const sameSet = (a, b) => Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x) => b.includes(x));

/** One shopper's script, then time passes until the collector holds the page's memberships. */
async function runShopper(browser, demo, shopper, options) {
  const v = await createVisitor(browser, { shopUrl: demo.shopUrl, anonymousId: shopper.anonymousId, ...options });
  try {
    await shopper.script(v);
    // Beacons are coalesced and sent one at a time: let time pass until the collector agrees.
    const synced = await v.until(async () => sameSet((await readProfile(demo.collectorUrl, demo.token, shopper.anonymousId)).members, v.members()));
    const profile = await readProfile(demo.collectorUrl, demo.token, shopper.anonymousId);
    return [
      `${shopper.name} (anonymous id ${shopper.anonymousId})`,
      ...v.timeline().map(({ offset, text }) => `  ${formatOffset(offset)}  ${text}`),
      ...v.problems().map((p) => `  page problem: ${p}`),
      `  collector GET /v1/profiles/${shopper.anonymousId}: ${profile.members ? `[${profile.members.join(', ')}]` : profile.error}${synced ? '' : '  (differs from the page!)'}`,
    ];
  } finally {
    await v.close();
  }
}

/** Runs every shopper against the started demo (`startDemo()`) and prints the report with `log`. */
export async function runHeadless(demo, log = console.log) {
  const segmentIds = Object.keys(rules.segments);
  // Four hours ago, to the minute: the simulated visits end before the collector's "now".
  const start = Math.floor(Date.now() / 60_000) * 60_000 - 4 * 3_600_000;
  const browser = await launchBrowser();
  try {
    const reports = await Promise.all(SHOPPERS.map((shopper) => runShopper(browser, demo, shopper, { segmentIds, start })));
    for (const lines of reports) log(`\n${lines.join('\n')}`);
  } finally {
    await browser.close();
  }
  log('\ncollector GET /v1/segments');
  for (const line of formatSegments(await readSegments(demo.collectorUrl, demo.token))) log(`  ${line}`);
}
