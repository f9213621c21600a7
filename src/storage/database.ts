import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';

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

const MIGRATION_FILE = /^(\d{3})_[a-z0-9_]+\.sql$/;

/** `migrations/` at the package root, whether running from src/ (tsx) or dist/src/ (built). */
function findMigrationsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 5; depth++) {
    const candidate = join(dir, 'migrations');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error('migrations/ folder not found next to the package');
}

export const MIGRATIONS_DIR = findMigrationsDir();

/** A freshly migrated in-memory database, as bytes. */
let migratedImage: Buffer | undefined;

export function openDatabase(path: string): Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  // A short wait for the lock: a fake that just stopped may still be letting go of the file. An in-memory
  // database starts as a copy of one migrated earlier in this process: migrations run once, not per instance.
  const db =
    path === ':memory:' && migratedImage
      ? new BetterSqlite3(migratedImage)
      : new BetterSqlite3(path, { timeout: 1000 });
  try {
    if (path !== ':memory:') {
      // One fake owns its file: what it keeps in memory (tokens, grants) must not be changed under it by another
      // process, and an exclusive lock spares every statement the file-lock system calls.
      db.pragma('locking_mode = EXCLUSIVE');
      db.pragma('journal_mode = WAL');
    }
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    runMigrations(db);
    if (path === ':memory:') migratedImage ??= db.serialize();
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

/** Applies every migration not yet recorded, in order, each in its own transaction. */
export function runMigrations(db: Database, dir: string = MIGRATIONS_DIR): string[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  )`);
  const applied = new Set(
    db
      .prepare<[], { version: number }>('SELECT version FROM schema_migrations')
      .all()
      .map((row) => row.version),
  );
  const record = db.prepare('INSERT INTO schema_migrations (version, name) VALUES (?, ?)');
  const files = readdirSync(dir)
    .filter((file) => MIGRATION_FILE.test(file))
    .sort();
  const ran: string[] = [];
  for (const file of files) {
    const version = Number(MIGRATION_FILE.exec(file)![1]);
    if (applied.has(version)) continue;
    const sql = readFileSync(join(dir, file), 'utf8');
    db.transaction(() => {
      db.exec(sql);
      record.run(version, file);
    })();
    ran.push(file);
  }
  return ran;
}
