import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';

export type Database = BetterSqlite3.Database;

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
    onAccessChange(db, () => {});
    runMigrations(db);
    if (path === ':memory:') migratedImage ??= db.serialize();
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
 * Calls `listener` whenever a workspace, partition, role, user, service or grant changes, or a token is removed
 * (the triggers of migration 006 call access_changed()). One listener per connection; a new one replaces it.
 */
export function onAccessChange(db: Database, listener: () => void): void {
  db.function('access_changed', { deterministic: false }, () => {
    listener();
    return null;
  });
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
