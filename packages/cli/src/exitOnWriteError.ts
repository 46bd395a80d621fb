import type { EventEmitter } from 'node:events';
import type { ExitCode } from './types.js';

/**
 * Ends the process cleanly when `stream` cannot be written. A reader that has gone away
 * (`seglet simulate ... | head -1`, EPIPE) ends it quietly with `status()`, the code the command
 * already returned (0 by default): a reader that stops early does not make invalid input pass, as
 * it did with `seglet check bad.json 2>&1 | head` under `set -o pipefail`. Any other failure (a
 * full disk, `> /dev/full`, an I/O error) lost output the caller asked for: it is said in one line
 * through `report` (where there is another stream to say it on), not as Node's stack trace, and
 * the command never ends with 0.
 */
export function exitOnWriteError(stream: EventEmitter, exit: (code: ExitCode) => void, status: () => ExitCode = () => 0, report?: (text: string) => void): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') return exit(status());
    try {
      report?.(`seglet: cannot write the output: ${e.message}\n`);
    } catch {
      // That stream failed too: the exit code still tells.
    }
    exit(status() || 1);
  });
}
