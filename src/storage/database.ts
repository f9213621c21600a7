import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { type Migration, runMigrations } from './migrations.js';

export type Database = BetterSqlite3.Database;

type Params<P> = P extends unknown[] ? P : [P];

/** What repositories use of a statement. */
export type PreparedStatement<P extends unknown[] | object = unknown[], R = unknown> = Pick<
  BetterSqlite3.Statement<Params<P>, R>,
  'get' | 'all' | 'run' | 'iterate' | 'reader' | 'source'
>;

/**
 * A statement prepared on its first use. Repositories declare every statement they have, but an instance built
 * for one test runs a few of them: preparing all ~100 up front (and finalizing them on close) was about a seventh
 * of building a fresh instance. `raw` rows come back as arrays.
 */
export function prepareOnUse<P extends unknown[] | object = unknown[], R = unknown>(
  db: Database,
  sql: string,
  options: { raw?: boolean } = {},
): PreparedStatement<P, R> {
  let statement: BetterSqlite3.Statement<unknown[], R> | undefined;
  const prepared = (): BetterSqlite3.Statement<unknown[], R> => {
    if (!statement) {
      statement = db.prepare<unknown[], R>(sql);
      if (options.raw) statement.raw();
    }
    return statement;
  };
  const onUse: PreparedStatement<unknown[], R> = {
    source: sql,
    get: (...params) => prepared().get(...params),
    all: (...params) => prepared().all(...params),
    run: (...params) => prepared().run(...params),
    iterate: (...params) => prepared().iterate(...params),
    get reader() {
      return prepared().reader;
    },
  };
  return onUse as PreparedStatement<P, R>;
}

/** A freshly migrated in-memory database, as bytes, per list of migrations (the registry's, or a test's). */
const migratedImages = new WeakMap<readonly Migration[], Buffer>();

/**
 * Opens (creating where needed) the database at `path`, or `:memory:`, with the schema these migrations make: the
 * core's and each registered family's (`MIGRATIONS` in src/families.ts).
 */
export function openDatabase(path: string, migrations: readonly Migration[]): Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  // A short wait for the lock: a fake that just stopped may still be letting go of the file. An in-memory
  // database starts as a copy of one migrated earlier in this process: migrations run once, not per instance.
  const image = path === ':memory:' ? migratedImages.get(migrations) : undefined;
  const db = image ? new BetterSqlite3(image) : new BetterSqlite3(path, { timeout: 1000 });
  try {
    if (path !== ':memory:') {
      // One fake owns its file: what it keeps in memory (tokens, grants) must not be changed under it by another
      // process, and an exclusive lock spares every statement the file-lock system calls.
      db.pragma('locking_mode = EXCLUSIVE');
      db.pragma('journal_mode = WAL');
    }
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    if (!image) runMigrations(db, migrations);
    if (path === ':memory:' && !image) migratedImages.set(migrations, db.serialize());
    else startWal(db);
    watchAccessChanges(db);
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') {
      throw new Error(`the database ${path} is in use by another process (one fake-marketo per database file)`);
    }
    throw error;
  }
  return db;
}

/**
 * Leaves one frame in the write-ahead log. While the log is empty (a file just opened, nothing written yet), SQLite
 * asks the file system for the database's size at the start of every read: one system call per lookup.
 */
function startWal(db: Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  db.pragma(`user_version = ${version}`);
}

/** The tables whose rows say who may do what; a change to any of them empties what a fake keeps in memory. */
const ACCESS_TABLES = [
  'workspaces',
  'partitions',
  'workspace_partitions',
  'roles',
  'role_permissions',
  'users',
  'user_roles',
  'services',
];

// TEMP triggers live with the connection: the file stays writable by other SQLite tools, which lack the function.
const ACCESS_TRIGGERS = [
  ...ACCESS_TABLES.flatMap((table) =>
    ['INSERT', 'UPDATE', 'DELETE'].map(
      (event) =>
        `CREATE TEMP TRIGGER IF NOT EXISTS ${table}_${event.toLowerCase()}_changes_access AFTER ${event}
         ON main.${table} BEGIN SELECT access_changed(); END`,
    ),
  ),
  // A new token changes nothing kept in memory; a removed one (purged, revoked, wiped) may have been kept.
  `CREATE TEMP TRIGGER IF NOT EXISTS access_tokens_delete_changes_access AFTER DELETE
   ON main.access_tokens BEGIN SELECT access_changed(); END`,
];

const accessListeners = new WeakMap<Database, Set<() => void>>();

/** Every access change on this connection reaches the registered listeners (see onAccessChange). */
function watchAccessChanges(db: Database): void {
  const listeners = new Set<() => void>();
  accessListeners.set(db, listeners);
  db.function('access_changed', { deterministic: false }, () => {
    for (const listener of listeners) listener();
    return null;
  });
  for (const trigger of ACCESS_TRIGGERS) db.exec(trigger);
}

/**
 * Calls `listener` whenever a workspace, partition, role, user, service or grant changes, or a token is removed,
 * whichever statement does it. Returns the function that stops it.
 */
export function onAccessChange(db: Database, listener: () => void): () => void {
  if (!accessListeners.has(db)) watchAccessChanges(db);
  const listeners = accessListeners.get(db)!;
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Copies the database, as it is when the copy completes, to `path`: SQLite's online backup, a step at a time between
 * other work (a write on this connection meanwhile is carried into the copy), then opened read-only. What a
 * snapshot reads it from is one point in time, and the live database takes writes all along.
 */
export async function openCopy(db: Database, path: string): Promise<Database> {
  await db.backup(path);
  const copy = new BetterSqlite3(path, { readonly: true });
  copy.pragma('foreign_keys = ON');
  return copy;
}
