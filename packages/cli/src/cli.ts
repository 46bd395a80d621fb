// The `seglet` executable: everything testable lives in main(); this file only binds it to the process.
import { main } from './main.js';
import { exitOnClosedPipe } from './closedPipe.js';
import type { ExitCode } from './types.js';

// A closed pipe is only noticed after main() has returned, so its code is known by then.
let code: ExitCode = 0;
exitOnClosedPipe(process.stdout, (c) => process.exit(c), () => code);
exitOnClosedPipe(process.stderr, (c) => process.exit(c), () => code);
code = main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
process.exitCode = code;
