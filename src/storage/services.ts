import type { Clock } from '../clock.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../domain/errors.js';
import type { Ids } from '../ids.js';
import { type Database, prepareOnUse } from './database.js';
import { isUniqueViolation } from './sqlite-errors.js';

import type { AccessToken, Service } from '../domain/model.js';

export type { AccessToken, Service };

export interface ServiceInput {
  name: string;
  description?: string;
  apiOnlyUserId: number;
  clientId?: string;
  clientSecret?: string;
}

export interface ServiceRow {
  id: number;
  name: string;
  description: string;
  api_only_user_id: number;
  client_id: string;
  client_secret: string;
  created_at: number;
}

interface TokenRow {
  token: string;
  service_id: number;
  issued_at: number;
  expires_at: number;
}

export function toService(row: ServiceRow): Service {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    service: 'Custom',
    apiOnlyUserId: row.api_only_user_id,
    clientId: row.client_id,
    clientSecret: row.client_secret,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

function toToken(row: TokenRow): AccessToken {
  return { token: row.token, serviceId: row.service_id, issuedAt: row.issued_at, expiresAt: row.expires_at };
}

/**
 * How long, and how many, expired tokens are kept, so that they keep answering 602 (not 601) for a while; older
 * ones are dropped when the service gets a new token, so tokens do not accumulate, whatever the token lifetime.
 */
export const EXPIRED_TOKEN_RETENTION_MS = 24 * 3600 * 1000;
export const EXPIRED_TOKENS_KEPT = 24;

/** An issued token not yet written; `purge` when the service had tokens before it, which may now be purged. */
interface PendingToken {
  token: AccessToken;
  purge: boolean;
}

export interface TokenSettings {
  ttlSeconds: number;
  pod: string;
}

export class ServiceRepository {
  private readonly selectAll;
  private readonly selectFirst;
  private readonly countAll;
  private readonly selectById;
  private readonly selectByClientId;
  private readonly selectByName;
  private readonly insert;
  private readonly deleteRow;
  private readonly selectOwner;
  private readonly selectNewestToken;
  private readonly selectToken;
  private readonly insertToken;
  private readonly deleteExpiredTokens;
  // Made once: better-sqlite3 builds a wrapper per db.transaction() call.
  private readonly writeTokens: (tokens: PendingToken[]) => void;
  /** Issued tokens not yet written, by token and (the newest) by service. */
  private readonly pendingTokens = new Map<string, PendingToken>();
  private readonly pendingByService = new Map<number, AccessToken>();
  private flushScheduled = false;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly ids: Ids,
    private readonly tokens: TokenSettings,
  ) {
    this.selectAll = prepareOnUse<[], ServiceRow>(db, 'SELECT * FROM services ORDER BY id');
    this.selectFirst = prepareOnUse<[number], ServiceRow>(db, 'SELECT * FROM services ORDER BY id LIMIT ?');
    this.countAll = prepareOnUse<[], { n: number }>(db, 'SELECT count(*) AS n FROM services');
    this.selectById = prepareOnUse<[number], ServiceRow>(db, 'SELECT * FROM services WHERE id = ?');
    this.selectByClientId = prepareOnUse<[string], ServiceRow>(db, 'SELECT * FROM services WHERE client_id = ?');
    this.selectByName = prepareOnUse<[string], ServiceRow>(db, 'SELECT * FROM services WHERE name = ?');
    this.insert = prepareOnUse<[string, string, number, string, string, number], { id: number }>(
      db,
      `INSERT INTO services (name, description, api_only_user_id, client_id, client_secret, created_at)
       VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
    );
    this.deleteRow = prepareOnUse<[number]>(db, 'DELETE FROM services WHERE id = ?');
    this.selectOwner = prepareOnUse<[number], { api_only: 0 | 1 }>(db, 'SELECT api_only FROM users WHERE id = ?');
    this.selectNewestToken = prepareOnUse<[number], TokenRow>(
      db,
      'SELECT * FROM access_tokens WHERE service_id = ? ORDER BY expires_at DESC LIMIT 1',
    );
    this.selectToken = prepareOnUse<[string], TokenRow>(db, 'SELECT * FROM access_tokens WHERE token = ?');
    // Written after the call that issued it: a service deleted meanwhile takes its token with it.
    this.insertToken = prepareOnUse<[string, number, number, number, number]>(
      db,
      `INSERT INTO access_tokens (token, service_id, issued_at, expires_at)
       SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM services WHERE id = ?)`,
    );
    this.deleteExpiredTokens = prepareOnUse<{ service: number; now: number; retainedSince: number }>(
      db,
      `DELETE FROM access_tokens WHERE service_id = :service AND expires_at <= :now
         AND (expires_at <= :retainedSince OR token NOT IN (
           SELECT token FROM access_tokens WHERE service_id = :service AND expires_at <= :now
           ORDER BY expires_at DESC LIMIT ${EXPIRED_TOKENS_KEPT}))`,
    );
    this.writeTokens = db.transaction((tokens: PendingToken[]) => this.insertTokens(tokens));
  }

  list(): Service[] {
    return this.selectAll.all().map(toService);
  }

  /** The oldest `limit` services, without reading the rest. */
  first(limit: number): Service[] {
    return this.selectFirst.all(limit).map(toService);
  }

  count(): number {
    return this.countAll.get()!.n;
  }

  find(id: number): Service | undefined {
    const row = this.selectById.get(id);
    return row && toService(row);
  }

  get(id: number): Service {
    const service = this.find(id);
    if (!service) throw new NotFoundError('Service', id);
    return service;
  }

  findByName(name: string): Service | undefined {
    const row = this.selectByName.get(name);
    return row && toService(row);
  }

  findByClientId(clientId: string): Service | undefined {
    const row = this.selectByClientId.get(clientId);
    return row && toService(row);
  }

  create(input: ServiceInput): Service {
    const owner = this.selectOwner.get(input.apiOnlyUserId);
    if (!owner) {
      throw new InvalidInputError('The owner does not exist', [
        { path: 'apiOnlyUserId', message: `user ${input.apiOnlyUserId} does not exist` },
      ]);
    }
    if (owner.api_only !== 1) {
      throw new InvalidInputError('Only an API-only user can own a custom service', [
        { path: 'apiOnlyUserId', message: `user ${input.apiOnlyUserId} is a standard user, not API-only` },
      ]);
    }
    const clientId = input.clientId ?? this.ids.clientId();
    if (this.selectByClientId.get(clientId)) {
      throw new ConflictError(`A service with client id "${clientId}" already exists`);
    }
    try {
      const { id } = this.insert.get(
        input.name,
        input.description ?? '',
        input.apiOnlyUserId,
        clientId,
        input.clientSecret ?? this.ids.clientSecret(),
        this.clock.now(),
      )!;
      return this.get(id);
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError(`A service named "${input.name}" already exists`);
      throw error;
    }
  }

  /** Deleting a service revokes its tokens (ON DELETE CASCADE), those not yet written included. */
  delete(id: number): void {
    this.get(id);
    this.flushTokens();
    this.deleteRow.run(id);
  }

  /**
   * The service's live token, or a new one: Marketo answers the same token until it expires (authentication.md).
   * A new token is usable at once and written to the database with the others issued in the same event-loop turn,
   * in one transaction: one commit per token was most of what a first token cost.
   */
  issueToken(serviceId: number): AccessToken {
    const now = this.clock.now();
    const pending = this.pendingByService.get(serviceId);
    if (pending) {
      if (pending.expiresAt > now) return pending;
      // Renewed within one turn (a moved clock): the expired one is written first, so it is kept and purged as usual.
      this.flushTokens();
    }
    const newest = this.selectNewestToken.get(serviceId);
    if (newest && newest.expires_at > now) return toToken(newest);
    const token: AccessToken = {
      token: `${this.ids.accessToken?.() ?? this.ids.uuid()}:${this.tokens.pod}`,
      serviceId,
      issuedAt: now,
      expiresAt: now + this.tokens.ttlSeconds * 1000,
    };
    // A service's first token has no expired ones to purge after it (most tokens, where clients are many).
    this.pendingTokens.set(token.token, { token, purge: newest !== undefined });
    this.pendingByService.set(serviceId, token);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flushTokens());
    }
    return token;
  }

  /**
   * Writes the tokens issued since the last write (also before a service is deleted, the subscription wiped or the
   * database closed). Never throws: it runs from the event loop, and a token that cannot be written is only lost.
   */
  flushTokens(): void {
    this.flushScheduled = false;
    // A database closed by its owner before the turn ended has nothing left to write to.
    if (this.pendingTokens.size === 0 || !this.db.open) return;
    const tokens = [...this.pendingTokens.values()];
    this.pendingTokens.clear();
    this.pendingByService.clear();
    try {
      this.writeTokens(tokens);
    } catch {
      // One by one, so a token that cannot be written (a full disk, a duplicate) takes only itself down.
      for (const token of tokens) {
        try {
          this.writeTokens([token]);
        } catch (error) {
          const { serviceId } = token.token;
          process.emitWarning(`access token of service ${serviceId} not stored: ${(error as Error).message}`, {
            code: 'FAKE_MARKETO_TOKEN_NOT_STORED',
          });
        }
      }
    }
  }

  findToken(token: string): AccessToken | undefined {
    const pending = this.pendingTokens.get(token);
    if (pending) return pending.token;
    const row = this.selectToken.get(token);
    return row && toToken(row);
  }

  private insertTokens(tokens: PendingToken[]): void {
    const now = this.clock.now();
    for (const { token, purge } of tokens) {
      this.insertToken.run(token.token, token.serviceId, token.issuedAt, token.expiresAt, token.serviceId);
      if (!purge) continue;
      // Expired tokens of the service beyond what is kept go as a new one is written.
      this.deleteExpiredTokens.run({
        service: token.serviceId,
        now,
        retainedSince: now - EXPIRED_TOKEN_RETENTION_MS,
      });
    }
  }
}
