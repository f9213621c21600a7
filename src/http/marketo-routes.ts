import type { PermissionKey } from '../domain/permissions.js';

const readWriteOf = (key: PermissionKey) => key.replace(/^read-only-/, 'read-write-') as PermissionKey;

/**
 * The Marketo-plane route table: which methods each path pattern answers. It tells a wrong verb (605)
 * from an unknown path (610), and whether a form POST to a path is a tunnelled query.
 */
export class MarketoRouteTable {
  private readonly routes: { pattern: RegExp; method: string; url: string; takesBody: boolean }[] = [];
  private readonly declared = new Set<PermissionKey>();

  add(method: string, url: string, permissions: readonly PermissionKey[] = [], takesBody = true): void {
    for (const key of permissions) this.declared.add(key);
    // `:name` matches one path segment; everything else literally. One pass: it runs for each of ~400 routes at start.
    const source = url.replace(/:[A-Za-z_][A-Za-z0-9_]*|[.*+?^${}()|[\]\\]/g, (match) =>
      match.startsWith(':') ? '[^/]+' : `\\${match}`,
    );
    this.routes.push({ pattern: new RegExp(`^${source}$`), method, url, takesBody });
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
    return this.routes.some((route) => route.method === method && route.pattern.test(path));
  }

  /** Whether a concrete path answers to `method` with an operation that takes no body (Enqueue Export Job). */
  takesNoBody(method: string, path: string): boolean {
    const route = this.routes.find((candidate) => candidate.method === method && candidate.pattern.test(path));
    return route !== undefined && !route.takesBody;
  }

  /** The methods a concrete path answers to (empty when no Marketo route matches it). */
  methodsFor(path: string): Set<string> {
    const methods = new Set<string>();
    for (const route of this.routes) if (route.pattern.test(path)) methods.add(route.method);
    return methods;
  }
}

export function isMarketoPath(url: string): boolean {
  return url.startsWith('/rest/') || url.startsWith('/bulk/') || url.startsWith('/userservice/');
}
