import type { IncomingMessage } from 'node:http';

/**
 * Reads a request body of at most `limit` bytes. Past the limit it stops reading (the socket is
 * paused, nothing more is buffered) and resolves `'too_large'`; a client that goes away resolves
 * `'aborted'`.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too_large' | 'aborted'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (v: Buffer | 'too_large' | 'aborted') => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAbort);
      req.off('close', onAbort);
      resolve(v);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) { req.pause(); finish('too_large'); return; }
      chunks.push(chunk);
    };
    const onEnd = () => finish(chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks, size));
    const onAbort = () => finish('aborted');
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAbort);
    req.on('close', onAbort);
  });
}
