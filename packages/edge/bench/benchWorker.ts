// The benchmark's worker: the same in-memory ~50 KB page served four ways, so the only difference
// between the routes is what the edge does with it.
import { personalize } from '../src/index.js';
import rules from '../../../examples/edge-worker/rules.json';
import { PAGE, PLAIN_PAGE } from './page.js';

const headers = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'public, max-age=60', etag: '"bench"' };
const page = (): Response => new Response(PAGE, { headers });
const plain = (): Response => new Response(PLAIN_PAGE, { headers });
// An origin that honours its own tag, as a browser's revalidation of an unchanged page meets it.
const conditional = (request: Request): Response => (request.headers.get('if-none-match')?.includes('"bench"') ? new Response(null, { status: 304, headers }) : page());

export default {
  async fetch(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname;
    // A plain pass-through proxy: what a worker without seglet costs.
    if (path === '/proxy') return page();
    if (path === '/personalize') return personalize(request, { rules, origin: page });
    if (path === '/personalize-plain') return personalize(request, { rules, origin: plain });
    if (path === '/revalidate') return personalize(request, { rules, origin: conditional });
    return new Response('not found', { status: 404 });
  },
};
