// personalize() in front of an origin function that hands over a pre-compressed page (as one
// reading gzip objects from R2 or KV would): the body is already gzip, sent with encodeBody: 'manual'.
// x-test-page is the page, x-test-type its Content-Type (default UTF-8 HTML).
import { personalize } from '../../src/index.js';
import { RULESETS } from './rulesets.js';

async function gzip(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export default {
  async fetch(request: Request): Promise<Response> {
    const h = request.headers;
    const body = await gzip(h.get('x-test-page') ?? '<p>plain</p>');
    const headers = { 'content-type': h.get('x-test-type') ?? 'text/html; charset=utf-8', 'content-encoding': 'gzip', etag: '"z"' };
    return personalize(request, {
      rules: RULESETS.main,
      origin: () => new Response(body, { headers, encodeBody: 'manual' }),
    });
  },
};
