import type { EventEmitter } from 'node:events';

/**
 * Ends the process quietly with status 0 when the reader of `stream` has gone away
 * (`seglet simulate ... | head -1`): without a listener, the EPIPE error of the next write is
 * unhandled and Node prints its stack trace. Any other error is thrown as before.
 */
export function exitOnClosedPipe(stream: EventEmitter, exit: (code: 0) => void): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    exit(0);
  });
}
