import { createCollector } from './createCollector.js';
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
  const collector = await createCollector(options);
  const url = await collector.listen();
  console.log(`listening on ${url}`);
  const stop = () => {
    setTimeout(() => process.exit(0), EXIT_DEADLINE_MS).unref();
    collector.close().then(() => process.exit(0), (e: unknown) => {
      console.error('seglet: error while stopping:', (e as Error).message);
      process.exit(0);
    });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((e: unknown) => {
  console.error((e as Error).message.startsWith('seglet:') ? (e as Error).message : `seglet: ${(e as Error).message}`);
  process.exit(1);
});
