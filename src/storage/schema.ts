import type { Database } from './database.js';

/**
 * What the database itself says about its tables: which exist, how they reference each other, which number their
 * ids with AUTOINCREMENT. Reset's wipe order, the "is it empty" check, `lastIds` and the partition and workspace
 * delete guards are derived from it, so a table added by a migration alone is covered by all of them.
 */

export type OnDelete = 'RESTRICT' | 'NO ACTION' | 'CASCADE' | 'SET NULL' | 'SET DEFAULT';

export interface ForeignKey {
  /** The referencing table and column. */
  table: string;
  column: string;
  /** The referenced table. */
  parent: string;
  onDelete: OnDelete;
}

export interface SchemaMap {
  /** Every table that holds subscription data (not SQLite's own, not the migration record). */
  readonly tables: readonly string[];
  /** The same tables, each after every table that references it: deleting in this order never breaks a key. */
  readonly wipeOrder: readonly string[];
  /** Tables whose ids are never reused (AUTOINCREMENT), so a seed can say how far each has counted. */
  readonly sequenced: readonly string[];
  /** The foreign keys that point at `parent`. */
  referencesTo(parent: string): readonly ForeignKey[];
}

/** Keys that stop the parent's delete (RESTRICT, and NO ACTION, which SQLite checks at the statement's end). */
export function blocksDelete(key: ForeignKey): boolean {
  return key.onDelete === 'RESTRICT' || key.onDelete === 'NO ACTION';
}

const OWN_TABLES = new Set(['schema_migrations']);

const maps = new WeakMap<Database, { version: number; map: SchemaMap }>();

/** The schema of `db`, read once per schema version (a test may add a table to a database after it was opened). */
export function schemaOf(db: Database): SchemaMap {
  const version = db.pragma('schema_version', { simple: true }) as number;
  const known = maps.get(db);
  if (known && known.version === version) return known.map;
  const map = readSchema(db);
  maps.set(db, { version, map });
  return map;
}

function readSchema(db: Database): SchemaMap {
  const rows = db
    .prepare<[], { name: string; sql: string }>(
      "SELECT name, sql FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    )
    .all()
    .filter((row) => !OWN_TABLES.has(row.name));
  const tables = rows.map((row) => row.name);
  const keys: ForeignKey[] = [];
  const foreignKeys = db.prepare<[string], { table: string; from: string; on_delete: string }>(
    'SELECT "table", "from", on_delete FROM pragma_foreign_key_list(?)',
  );
  for (const table of tables) {
    for (const key of foreignKeys.all(table)) {
      keys.push({ table, column: key.from, parent: key.table, onDelete: key.on_delete.toUpperCase() as OnDelete });
    }
  }
  return {
    tables,
    wipeOrder: childrenFirst(tables, keys),
    sequenced: rows.filter((row) => /\bAUTOINCREMENT\b/i.test(row.sql)).map((row) => row.name),
    referencesTo: (parent) => keys.filter((key) => key.parent === parent),
  };
}

/** Tables ordered so that each comes before every table it references (a depth-first topological sort). */
function childrenFirst(tables: readonly string[], keys: readonly ForeignKey[]): string[] {
  const referencedBy = new Map<string, string[]>(tables.map((table) => [table, []]));
  for (const key of keys) {
    // A table that references itself is emptied by one statement; SQLite checks such keys at its end.
    if (key.table !== key.parent) referencedBy.get(key.parent)?.push(key.table);
  }
  const order: string[] = [];
  const placed = new Set<string>();
  const visiting = new Set<string>();
  const place = (table: string): void => {
    if (placed.has(table)) return;
    if (visiting.has(table)) throw new Error(`foreign keys form a cycle through table ${table}`);
    visiting.add(table);
    for (const child of referencedBy.get(table) ?? []) place(child);
    visiting.delete(table);
    placed.add(table);
    order.push(table);
  };
  for (const table of tables) place(table);
  return order;
}
