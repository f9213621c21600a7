/** Which wire format a path answers in. */
export type Plane = 'marketo' | 'identity' | 'admin';

const MARKETO_PREFIXES = ['/rest/', '/bulk/', '/userservice/'];

export function planeOf(url: string): Plane {
  if (url.startsWith('/identity/') || url === '/identity') return 'identity';
  if (MARKETO_PREFIXES.some((prefix) => url.startsWith(prefix))) return 'marketo';
  return 'admin';
}
