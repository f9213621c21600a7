import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { BUNDLED_IMAGE } from './bundled-image.js';
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
  return new StatementOnUse<R>(db, sql, options.raw === true) as unknown as PreparedStatement<P, R>;
}

/**
 * One object per statement, its methods on the prototype: a subscription declares about 200 statements, and a
 * closure per method made each cost six functions and a context (issue 32: 1,000 idle subscriptions in one server).
 */
class StatementOnUse<R> {
  private statement: BetterSqlite3.Statement<unknown[], R> | undefined;

  constructor(
    private readonly db: Database,
    readonly source: string,
    private readonly raw: boolean,
  ) {}

  private prepared(): BetterSqlite3.Statement<unknown[], R> {
    if (!this.statement) {
      this.statement = this.db.prepare<unknown[], R>(this.source);
      if (this.raw) this.statement.raw();
      preparedOn(this.db).push(this);
    }
    return this.statement;
  }

  /** Lets go of the prepared statement (SQLite's copy goes when it is collected); the next use prepares it again. */
  release(): void {
    this.statement = undefined;
  }

  get(...params: unknown[]) {
    return this.prepared().get(...params);
  }

  all(...params: unknown[]) {
    return this.prepared().all(...params);
  }

  run(...params: unknown[]) {
    return this.prepared().run(...params);
  }

  iterate(...params: unknown[]) {
    return this.prepared().iterate(...params);
  }

  get reader() {
    return this.prepared().reader;
  }
}

/** The statements of each database that are prepared now (releaseMemory lets go of them). */
const preparedStatements = new WeakMap<Database, { release(): void }[]>();

function preparedOn(db: Database): { release(): void }[] {
  let prepared = preparedStatements.get(db);
  if (!prepared) preparedStatements.set(db, (prepared = []));
  return prepared;
}

/**
 * Runs work in one transaction of `db` through one better-sqlite3 wrapper, made once: db.transaction() builds four
 * functions and their properties per call (about 5 µs of a short write). Nested calls still become SAVEPOINTs.
 */
export function transactionRunner(db: Database): <T>(work: () => T) => T {
  return db.transaction(<T>(work: () => T): T => work()) as <T>(work: () => T) => T;
}

/**
 * Gives back what a database holds only to be quick: its prepared statements and the pages in its cache. For a
 * subscription just made (issue 32: 1,000 idle ones in one server), whose making prepared some 27 statements (about
 * 225 KiB of SQLite's memory kept until they are collected) and read most of its pages into a cache that already holds
 * them in its in-memory image (`PRAGMA shrink_memory`). What is used afterwards is prepared and read again on use
 * (an iterator still open keeps the statement it runs).
 */
export function releaseMemory(db: Database): void {
  for (const statement of preparedStatements.get(db) ?? []) statement.release();
  preparedStatements.delete(db);
  db.pragma('shrink_memory');
}

/** A freshly migrated in-memory database, as bytes, per list of migrations (the registry's, or a test's). */
const migratedImages = new WeakMap<readonly Migration[], Buffer>();

/** What tells one list of migrations from another: their names and SQL, in order. */
export function migrationsKey(migrations: readonly Migration[]): string {
  const hash = createHash('sha256');
  for (const migration of migrations) hash.update(`${migration.name}\0${migration.sql}\0`);
  return hash.digest('base64');
}

/**
 * The image the bundle carries, if it was made by these very migrations: a CLI start in memory copies it rather than
 * running every family's migrations (issue 32: about 10 ms of the cold start).
 */
function bundledImage(migrations: readonly Migration[]): Buffer | undefined {
  if (BUNDLED_IMAGE === undefined || BUNDLED_IMAGE.migrations !== migrationsKey(migrations)) return undefined;
  const image = Buffer.from(BUNDLED_IMAGE.image, 'base64');
  migratedImages.set(migrations, image);
  return image;
}

/**
 * Opens (creating where needed) the database at `path`, or `:memory:`, with the schema these migrations make: the
 * core's and each registered family's (`MIGRATIONS` in src/families.ts).
 */
export function openDatabase(path: string, migrations: readonly Migration[]): Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  // A short wait for the lock: a fake that just stopped may still be letting go of the file. An in-memory
  // database starts as a copy of one migrated earlier in this process: migrations run once, not per instance.
  const image = path === ':memory:' ? (migratedImages.get(migrations) ?? bundledImage(migrations)) : undefined;
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
    // An in-memory database in pages of 1 KiB: each table and index takes a page at least, and a subscription made at
    // run time is a copy of the migrated image (issue 32: 1,000 idle ones in one server). 4 KiB pages made it 252 KiB.
    if (path === ':memory:' && !image) db.pragma('page_size = 1024');
    if (!image) runMigrations(db, migrations);
    if (path === ':memory:') {
      // In memory, the access triggers are the template's own, in its main schema: no other program can write this
      // database, and TEMP triggers cost each copy a temporary database of its own (about 80 KiB, issue 32).
      watchAccessChanges(db, image ? 'made' : 'main');
      if (!image) migratedImages.set(migrations, db.serialize());
    } else {
      startWal(db);
      watchAccessChanges(db, 'temp');
    }
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

/**
 * The triggers that call access_changed(): TEMP on a file database, which live with the connection, so the file stays
 * writable by other SQLite tools (which lack the function); in an in-memory database's main schema (see openDatabase).
 */
function accessTriggers(schema: 'temp' | 'main'): string[] {
  const temp = schema === 'temp' ? 'TEMP ' : '';
  return [
    ...ACCESS_TABLES.flatMap((table) =>
      ['INSERT', 'UPDATE', 'DELETE'].map(
        (event) =>
          `CREATE ${temp}TRIGGER IF NOT EXISTS ${table}_${event.toLowerCase()}_changes_access AFTER ${event}
           ON main.${table} BEGIN SELECT access_changed(); END`,
      ),
    ),
    // A new token changes nothing kept in memory; a removed one (purged, revoked, wiped) may have been kept.
    `CREATE ${temp}TRIGGER IF NOT EXISTS access_tokens_delete_changes_access AFTER DELETE
     ON main.access_tokens BEGIN SELECT access_changed(); END`,
  ];
}

const accessListeners = new WeakMap<Database, Set<() => void>>();

/** Every access change on this connection reaches the registered listeners (see onAccessChange). */
function watchAccessChanges(db: Database, triggers: 'temp' | 'main' | 'made'): void {
  const listeners = new Set<() => void>();
  accessListeners.set(db, listeners);
  db.function('access_changed', { deterministic: false }, () => {
    for (const listener of listeners) listener();
    return null;
  });
  // 'made': a copy of the in-memory template, which has them.
  if (triggers !== 'made') for (const trigger of accessTriggers(triggers)) db.exec(trigger);
}

/**
 * Calls `listener` whenever a workspace, partition, role, user, service or grant changes, or a token is removed,
 * whichever statement does it. Returns the function that stops it.
 */
export function onAccessChange(db: Database, listener: () => void): () => void {
  if (!accessListeners.has(db)) watchAccessChanges(db, 'temp');
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
