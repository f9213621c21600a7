import type { AccessToken, Service, User } from './model.js';
import {
  AccessContext,
  decide,
  type Decision,
  effectivePermissions,
  type GrantsByWorkspace,
  type WorkspaceScope,
} from './access.js';
import type { Principal } from './identity.js';
import type { ApiScope } from './permissions.js';

/** Where the cache reads from on a miss: the repositories. */
export interface AccessSource {
  findToken(token: string): AccessToken | undefined;
  findClient(clientId: string): Service | undefined;
  service(id: number): Service;
  user(id: number): User;
  grants(userId: number): GrantsByWorkspace;
  workspaces(): WorkspaceScope[];
}

/** A LaunchPoint service as the identity endpoint needs it: its owner for `scope`, its secret as UTF-8 bytes. */
export interface Client {
  service: Service;
  owner: User;
  secret: Buffer;
}

/** What one API-only user may do: their partitions, and the decision for each route, worked out once. */
export class CallerAccess {
  private readonly decisions = new Map<object, Decision>();
  private readonly effectiveByScope = new Map<ApiScope, Map<number, Set<string>>>();

  constructor(
    private readonly effective: Map<number, Set<string>>,
    readonly context: AccessContext,
    /** The permissions held on the calls of an API that an Access Admin permission also unlocks (permissions.ts). */
    private readonly effectiveOn: (scope: ApiScope) => Map<number, Set<string>> = () => effective,
  ) {}

  /**
   * The decision for a route worked out since the caller's access last changed, if any; `route` is the route's config
   * object (or the permissions a stub declares), the same one on every call.
   */
  decided(route: object): Decision | undefined {
    return this.decisions.get(route);
  }

  /**
   * Works the decision for a route out, and keeps it for the next calls (`decided`); `scope` is the API the route's
   * path belongs to.
   */
  decide(route: object, permissions: readonly string[], requireAll: boolean | undefined, scope?: ApiScope): Decision {
    const decision = decide(scope === undefined ? this.effective : this.scoped(scope), permissions, requireAll);
    this.decisions.set(route, decision);
    return decision;
  }

  private scoped(scope: ApiScope): Map<number, Set<string>> {
    let effective = this.effectiveByScope.get(scope);
    if (!effective) this.effectiveByScope.set(scope, (effective = this.effectiveOn(scope)));
    return effective;
  }
}

/**
 * A Map that forgets its oldest entries once full, so memory stays bounded however many tokens are presented.
 * It drops a tenth at a time with one iterator: a fresh iterator per dropped entry would walk over every slot
 * deleted before it (V8 compacts a Map only when it grows).
 */
class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly limit: number) {
    super();
  }

  override set(key: K, value: V): this {
    if (this.size >= this.limit && !this.has(key)) {
      let toDrop = Math.max(1, Math.floor(this.limit / 10));
      for (const oldest of this.keys()) {
        this.delete(oldest);
        if (--toDrop === 0) break;
      }
    }
    return super.set(key, value);
  }
}

const MAX_ENTRIES = 10_000;

/**
 * Who is calling and what they may do, kept in memory between changes, so that a Marketo call costs one
 * lookup instead of five statements. Any change to workspaces, partitions, roles, users, services or grants,
 * and any removed token, empties it (storage/database.ts `onAccessChange`): nothing here outlives the state it
 * was read from. Token expiry is not cached: callers compare `expiresAt` with their clock on every call.
 */
export class AccessCache {
  private readonly principals = new BoundedMap<string, Principal>(MAX_ENTRIES);
  // Tokens this instance never issued: a client retrying with a bad token costs no statement (issued tokens are
  // fresh random strings, so an unknown one never becomes known).
  private readonly unknownTokens = new BoundedMap<string, true>(MAX_ENTRIES);
  private readonly callers = new BoundedMap<number, CallerAccess>(MAX_ENTRIES);
  private readonly clients = new BoundedMap<string, Client>(MAX_ENTRIES);
  private readonly liveTokens = new BoundedMap<number, AccessToken>(MAX_ENTRIES);
  // Many services may share one API-only user (and its grants): read once.
  private readonly users = new BoundedMap<number, User>(MAX_ENTRIES);
  private scopes: WorkspaceScope[] | undefined;

  constructor(private readonly source: AccessSource) {}

  invalidate(): void {
    this.principals.clear();
    this.unknownTokens.clear();
    this.callers.clear();
    this.clients.clear();
    this.liveTokens.clear();
    this.users.clear();
    this.scopes = undefined;
  }

  /** The service and user behind an access token, expired or not; undefined for an unknown token. */
  principal(token: string): Principal | undefined {
    let principal = this.principals.get(token);
    if (principal) return principal;
    if (this.unknownTokens.has(token)) return undefined;
    const found = this.source.findToken(token);
    if (!found) {
      this.unknownTokens.set(token, true);
      return undefined;
    }
    const service = this.source.service(found.serviceId);
    principal = { token: found, service, user: this.user(service.apiOnlyUserId) };
    this.principals.set(token, principal);
    return principal;
  }

  caller(userId: number): CallerAccess {
    let caller = this.callers.get(userId);
    if (caller) return caller;
    const scopes = (this.scopes ??= this.source.workspaces());
    const grants = this.source.grants(userId);
    const effective = effectivePermissions(grants, scopes);
    caller = new CallerAccess(effective, new AccessContext(effective, scopes), (scope) =>
      effectivePermissions(grants, scopes, scope),
    );
    this.callers.set(userId, caller);
    return caller;
  }

  /** Whether `context` is what the cache holds for the user now: nothing about their access changed since it was read. */
  isCurrent(userId: number, context: AccessContext | undefined): boolean {
    return context !== undefined && this.callers.get(userId)?.context === context;
  }

  client(clientId: string): Client | undefined {
    let client = this.clients.get(clientId);
    if (client) return client;
    const service = this.source.findClient(clientId);
    if (!service) return undefined;
    client = {
      service,
      owner: this.user(service.apiOnlyUserId),
      secret: Buffer.from(service.clientSecret),
    };
    this.clients.set(clientId, client);
    return client;
  }

  private user(id: number): User {
    let user = this.users.get(id);
    if (!user) this.users.set(id, (user = this.source.user(id)));
    return user;
  }

  /** The service's token issued by this instance and still live at `now`, if known. */
  liveToken(serviceId: number, now: number): AccessToken | undefined {
    const token = this.liveTokens.get(serviceId);
    return token && token.expiresAt > now ? token : undefined;
  }

  /** Remembers the token the service was just given (the newest live one). */
  rememberToken(token: AccessToken): AccessToken {
    this.liveTokens.set(token.serviceId, token);
    // Predictable ids (tests' sequentialIds) can issue a string a client presented before.
    this.unknownTokens.delete(token.token);
    return token;
  }
}
