import { createCollector } from './createCollector.js';
import type { Collector } from './types.js';
import { parseArgs, USAGE } from './parseArgs.js';

// SIGTERM must end the process within 5 s even if a client or the store hangs.
const EXIT_DEADLINE_MS = 4_800;

async function main(): Promise<void> {
  let options;
  try {
    options = parseArgs(process.argv.slice(2), process.env);
  } catch (e) {
    console.error((e as Error).message.startsWith('seglet:') ? (e as Error).message : `seglet: ${(e as Error).message}`);
    console.error(USAGE);
    process.exit(2);
  }
  if (options === 'help') { console.log(USAGE); return; }
  if (options.allowOrigins.length === 0) console.warn('seglet: no --allow-origin given: every beacon will be answered 403');
  let collector: Collector | null = null;
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(0), EXIT_DEADLINE_MS).unref();
    // Still opening its store (a Redis that does not answer holds startup for up to 10 s):
    // nothing was acknowledged, so there is nothing to drain.
    if (collector === null) process.exit(0);
    collector.close().then(() => process.exit(0), (e: unknown) => {
      console.error('seglet: error while stopping:', (e as Error).message);
      process.exit(0);
    });
  };
  // Before the store opens, so a stop during startup also exits 0. Not once: a second signal
  // would kill the process mid-drain, and one stop often brings two (systemd signals every
  // process of the unit, and npx forwards the one it gets).
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  collector = await createCollector(options);
  const url = await collector.listen();
  // A stop while binding: close() has taken the server down, so it is not announced.
  if (!stopping) console.log(`listening on ${url}`);
}

main().catch((e: unknown) => {
  console.error((e as Error).message.startsWith('seglet:') ? (e as Error).message : `seglet: ${(e as Error).message}`);
  process.exit(1);
});
