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
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly ids: Ids,
    /** Pending tokens are written before a service is deleted, so the delete takes them with it. */
    private readonly tokens: { flush(): void },
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
    this.selectOwner = prepareOnUse<[number], { api_only: 0 | 1; invited_at: number | null }>(
      db,
      'SELECT api_only, invited_at FROM users WHERE id = ?',
    );
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
    if (owner.invited_at !== null) {
      throw new InvalidInputError('A pending user cannot own a custom service', [
        {
          path: 'apiOnlyUserId',
          message: `user ${input.apiOnlyUserId} has not accepted the invitation (POST /admin/users/${input.apiOnlyUserId}/accept-invitation)`,
        },
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
    this.tokens.flush();
    this.deleteRow.run(id);
  }
}
