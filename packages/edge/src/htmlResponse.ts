/** `body` as a UTF-8 HTML response, the form `HTMLRewriter.transform` takes. */
export function htmlResponse(body: Uint8Array): Response {
  return new Response(body, { headers: { 'content-type': 'text/html; charset=utf-8' } });
}
