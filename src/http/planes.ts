import { FORM_TUNNEL_PREFIX, UNSUPPORTED_METHOD_PREFIX } from './normalise.js';
import { isMarketoPath } from './marketo-routes.js';

/** Which wire format a path answers in. */
export type Plane = 'marketo' | 'identity' | 'admin';

export function planeOf(url: string): Plane {
  if (url.startsWith('/identity/') || url === '/identity') return 'identity';
  if (isMarketoPath(url) || url.startsWith(FORM_TUNNEL_PREFIX) || url.startsWith(UNSUPPORTED_METHOD_PREFIX)) {
    return 'marketo';
  }
  return 'admin';
}
