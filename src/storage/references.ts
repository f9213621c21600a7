import { ConflictError } from '../domain/errors.js';
import { type Database, type PreparedStatement, prepareOnUse } from './database.js';
import { blocksDelete, schemaOf } from './schema.js';
import { isForeignKeyViolation } from './sqlite-errors.js';

/**
 * Guards the delete of a core row (a partition, a workspace) that other tables may reference. The foreign keys
 * decide, as declared: RESTRICT and NO ACTION rows still pointing at it make the delete a 409 that names them;
 * CASCADE and SET NULL are left to SQLite. Which tables reference it is read from the schema, so a family's table
 * is guarded the moment its migration declares the key.
 */
export class ReferenceGuard {
  private readonly counts = new Map<string, PreparedStatement<[number], { n: number }>>();

  constructor(private readonly db: Database) {}

  /** Throws a ConflictError naming every table whose rows still reference row `id` of `parent`. */
  assertUnreferenced(parent: string, id: number, what: string): void {
    const uses: string[] = [];
    for (const key of schemaOf(this.db).referencesTo(parent)) {
      if (!blocksDelete(key)) continue;
      const n = this.count(key.table, key.column).get(id)!.n;
      if (n > 0) uses.push(`${n} row(s) of ${key.table}`);
    }
    if (uses.length > 0)
      throw new ConflictError(`${what} is still used by ${uses.join(', ')}; move or delete them first`);
  }

  /** Runs a delete; a key the check above could not see (a trigger, a deferred key) is a 409 too, never a 500. */
  deleteOrConflict(what: string, work: () => void): void {
    try {
      work();
    } catch (error) {
      if (isForeignKeyViolation(error))
        throw new ConflictError(`${what} is still referenced; remove what uses it first`);
      throw error;
    }
  }

  private count(table: string, column: string): PreparedStatement<[number], { n: number }> {
    const key = `${table}.${column}`;
    let statement = this.counts.get(key);
    if (!statement) {
      // Names come from the schema itself, quoted as identifiers.
      statement = prepareOnUse<[number], { n: number }>(
        this.db,
        `SELECT count(*) AS n FROM "${table}" WHERE "${column}" = ?`,
      );
      this.counts.set(key, statement);
    }
    return statement;
  }
}
