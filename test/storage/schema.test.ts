import { MIGRATIONS } from '../../src/families.js';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/database.js';
import { blocksDelete, schemaOf } from '../../src/storage/schema.js';

describe('the schema map (what reset, the empty check, lastIds and delete guards are derived from)', () => {
  it('orders every table after the tables that reference it, and reads the foreign keys as declared', () => {
    const db = openDatabase(':memory:', MIGRATIONS);
    try {
      const schema = schemaOf(db);
      const before = (child: string, parent: string) =>
        schema.wipeOrder.indexOf(child) < schema.wipeOrder.indexOf(parent);
      expect([...schema.wipeOrder].sort()).toEqual([...schema.tables].sort());
      expect(schema.tables).not.toContain('schema_migrations');
      expect(before('leads', 'partitions')).toBe(true);
      expect(before('workspace_partitions', 'workspaces')).toBe(true);
      expect(before('access_tokens', 'services')).toBe(true);
      expect(before('services', 'users')).toBe(true);
      expect(before('user_roles', 'roles')).toBe(true);
      // The core's keys and the leads family's; other families add theirs.
      expect(schema.referencesTo('partitions').map((key) => [key.table, key.column, key.onDelete])).toEqual(
        expect.arrayContaining([
          ['leads', 'partition_id', 'RESTRICT'],
          ['workspace_partitions', 'partition_id', 'CASCADE'],
        ]),
      );
      const blocking = schema
        .referencesTo('partitions')
        .filter(blocksDelete)
        .map((key) => key.table);
      expect(blocking).toContain('leads');
      expect(blocking).not.toContain('workspace_partitions');
      expect(schema.sequenced).toEqual(
        expect.arrayContaining(['leads', 'partitions', 'roles', 'services', 'users', 'workspaces']),
      );
      expect(schema.sequenced).not.toContain('workspace_partitions');
    } finally {
      db.close();
    }
  });

  it('is read again when the schema changes, and a cycle of foreign keys is refused by name', () => {
    const db = openDatabase(':memory:', MIGRATIONS);
    try {
      expect(schemaOf(db).tables).not.toContain('eggs');
      db.exec(`CREATE TABLE chickens (id INTEGER PRIMARY KEY, egg_id INTEGER REFERENCES eggs (id));
               CREATE TABLE eggs (id INTEGER PRIMARY KEY, chicken_id INTEGER REFERENCES chickens (id))`);
      expect(() => schemaOf(db)).toThrow(/foreign keys form a cycle through table (chickens|eggs)/);
    } finally {
      db.close();
    }
  });

  it('a table that references itself is emptied by one statement (no cycle)', () => {
    const db = openDatabase(':memory:', MIGRATIONS);
    try {
      db.exec('CREATE TABLE folders (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES folders (id))');
      expect(schemaOf(db).wipeOrder).toContain('folders');
    } finally {
      db.close();
    }
  });
});
