import type { EventEmitter } from 'node:events';
import type { ExitCode } from './types.js';

/**
 * Ends the process quietly when the reader of `stream` has gone away
 * (`seglet simulate ... | head -1`): without a listener, the EPIPE error of the next write is
 * unhandled and Node prints its stack trace. It ends with `status()`, the code the command already
 * returned (0 by default): a reader that stops early does not make invalid input pass, as it did
 * with `seglet check bad.json 2>&1 | head` under `set -o pipefail`. Any other error is thrown as before.
 */
export function exitOnClosedPipe(stream: EventEmitter, exit: (code: ExitCode) => void, status: () => ExitCode = () => 0): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    exit(status());
  });
}
