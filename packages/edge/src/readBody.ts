/** HTML bodies over this many bytes pass through unpersonalised (5 MB, read as 5,000,000 bytes). */
export const MAX_HTML_BYTES = 5_000_000;

/** The whole body, or, when it is over the limit, a response that replays it byte for byte. */
export type ReadBody = { bytes: Uint8Array } | { passThrough: Response };

/**
 * Buffers `response.body` up to {@link MAX_HTML_BYTES}, counting the bytes the body hands over
 * (decoded, for a compressed answer `fetch` decodes). A declared `Content-Length` over the limit
 * returns the response itself, unread; a body of unknown length, or a compressed one, that turns
 * out longer is handed back as a stream of the chunks already read followed by the rest, with the
 * same status and headers. Never holds more than the limit plus one read.
 */
export async function readBody(response: Response): Promise<ReadBody> {
  const body = response.body;
  // With a Content-Encoding, Content-Length counts the encoded bytes, not those `body` yields: a
  // few KB of gzip can decode to any size, so only the stream itself can tell.
  const declared = isEncoded(response.headers) ? Number.NaN : Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > MAX_HTML_BYTES || body === null) return { passThrough: response };
  // A declared length within the limit is read in one native call (the runtime holds the body to it).
  if (declared >= 0) return { bytes: new Uint8Array(await response.arrayBuffer()) };
  let byob: ReadableStreamBYOBReader | undefined;
  try {
    byob = body.getReader({ mode: 'byob' });
  } catch {
    // Not a byte stream (a body the worker built itself): read its chunks as they come.
  }
  return byob ? readInto(response, byob) : readChunks(response, body.getReader());
}

/** Whether the body has a `Content-Encoding` other than `identity` (`gzip`, `br`, a list of them). */
function isEncoded(headers: Headers): boolean {
  const encoding = headers.get('content-encoding');
  return encoding !== null && encoding.split(',').some((coding) => !['', 'identity'].includes(coding.trim().toLowerCase()));
}

/**
 * Reads a byte stream into one growing buffer: few, large reads (a default reader hands over the
 * network's small chunks one promise at a time, a tenth of a millisecond on a 50 KB page).
 */
async function readInto(response: Response, reader: ReadableStreamBYOBReader): Promise<ReadBody> {
  let buffer = new Uint8Array(1 << 16);
  let size = 0;
  for (;;) {
    if (size === buffer.byteLength) {
      if (size > MAX_HTML_BYTES) {
        return { passThrough: replay(response, [buffer], () => reader.read(new Uint8Array(1 << 16)), (reason) => reader.cancel(reason)) };
      }
      const grown = new Uint8Array(Math.min(size * 2, MAX_HTML_BYTES + 1));
      grown.set(buffer);
      buffer = grown;
    }
    // The read takes the buffer and hands back the same memory, filled a little further.
    const { done, value } = await reader.read(buffer.subarray(size));
    if (value) {
      buffer = new Uint8Array(value.buffer);
      size += value.byteLength;
    }
    if (done) break;
  }
  return { bytes: buffer.subarray(0, size) };
}

async function readChunks(response: Response, reader: ReadableStreamDefaultReader<Uint8Array>): Promise<ReadBody> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size > MAX_HTML_BYTES) return { passThrough: replay(response, chunks, () => reader.read(), (reason) => reader.cancel(reason)) };
  }
  if (chunks.length === 1 && chunks[0]) return { bytes: chunks[0] };
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return { bytes };
}

/** The response again, its body the chunks already read followed by the rest. */
function replay(response: Response, chunks: Uint8Array[], next: () => Promise<ReadableStreamReadResult<Uint8Array>>, cancel: (reason: unknown) => Promise<void>): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
    },
    async pull(controller) {
      const { done, value } = await next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel,
  });
  // The response itself as init keeps its body encoding (a pre-compressed body stays as it is).
  return new Response(body, response);
}
