import type { Issue, SegletErrorCode } from './types.js';

/**
 * The one error type of seglet. `code` is stable and machine-readable; `issues` lists every
 * problem of an invalid rule set or value, each with a JSON-pointer path.
 */
export class SegletError extends Error {
  readonly code: SegletErrorCode | (string & {});
  readonly issues?: Issue[];

  constructor(code: SegletErrorCode | (string & {}), message: string, options?: { issues?: Issue[]; cause?: unknown }) {
    super(message.startsWith('seglet:') ? message : `seglet: ${message}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SegletError';
    this.code = code;
    if (options?.issues) this.issues = options.issues;
  }
}
