// The `seglet` executable: everything testable lives in main(); this file only binds it to the process.
import { main } from './main.js';
import { exitOnWriteError } from './exitOnWriteError.js';
import type { ExitCode } from './types.js';

// A failed write is only noticed after main() has returned, so its code is known by then.
let code: ExitCode = 0;
exitOnWriteError(process.stdout, (c) => process.exit(c), () => code, (text) => process.stderr.write(text));
exitOnWriteError(process.stderr, (c) => process.exit(c), () => code);
code = main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
process.exitCode = code;
