// The seglet shop demo. `node main.mjs` serves the shop and a collector on 127.0.0.1 until
// Ctrl-C; `node main.mjs --headless` runs scripted shoppers through headless Chromium instead,
// prints their membership timelines and what the collector received, and exits.
import { parseArgs } from 'node:util';
import { runHeadless } from './headless/runHeadless.mjs';
import { startDemo } from './server/startDemo.mjs';

function options() {
  try {
    const { values } = parseArgs({ options: { headless: { type: 'boolean' }, port: { type: 'string', default: '0' } } });
    const port = Number(values.port);
    if (Number.isInteger(port) && port >= 0 && port <= 65_535) return { headless: values.headless === true, port };
  } catch {
    // Unknown option: the usage line below says what is accepted.
  }
  console.error('usage: node main.mjs [--port N] [--headless]');
  process.exit(2);
}
const { headless, port } = options();

let demo;
try {
  demo = await startDemo({ port });
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
if (headless) {
  console.log('seglet shop demo, headless: scripted shoppers in Chromium on a simulated clock (time offsets from their first page)');
  try {
    await runHeadless(demo);
  } catch (error) {
    console.error(`seglet shop demo failed: ${error instanceof Error ? error.stack : error}`);
    process.exitCode = 1;
  } finally {
    await demo.close();
  }
} else {
  console.log(`seglet shop demo\n
  shop       ${demo.shopUrl}/
  collector  ${demo.collectorUrl}  (the shop forwards /seglet/beacon to it)
  what it received:
    curl -H 'Authorization: Bearer ${demo.token}' ${demo.collectorUrl}/v1/segments

Browse, add to the cart, read two blog posts to the end, come back after 30 minutes...
The rules are in rules.json; README.md says which segment drives which content. Ctrl-C to stop.`);
  const stop = () => { void demo.close().then(() => process.exit(0)); };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
