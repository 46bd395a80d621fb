// The `seglet` executable: everything testable lives in main(); this file only binds it to the process.
import { main } from './main.js';
import { exitOnClosedPipe } from './closedPipe.js';

exitOnClosedPipe(process.stdout, (code) => process.exit(code));
exitOnClosedPipe(process.stderr, (code) => process.exit(code));
process.exitCode = main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
