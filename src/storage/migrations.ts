import type { Database } from './database.js';

/** One change to the schema, run once per database and recorded by its name (unique across the project). */
export interface Migration {
  /** `NNN_what.sql` for those written before the family folders; `<family key>/NNN_what` since. */
  name: string;
  sql: string;
}

/** Every migration's name once: two with the same name would both count as run when one has. */
export function checkMigrationNames(migrations: readonly Migration[]): void {
  const seen = new Set<string>();
  for (const { name } of migrations) {
    if (seen.has(name)) throw new Error(`two migrations are named "${name}"; a migration's name must be unique`);
    seen.add(name);
  }
}

/**
 * Applies, in the order given (the core's, then each family's in registry order), every migration not yet recorded
 * in schema_migrations, each in its own transaction. Returns the names it ran.
 */
export function runMigrations(db: Database, migrations: readonly Migration[]): string[] {
  checkMigrationNames(migrations);
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  )`);
  const applied = new Set(
    db
      .prepare<[], { name: string }>('SELECT name FROM schema_migrations')
      .all()
      .map((row) => row.name),
  );
  // Versions count up in the order migrations ran; a migration is known by its name.
  const record = db.prepare(
    'INSERT INTO schema_migrations (version, name) SELECT coalesce(max(version), 0) + 1, ? FROM schema_migrations',
  );
  const ran: string[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.name)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.name);
    })();
    ran.push(migration.name);
  }
  return ran;
}
