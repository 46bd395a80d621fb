/** HTML bodies over this many bytes pass through unpersonalised (5 MB, read as 5,000,000 bytes). */
export const MAX_HTML_BYTES = 5_000_000;

/** The whole body, or, when it is over the limit, a response that replays it byte for byte. */
export type ReadBody = { bytes: Uint8Array } | { passThrough: Response };

/**
 * Buffers `response.body` up to {@link MAX_HTML_BYTES}. A declared `Content-Length` over the limit
 * returns the response itself, unread; a body of unknown length that turns out longer is handed
 * back as a stream of the chunks already read followed by the rest, with the same status and headers.
 */
export async function readBody(response: Response): Promise<ReadBody> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > MAX_HTML_BYTES || response.body === null) return { passThrough: response };
  // A declared length within the limit is read in one native call (the runtime holds the body to it).
  if (declared >= 0) return { bytes: new Uint8Array(await response.arrayBuffer()) };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size > MAX_HTML_BYTES) return { passThrough: replay(response, chunks, reader) };
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

function replay(response: Response, chunks: Uint8Array[], reader: ReadableStreamDefaultReader<Uint8Array>): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
    },
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}
