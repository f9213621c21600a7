import type { Clock } from '../clock.js';
import type { Ids } from '../ids.js';
import { type Database, prepareOnUse } from './database.js';

import type { AccessToken } from '../domain/model.js';

export type { AccessToken };

interface TokenRow {
  token: string;
  service_id: number;
  issued_at: number;
  expires_at: number;
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

/**
 * The tokens issued in one turn of the event loop, written together in one transaction (group commit). `stored`
 * settles once the batch is committed, with the tokens that were written; a token missing from it was not (its
 * service was deleted meanwhile, the write failed, or the batch went into another transaction that may yet roll
 * back, such as a reset's wipe).
 */
interface Batch {
  tokens: Map<string, PendingToken>;
  /** The newest token of each service in the batch. */
  byService: Map<number, AccessToken>;
  stored: Promise<ReadonlySet<string>>;
  settle: (written: ReadonlySet<string>) => void;
}

export interface TokenSettings {
  ttlSeconds: number;
  pod: string;
}

const NOTHING_WRITTEN: ReadonlySet<string> = new Set();

/** Access tokens: issued in memory, written in batches, and answered only once their batch is committed. */
export class TokenRepository {
  private readonly selectNewest;
  private readonly selectToken;
  private readonly insertToken;
  private readonly deleteExpired;
  // Made once: better-sqlite3 builds a wrapper per db.transaction() call.
  private readonly writeTokens: (tokens: PendingToken[]) => string[];
  private batch: Batch | undefined;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly ids: Ids,
    private readonly settings: TokenSettings,
  ) {
    this.selectNewest = prepareOnUse<[number], TokenRow>(
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
    this.deleteExpired = prepareOnUse<{ service: number; now: number; retainedSince: number }>(
      db,
      `DELETE FROM access_tokens WHERE service_id = :service AND expires_at <= :now
         AND (expires_at <= :retainedSince OR token NOT IN (
           SELECT token FROM access_tokens WHERE service_id = :service AND expires_at <= :now
           ORDER BY expires_at DESC LIMIT ${EXPIRED_TOKENS_KEPT}))`,
    );
    this.writeTokens = db.transaction((tokens: PendingToken[]) => this.insertTokens(tokens));
  }

  /**
   * The service's live token, or a new one: Marketo answers the same token until it expires (authentication.md).
   * A new token is usable at once and written to the database with the others issued in the same event-loop turn,
   * in one transaction: one commit per token was most of what a first token cost. Answer it only once
   * `whenStored` says it is written.
   */
  issue(serviceId: number): AccessToken {
    const now = this.clock.now();
    const pending = this.batch?.byService.get(serviceId);
    if (pending) {
      if (pending.expiresAt > now) return pending;
      // Renewed within one turn (a moved clock): the expired one is written first, so it is kept and purged as usual.
      this.flush();
    }
    const newest = this.selectNewest.get(serviceId);
    if (newest && newest.expires_at > now) return toToken(newest);
    const token: AccessToken = {
      token: `${this.ids.accessToken?.() ?? this.ids.uuid()}:${this.settings.pod}`,
      serviceId,
      issuedAt: now,
      expiresAt: now + this.settings.ttlSeconds * 1000,
    };
    const batch = (this.batch ??= this.newBatch());
    // A service's first token has no expired ones to purge after it (most tokens, where clients are many).
    batch.tokens.set(token.token, { token, purge: newest !== undefined });
    batch.byService.set(serviceId, token);
    return token;
  }

  /**
   * Undefined when the token is not waiting to be written (it is in the database); else a promise of whether its
   * batch wrote it, settled after the commit. An identity answer waits for it, so an answered token survives kill -9.
   */
  whenStored(token: string): Promise<boolean> | undefined {
    const batch = this.batch;
    if (!batch?.tokens.has(token)) return undefined;
    return batch.stored.then((written) => written.has(token));
  }

  /**
   * Writes the tokens issued since the last write (also before a service is deleted, the subscription wiped or the
   * database closed). Never throws: it runs from the event loop, and a token that cannot be written is only lost,
   * and reported as such to whoever waits for it.
   */
  flush(): void {
    const batch = this.batch;
    if (!batch) return;
    this.batch = undefined;
    let written: ReadonlySet<string> = NOTHING_WRITTEN;
    // A database closed by its owner before the turn ended has nothing left to write to.
    if (this.db.open) {
      // Inside another transaction (a reset's wipe), the write commits or rolls back with it: not confirmed here.
      const enclosed = this.db.inTransaction;
      const tokens = [...batch.tokens.values()];
      try {
        written = new Set(this.writeTokens(tokens));
      } catch {
        const some = new Set<string>();
        // One by one, so a token that cannot be written (a full disk, a duplicate) takes only itself down.
        for (const token of tokens) {
          try {
            for (const value of this.writeTokens([token])) some.add(value);
          } catch (error) {
            const { serviceId } = token.token;
            process.emitWarning(`access token of service ${serviceId} not stored: ${(error as Error).message}`, {
              code: 'FAKE_MARKETO_TOKEN_NOT_STORED',
            });
          }
        }
        written = some;
      }
      if (enclosed) written = NOTHING_WRITTEN;
    }
    batch.settle(written);
  }

  find(token: string): AccessToken | undefined {
    const pending = this.batch?.tokens.get(token);
    if (pending) return pending.token;
    const row = this.selectToken.get(token);
    return row && toToken(row);
  }

  private newBatch(): Batch {
    let settle!: (written: ReadonlySet<string>) => void;
    const stored = new Promise<ReadonlySet<string>>((resolve) => (settle = resolve));
    setImmediate(() => this.flush());
    return { tokens: new Map(), byService: new Map(), stored, settle };
  }

  private insertTokens(tokens: PendingToken[]): string[] {
    const now = this.clock.now();
    const written: string[] = [];
    for (const { token, purge } of tokens) {
      const { changes } = this.insertToken.run(
        token.token,
        token.serviceId,
        token.issuedAt,
        token.expiresAt,
        token.serviceId,
      );
      if (changes > 0) written.push(token.token);
      if (!purge) continue;
      // Expired tokens of the service beyond what is kept go as a new one is written.
      this.deleteExpired.run({ service: token.serviceId, now, retainedSince: now - EXPIRED_TOKEN_RETENTION_MS });
    }
    return written;
  }
}
