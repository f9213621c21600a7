import type { PermissionKey } from '../domain/permissions.js';

const readWriteOf = (key: PermissionKey) => key.replace(/^read-only-/, 'read-write-') as PermissionKey;

interface Route {
  pattern: RegExp;
  method: string;
  url: string;
  takesBody: boolean;
}

/** How many `/` a path has: a path parameter is within one segment, so a route matches only paths of its count. */
const segmentsOf = (path: string): number => {
  let count = 0;
  for (let at = path.indexOf('/'); at >= 0; at = path.indexOf('/', at + 1)) count++;
  return count;
};

/**
 * The Marketo-plane route table: which methods each path pattern answers. It tells a wrong verb (605)
 * from an unknown path (610), and whether a form POST to a path is a tunnelled query.
 */
export class MarketoRouteTable {
  private readonly routes: Route[] = [];
  // The routes by their number of segments: a lookup tests a few patterns, not all of them (an asset form POST asks
  // on every call whether its path answers POST, which was a scan of some 400 patterns).
  private readonly bySegments = new Map<number, Route[]>();
  private readonly declared = new Set<PermissionKey>();

  add(method: string, url: string, permissions: readonly PermissionKey[] = [], takesBody = true): void {
    for (const key of permissions) this.declared.add(key);
    // `:name` matches one path segment; everything else literally. One pass: it runs for each of ~400 routes at start.
    const source = url.replace(/:[A-Za-z_][A-Za-z0-9_]*|[.*+?^${}()|[\]\\]/g, (match) =>
      match.startsWith(':') ? '[^/]+' : `\\${match}`,
    );
    const route = { pattern: new RegExp(`^${source}$`), method, url, takesBody };
    this.routes.push(route);
    const segments = segmentsOf(url);
    const same = this.bySegments.get(segments);
    if (same) same.push(route);
    else this.bySegments.set(segments, [route]);
  }

  private candidates(path: string): readonly Route[] {
    return this.bySegments.get(segmentsOf(path)) ?? [];
  }

  /**
   * Every permission a route declares, less a Read-Only one whose Read-Write twin is there too (it implies it): the
   * role that may call every served operation (the demo service's, src/lifecycle.ts).
   */
  permissions(): PermissionKey[] {
    return [...this.declared]
      .filter((key) => !(key.startsWith('read-only-') && this.declared.has(readWriteOf(key))))
      .sort();
  }

  /** Every route, as registered (`:name` for a path parameter). */
  list(): { method: string; url: string }[] {
    return this.routes.map(({ method, url }) => ({ method, url }));
  }

  /** Whether a concrete path answers to `method` (stops at the first route that does). */
  answers(method: string, path: string): boolean {
    return this.candidates(path).some((route) => route.method === method && route.pattern.test(path));
  }

  /** Whether a concrete path answers to `method` with an operation that takes no body (Enqueue Export Job). */
  takesNoBody(method: string, path: string): boolean {
    const route = this.candidates(path).find(
      (candidate) => candidate.method === method && candidate.pattern.test(path),
    );
    return route !== undefined && !route.takesBody;
  }

  /** The methods a concrete path answers to (empty when no Marketo route matches it). */
  methodsFor(path: string): Set<string> {
    const methods = new Set<string>();
    for (const route of this.candidates(path)) if (route.pattern.test(path)) methods.add(route.method);
    return methods;
  }
}

export function isMarketoPath(url: string): boolean {
  return url.startsWith('/rest/') || url.startsWith('/bulk/') || url.startsWith('/userservice/');
}
