import type { Clock } from '../../clock.js';
import { type Database, type PreparedStatement, prepareOnUse } from '../../storage/database.js';
import type { Job, JobFilter } from './kinds.js';

/** A row of `jobs` (src/storage/core-migrations.ts, `core/001_jobs`). */
export interface JobRow {
  id: number;
  family: string;
  kind: string;
  state: string;
  due_at: number | null;
  payload: string;
  owner_user_id: number | null;
  error: string | null;
  created_at: number;
  updated_at: number;
}

/** A row with its owner's email, as a snapshot names users. */
export type JobRowWithOwner = JobRow & { owner_email: string | null };

export function toJob<P>(row: JobRow): Job<P> {
  return {
    id: row.id,
    family: row.family,
    kind: row.kind,
    state: row.state,
    dueAt: row.due_at,
    // Written only after the kind's schema accepted it (runner.ts, seed.ts).
    payload: JSON.parse(row.payload) as P,
    ownerId: row.owner_user_id,
    error: row.error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The (family, kind) pairs a query is about, as an SQL list of row values. */
export type KindKey = readonly [family: string, kind: string];

interface ListParams {
  family: string;
  kind: string;
  afterId: number;
  anyOwner: 0 | 1;
  ownerId: number | null;
  states: string | null;
  limit: number;
}

const quote = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/** The core's `jobs` table: every statement the runner and its seed part use. */
export class JobStore {
  private readonly s;
  private readonly firstDue: PreparedStatement<[number], JobRow> | undefined;
  private readonly earliest: PreparedStatement<[], { due_at: number | null }> | undefined;

  /** `kinds`: the registered kinds; a job of any other kind (a family this build does not have) is never run. */
  constructor(
    db: Database,
    private readonly clock: Clock,
    kinds: readonly KindKey[],
  ) {
    this.s = {
      insert: prepareOnUse<unknown[], JobRow>(
        db,
        `INSERT INTO jobs (id, family, kind, state, due_at, payload, owner_user_id, error, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      ),
      get: prepareOnUse<[number, string, string], JobRow>(
        db,
        'SELECT * FROM jobs WHERE id = ? AND family = ? AND kind = ?',
      ),
      update: prepareOnUse<[string, number | null, string, string | null, number, number], JobRow>(
        db,
        'UPDATE jobs SET state = ?, due_at = ?, payload = ?, error = ?, updated_at = ? WHERE id = ? RETURNING *',
      ),
      remove: prepareOnUse<[number, string, string]>(db, 'DELETE FROM jobs WHERE id = ? AND family = ? AND kind = ?'),
      list: prepareOnUse<ListParams, JobRow>(
        db,
        `SELECT * FROM jobs
         WHERE family = @family AND kind = @kind AND id > @afterId
           AND (@anyOwner OR owner_user_id IS @ownerId)
           AND (@states IS NULL OR state IN (SELECT value FROM json_each(@states)))
         ORDER BY id LIMIT @limit`,
      ),
      all: prepareOnUse<[], JobRowWithOwner>(
        db,
        `SELECT jobs.*, users.email AS owner_email FROM jobs LEFT JOIN users ON users.id = jobs.owner_user_id
         ORDER BY jobs.id`,
      ),
      userId: prepareOnUse<[string], { id: number }>(db, 'SELECT id FROM users WHERE email = ?'),
    };
    if (kinds.length > 0) {
      // Literal row values: the kinds are fixed for the instance, and the index on due_at is walked in order.
      const registered = `(family, kind) IN (VALUES ${kinds.map(([f, k]) => `(${quote(f)}, ${quote(k)})`).join(', ')})`;
      this.firstDue = prepareOnUse(
        db,
        `SELECT * FROM jobs WHERE due_at IS NOT NULL AND due_at <= ? AND ${registered} ORDER BY due_at, id LIMIT 1`,
      );
      this.earliest = prepareOnUse(
        db,
        `SELECT due_at FROM jobs WHERE due_at IS NOT NULL AND ${registered} ORDER BY due_at, id LIMIT 1`,
      );
    }
  }

  insert(row: Omit<JobRow, 'id' | 'created_at' | 'updated_at'> & Partial<JobRow>): JobRow {
    const now = this.clock.now();
    return this.s.insert.get(
      row.id ?? null,
      row.family,
      row.kind,
      row.state,
      row.due_at,
      row.payload,
      row.owner_user_id,
      row.error,
      row.created_at ?? now,
      row.updated_at ?? now,
    )!;
  }

  get(id: number, [family, kind]: KindKey): JobRow | undefined {
    return this.s.get.get(id, family, kind);
  }

  update(id: number, change: Pick<JobRow, 'state' | 'due_at' | 'payload' | 'error'>): JobRow {
    return this.s.update.get(change.state, change.due_at, change.payload, change.error, this.clock.now(), id)!;
  }

  remove(id: number, [family, kind]: KindKey): boolean {
    return this.s.remove.run(id, family, kind).changes > 0;
  }

  list([family, kind]: KindKey, filter: JobFilter): JobRow[] {
    return this.s.list.all({
      family,
      kind,
      afterId: filter.afterId ?? 0,
      anyOwner: filter.ownerId === undefined ? 1 : 0,
      ownerId: filter.ownerId ?? null,
      states: filter.states ? JSON.stringify(filter.states) : null,
      limit: filter.limit ?? -1,
    });
  }

  /** The first job of a registered kind due by `now`: the earliest due time first, then the oldest job. */
  firstDueBy(now: number): JobRow | undefined {
    return this.firstDue?.get(now);
  }

  /** When the first job of a registered kind falls due; undefined when none will. */
  earliestDueAt(): number | undefined {
    return this.earliest?.get()?.due_at ?? undefined;
  }

  /** Every job, in id order, for the snapshot. */
  all(): JobRowWithOwner[] {
    return this.s.all.all();
  }

  userIdByEmail(email: string): number | undefined {
    return this.s.userId.get(email)?.id;
  }
}
