import type { IncomingMessage } from 'node:http';
import { isMarketoPath } from './marketo-routes.js';

/**
 * Request normalisation, before routing:
 * - a leading Munchkin id (`/123-ABC-456/rest/…`) names the subscription the call is for: it is removed
 *   (src/subscriptions.ts);
 * - percent-escaped unreserved characters are decoded (`/%61dmin` is `/admin`, RFC 3986 §6.2.2.2), so every
 *   check on the path sees the path the router will match;
 * - on the Marketo plane, `/rest/../bulk/v1/...` and `//` resolve to their plain path (clients such as
 *   node-marketo-rest send them);
 * - `POST …?_method=GET|DELETE` with a JSON body becomes that method (lead-database.md);
 * - a form-encoded POST is sent to the form tunnel (form-tunnel.ts), which reads `_method` (and every parameter)
 *   from the body;
 *   on the Asset API it stays a POST unless `_method` says otherwise.
 */
export const FORM_TUNNEL_PREFIX = '/__form-tunnel';

/** Where a `_method` naming no Marketo verb is sent: it answers 605. */
export const UNSUPPORTED_METHOD_PREFIX = '/__method-not-supported';

/** Marks the tunnel's own re-dispatched requests (a per-instance secret, so clients cannot spoof it). */
export const TUNNEL_HEADER = 'x-fake-marketo-tunnel';

/** The verbs `_method` may name. */
export const TUNNELLED_METHODS: ReadonlySet<string> = new Set(['GET', 'POST', 'DELETE']);

const UNRESERVED = /[A-Za-z0-9\-._~]/;

function decodeUnreserved(path: string): string {
  if (!path.includes('%')) return path;
  return path.replace(/%([0-9A-Fa-f]{2})/g, (escape, hex: string) => {
    const char = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : escape;
  });
}

function normalisePath(path: string): string {
  if (!path.includes('/.') && !path.includes('//')) return path;
  return new URL(path.replace(/\/{2,}/g, '/'), 'http://normalise.invalid').pathname;
}

function isFormBody(request: IncomingMessage): boolean {
  return (request.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}

/**
 * Whether a form POST goes straight to its route rather than through the form tunnel: on the Asset API, where a form
 * body is a create's or an update's own format (assets.md), to a path with a POST operation, with no `_method` in the
 * query. The route's gate then waits for the body (marketo-gate.ts): a `_method` or `access_token` in it still sends
 * the call through the tunnel. The tunnel's second pass through the pipeline doubled an asset write's cost.
 */
export type PostsDirectly = (path: string) => boolean;

/** The form POSTs the rewriter sent straight to their route: their gate waits for the body. */
export const directFormPosts = new WeakSet<IncomingMessage>();

/** The path without the subscription it names (src/subscriptions.ts), the request remembered as that one's. */
export type SubscriptionPath = (request: IncomingMessage, path: string) => string;

export function createUrlRewriter(
  tunnelSecret: string,
  postsDirectly: PostsDirectly = () => false,
  subscriptionPath: SubscriptionPath = (_request, path) => path,
) {
  return (request: IncomingMessage): string => {
    const url = request.url ?? '/';
    const queryStart = url.indexOf('?');
    const rawPath = subscriptionPath(request, decodeUnreserved(queryStart < 0 ? url : url.slice(0, queryStart)));
    const query = queryStart < 0 ? '' : url.slice(queryStart);
    if (!isMarketoPath(rawPath)) return rawPath + query;
    const path = normalisePath(rawPath);
    if (request.method !== 'POST') return path + query;
    if (isFormBody(request) && request.headers[TUNNEL_HEADER] !== tunnelSecret) {
      if (!new URLSearchParams(query).has('_method') && postsDirectly(path)) {
        directFormPosts.add(request);
        return path + query;
      }
      return FORM_TUNNEL_PREFIX + path + query;
    }
    const override = new URLSearchParams(query).get('_method')?.toUpperCase();
    if (override === undefined) return path + query;
    if (!TUNNELLED_METHODS.has(override)) return UNSUPPORTED_METHOD_PREFIX + path + query;
    request.method = override;
    return path + query;
  };
}
