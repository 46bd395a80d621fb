// A Cloudflare Worker in front of the demo shop: every HTML page is personalised before its first
// byte leaves the edge. Segments are for personalisation, never for authorization.
import { personalize } from '@seglet/edge';
import rules from '../rules.json';

/** Bindings from wrangler.toml. */
interface Env {
  /** The shop's origin, e.g. `https://shop.example.com`. */
  ORIGIN?: string;
}

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    return personalize(request, {
      rules,
      // Forward to the shop when ORIGIN is set; otherwise the request goes where it was addressed
      // (a route in front of the origin server).
      origin: env.ORIGIN ? (incoming) => fetch(toOrigin(incoming, env.ORIGIN as string)) : undefined,
      onError: (error) => console.warn(error.code, error.message),
    });
  },
};

function toOrigin(request: Request, origin: string): Request {
  const url = new URL(request.url);
  const target = new URL(url.pathname + url.search, origin);
  return new Request(target, request);
}
