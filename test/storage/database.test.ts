import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { frozenClock } from '../../src/clock.js';
import { testConfig } from '../../src/config.js';
import { AdjustableClock } from '../../src/clock.js';
import { createContext } from '../../src/context.js';
import { FAMILIES, MIGRATIONS } from '../../src/families.js';
import { randomIds } from '../../src/ids.js';
import { openDatabase, prepareOnUse } from '../../src/storage/database.js';
import { call, newInstance, tokenUrl } from '../helpers.js';
import { type Migration, runMigrations } from '../../src/storage/migrations.js';
import { rulesOfLegacy } from '../../src/families/campaigns/smart-list-rules.js';

const MIGRATION_NAMES = MIGRATIONS.map((migration) => migration.name);

let dir: string;
const apps: FastifyInstance[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fake-marketo-db-'));
});

afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  rmSync(dir, { recursive: true, force: true });
});

const migration = (name: string, sql: string): Migration => ({ name, sql });

describe('migrations', () => {
  it('the first run applies every migration in order (the core, then each family in registry order) and records each', () => {
    const db = new BetterSqlite3(':memory:');
    try {
      expect(MIGRATION_NAMES.slice(0, 4)).toEqual([
        '001_workspaces.sql',
        '002_roles.sql',
        '003_users.sql',
        '004_services.sql',
      ]);
      expect(runMigrations(db, MIGRATIONS)).toEqual(MIGRATION_NAMES);
      const recorded = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
      expect(recorded).toEqual(MIGRATION_NAMES.map((name, i) => ({ version: i + 1, name })));
    } finally {
      db.close();
    }
  });

  it('a database migrated from numbered files (before the family folders) runs none of them again', () => {
    const path = join(dir, 'older.sqlite');
    const older = new BetterSqlite3(path);
    // What the runner of numbered files left: every migration of the time recorded under its number and file name.
    older.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT)');
    const files = MIGRATION_NAMES.filter((name) => /^\d{3}_/.test(name));
    expect(files).toHaveLength(9);
    for (const m of MIGRATIONS.filter((m) => files.includes(m.name))) {
      older.exec(m.sql);
      older
        .prepare('INSERT INTO schema_migrations (version, name) VALUES (?, ?)')
        .run(Number(m.name.slice(0, 3)), m.name);
    }
    older.close();
    const db = new BetterSqlite3(path);
    try {
      expect(runMigrations(db, MIGRATIONS)).toEqual(MIGRATION_NAMES.filter((name) => !files.includes(name)));
    } finally {
      db.close();
    }
  });

  it('two migrations with one name are refused before anything runs', () => {
    const db = new BetterSqlite3(':memory:');
    try {
      expect(() =>
        runMigrations(db, [migration('same', 'CREATE TABLE a (id INTEGER);'), migration('same', 'SELECT 1;')]),
      ).toThrow('two migrations are named "same"; a migration\'s name must be unique');
      expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'a'").get()).toBeUndefined();
    } finally {
      db.close();
    }
  });

  it('each migration runs once: opening the same file a second time applies nothing', () => {
    const path = join(dir, 'once.sqlite');
    openDatabase(path, MIGRATIONS).close();
    openDatabase(path, MIGRATIONS).close(); // would throw if a CREATE TABLE ran twice
    const db = new BetterSqlite3(path);
    try {
      expect(runMigrations(db, MIGRATIONS)).toEqual([]);
      expect(db.prepare('SELECT count(*) AS n FROM schema_migrations').get()).toEqual({ n: MIGRATIONS.length });
      expect(db.prepare("SELECT count(*) AS n FROM workspaces WHERE name = 'Default'").get()).toEqual({ n: 1 });
    } finally {
      db.close();
    }
  });

  it('a new migration is applied on the next run, and only it', () => {
    const first = migration('test/001_first', 'CREATE TABLE first (id INTEGER);');
    const db = new BetterSqlite3(':memory:');
    try {
      expect(runMigrations(db, [first])).toEqual(['test/001_first']);
      const second = migration('test/002_second', 'CREATE TABLE second (id INTEGER);');
      expect(runMigrations(db, [first, second])).toEqual(['test/002_second']);
      expect(runMigrations(db, [first, second])).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('a failing migration is rolled back and not recorded; the ones before it stay', () => {
    const migrations = [
      migration('test/001_ok', 'CREATE TABLE ok (id INTEGER);'),
      migration('test/002_bad', 'CREATE TABLE half (id INTEGER); THIS IS NOT SQL;'),
    ];
    const db = new BetterSqlite3(':memory:');
    try {
      expect(() => runMigrations(db, migrations)).toThrow();
      expect(db.prepare('SELECT version FROM schema_migrations').all()).toEqual([{ version: 1 }]);
      expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
    } finally {
      db.close();
    }
  });

  it('openDatabase creates the folder of a file database', () => {
    const path = join(dir, 'nested', 'deeper', 'db.sqlite');
    openDatabase(path, MIGRATIONS).close();
    expect(existsSync(path)).toBe(true);
  });

  it('009 keeps every list in exactly one folder or program', () => {
    const db = openDatabase(':memory:', MIGRATIONS);
    try {
      const folder = db
        .prepare(
          `INSERT INTO asset_folders (workspace_id, parent_id, tree, name, folder_type, is_system, created_at, updated_at)
           VALUES (1, NULL, 'Marketing Activities', 'Marketing Activities', 'Zone', 1, 0, 0) RETURNING id`,
        )
        .get() as { id: number };
      const insert = db.prepare(
        "INSERT INTO static_lists (workspace_id, folder_id, program_id, name, created_at, updated_at) VALUES (1, ?, NULL, 'L', 0, 0)",
      );
      expect(() => insert.run(null)).toThrow('a static list sits in exactly one folder or program');
      insert.run(folder.id);
      expect(() => db.prepare('UPDATE static_lists SET folder_id = NULL').run()).toThrow(
        'a static list sits in exactly one folder or program',
      );
    } finally {
      db.close();
    }
  });

  it('assets/002 puts an older database’s zones below the two tree roots, keeping every id and path', () => {
    const older = MIGRATIONS.filter((m) => m.name !== 'assets/002_tree_roots');
    const db = new BetterSqlite3(':memory:');
    try {
      db.pragma('foreign_keys = ON');
      runMigrations(db, older);
      db.prepare(
        "INSERT OR IGNORE INTO workspaces (id, name, description) VALUES (1, 'Default', ''), (2, 'North', '')",
      ).run();
      const zone = db.prepare(
        `INSERT INTO asset_folders (workspace_id, parent_id, tree, name, folder_type, is_system, created_at, updated_at)
         VALUES (?, NULL, ?, ?, 'Zone', 1, 5, 5) RETURNING id`,
      );
      const zones = [
        [1, 'Marketing Activities'],
        [1, 'Design Studio'],
        [2, 'Marketing Activities'],
        [2, 'Design Studio'],
      ].map(([w, tree]) => (zone.get(w, tree, tree) as { id: number }).id);
      const folder = db
        .prepare(
          `INSERT INTO asset_folders (workspace_id, parent_id, tree, name, folder_type, is_system, created_at, updated_at)
           VALUES (2, ?, 'Marketing Activities', 'Campaigns', 'Marketing Folder', 0, 6, 6) RETURNING id`,
        )
        .get(zones[2]) as { id: number };
      expect(runMigrations(db, MIGRATIONS)).toEqual(['assets/002_tree_roots']);
      const rows = db
        .prepare(
          'SELECT id, workspace_id, parent_id, tree, name, folder_type, created_at FROM asset_folders ORDER BY id',
        )
        .all() as { id: number; parent_id: number | null; tree: string; name: string }[];
      const roots = rows.filter((row) => row.parent_id === null);
      expect(roots.map((row) => [row.tree, row.name])).toEqual([
        ['Marketing Activities', 'Marketing Activities'],
        ['Design Studio', 'Design Studio'],
      ]);
      expect(roots.every((row) => row.id > folder.id)).toBe(true);
      const rootOf = (tree: string) => roots.find((row) => row.tree === tree)!.id;
      for (const [i, id] of zones.entries()) {
        expect(rows.find((row) => row.id === id)!.parent_id).toBe(
          rootOf(i % 2 === 0 ? 'Marketing Activities' : 'Design Studio'),
        );
      }
      expect(rows.find((row) => row.id === folder.id)!.parent_id).toBe(zones[2]);
      // Two workspaces' zones share a parent and a stored name: the unique rule keeps out of them.
      expect(() =>
        db
          .prepare(
            `INSERT INTO asset_folders (workspace_id, parent_id, tree, name, folder_type, is_system, created_at, updated_at)
             VALUES (1, NULL, 'Design Studio', 'Design Studio', 'Zone', 1, 0, 0)`,
          )
          .run(),
      ).toThrow(/UNIQUE/);
    } finally {
      db.close();
    }
  });

  it('campaigns/003 gives each older campaign its smart list as rules, the ones its shorthand stood for', () => {
    const older = MIGRATIONS.filter((m) => m.name !== 'campaigns/003_smart_lists');
    const db = new BetterSqlite3(':memory:');
    try {
      db.pragma('foreign_keys = ON');
      runMigrations(db, older);
      db.prepare("INSERT OR IGNORE INTO workspaces (id, name, description) VALUES (1, 'Default', '')").run();
      const folder = db
        .prepare(
          `INSERT INTO asset_folders (workspace_id, parent_id, tree, name, folder_type, is_system, created_at, updated_at)
           VALUES (1, NULL, 'Marketing Activities', 'Marketing Activities', 'Zone', 1, 0, 0) RETURNING id`,
        )
        .get() as { id: number };
      const legacies = [
        { memberOfList: 12, leadIds: [3, 4] },
        { memberOfList: 5 },
        { leadIds: [9] },
        {},
        { leadIds: [] },
      ];
      const insert = db.prepare(
        `INSERT INTO campaigns (name, type, workspace_id, folder_id, smart_list, created_at, updated_at)
         VALUES (?, 'batch', 1, ?, ?, 10, 20) RETURNING id`,
      );
      const ids = legacies.map(
        (legacy, i) => (insert.get(`Campaign ${i}`, folder.id, JSON.stringify(legacy)) as { id: number }).id,
      );
      expect(runMigrations(db, MIGRATIONS)).toEqual(['campaigns/003_smart_lists']);
      const rows = db
        .prepare(
          'SELECT name, workspace_id, folder_id, campaign_id, rules, created_at, updated_at FROM smart_lists ORDER BY campaign_id',
        )
        .all() as { name: string; campaign_id: number; rules: string }[];
      expect(rows.map((row) => row.campaign_id)).toEqual(ids);
      rows.forEach((row, i) => {
        expect(row).toMatchObject({
          name: `Campaign ${i}`,
          workspace_id: 1,
          folder_id: folder.id,
          created_at: 10,
          updated_at: 20,
        });
        // The same rules a seed's shorthand gives today (smart-list-rules.ts), so both evaluate alike.
        expect(JSON.parse(row.rules)).toEqual(JSON.parse(JSON.stringify(rulesOfLegacy(legacies[i]!))));
      });
      const columns = db.prepare("SELECT name FROM pragma_table_info('campaigns')").all() as { name: string }[];
      expect(columns.map((column) => column.name)).not.toContain('smart_list');
    } finally {
      db.close();
    }
  });

  it('009 puts the lists of an older database into their workspace’s Marketing Activities root folder', () => {
    const older = MIGRATIONS.filter((m) => /^00[1-8]_/.test(m.name));
    const db = new BetterSqlite3(':memory:');
    try {
      db.pragma('foreign_keys = ON');
      runMigrations(db, older);
      // As the 008-era fake left it: the Default workspace's root folders, and a list in the workspace.
      const root = (at: string) =>
        db
          .prepare(
            `INSERT INTO asset_folders (workspace_id, parent_id, tree, name, folder_type, is_system, created_at, updated_at)
             VALUES (1, NULL, ?, ?, 'Zone', 1, 0, 0) RETURNING id`,
          )
          .get(at, at) as { id: number };
      root('Design Studio');
      const marketing = root('Marketing Activities').id;
      db.prepare(
        "INSERT INTO static_lists (id, workspace_id, name, created_at, updated_at) VALUES (7, 1, 'Old', 0, 0)",
      ).run();
      expect(runMigrations(db, MIGRATIONS)).toEqual(MIGRATION_NAMES.filter((name) => !/^00[1-8]_/.test(name)));
      expect(db.prepare('SELECT folder_id AS folderId, program_id AS programId FROM static_lists').get()).toEqual({
        folderId: marketing,
        programId: null,
      });
    } finally {
      db.close();
    }
  });
});

/** Every statement a repository holds, found by walking its fields (statements expose their SQL as `source`). */
function statementSources(value: unknown, seen = new Set<unknown>()): string[] {
  if (typeof value !== 'object' || value === null || seen.has(value)) return [];
  seen.add(value);
  const record = value as Record<string, unknown>;
  if (typeof record.source === 'string' && typeof record.get === 'function') return [record.source];
  const children = value instanceof Map ? [...value.values()] : Object.values(record);
  return children.flatMap((child) => statementSources(child, seen));
}

describe('statements prepared on first use', () => {
  it('are not prepared until called, and then give the same rows as a prepared statement', () => {
    const db = openDatabase(':memory:', MIGRATIONS);
    try {
      const statement = prepareOnUse<[number], { id: number }>(db, 'SELECT id FROM workspaces WHERE id = ?');
      expect(statement.source).toBe('SELECT id FROM workspaces WHERE id = ?');
      expect(statement.get(1)).toEqual(db.prepare('SELECT id FROM workspaces WHERE id = ?').get(1));
      expect(statement.reader).toBe(true);
      const broken = prepareOnUse(db, 'SELECT id FROM no_such_table'); // no error yet: nothing prepared
      expect(() => broken.all()).toThrow(/no such table/);
    } finally {
      db.close();
    }
  });

  it('every repository statement compiles against the migrated schema (a typo would otherwise wait for its call)', () => {
    const db = openDatabase(':memory:', MIGRATIONS);
    try {
      const ctx = createContext(testConfig(), db, new AdjustableClock(), randomIds, FAMILIES);
      const sources = statementSources([ctx.repos, ctx.families.map((instance) => instance.repo)]);
      expect(sources.length).toBeGreaterThan(80);
      for (const source of sources) expect(() => db.prepare(source), source).not.toThrow();
      ctx.close();
    } finally {
      db.close();
    }
  });
});

describe('a file database just opened', () => {
  it('has a write-ahead log with a frame in it, so reads do not stat the file while nothing has been written', () => {
    const path = join(dir, 'fresh.sqlite');
    openDatabase(path, MIGRATIONS).close();
    const db = openDatabase(path, MIGRATIONS);
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(statSync(`${path}-wal`).size).toBeGreaterThan(0);
    } finally {
      db.close();
    }
  });
});

describe('DATABASE_PATH=:memory:', () => {
  it('gives a throwaway instance: two instances share nothing and no file is written', async () => {
    const a = await newInstance();
    const b = await newInstance();
    apps.push(a.app, b.app);
    expect((await call(a.app, 'POST', '/admin/workspaces', { name: 'Only in A' })).statusCode).toBe(201);
    const names = (await call(b.app, 'GET', '/admin/workspaces')).json().items.map((w: { name: string }) => w.name);
    expect(names).toEqual(['Default']);
    expect(existsSync(':memory:')).toBe(false);
  });
});

describe('a file database', () => {
  it('keeps workspaces, partitions, roles, users, services and live tokens across a restart', async () => {
    const config = testConfig({ DATABASE_PATH: join(dir, 'state.sqlite') });
    const clock = frozenClock();

    const first = await buildApp({ config, clock });
    apps.push(first);
    const partition = (await call(first, 'POST', '/admin/partitions', { name: 'EMEA' })).json();
    const workspace = (
      await call(first, 'POST', '/admin/workspaces', { name: 'Europe', partitionIds: [partition.id] })
    ).json();
    const role = (
      await call(first, 'POST', '/admin/roles', { name: 'Sync', permissionSets: ['read-write-lead'] })
    ).json();
    const user = (
      await call(first, 'POST', '/admin/users', {
        email: 'sync@example.com',
        apiOnly: true,
        roles: [{ roleId: role.id, workspaceId: workspace.id }],
      })
    ).json();
    const service = (await call(first, 'POST', '/admin/services', { name: 'Sync', apiOnlyUserId: user.id })).json();
    const token = (await call(first, 'GET', tokenUrl(service))).json();
    expect(token.expires_in).toBe(3599);
    await first.close();
    apps.pop();

    clock.advance(600);
    const second = await buildApp({ config, clock });
    apps.push(second);
    expect((await call(second, 'GET', `/admin/partitions/${partition.id}`)).json()).toEqual(partition);
    expect((await call(second, 'GET', `/admin/workspaces/${workspace.id}`)).json()).toEqual(workspace);
    expect((await call(second, 'GET', `/admin/roles/${role.id}`)).json()).toEqual(role);
    expect((await call(second, 'GET', `/admin/users/${user.id}`)).json()).toEqual(user);
    expect((await call(second, 'GET', `/admin/services/${service.id}`)).json()).toEqual(service);

    const again = (await call(second, 'GET', tokenUrl(service))).json();
    expect(again).toEqual({ ...token, expires_in: 2999 });

    // The system roles were not duplicated by the second start.
    const roleNames = (await call(second, 'GET', '/admin/roles')).json().roles.map((r: { name: string }) => r.name);
    expect(roleNames).toEqual(['Admin', 'Standard User', 'RTP Launcher', 'RTP Editor', 'Sync']);
  });

  it('keeps a deletion across a restart', async () => {
    const config = testConfig({ DATABASE_PATH: join(dir, 'deleted.sqlite') });
    const first = await buildApp({ config, clock: frozenClock() });
    apps.push(first);
    const id = (await call(first, 'POST', '/admin/partitions', { name: 'Gone' })).json().id;
    expect((await call(first, 'DELETE', `/admin/partitions/${id}`)).statusCode).toBe(204);
    await first.close();
    apps.pop();

    const second = await buildApp({ config, clock: frozenClock() });
    apps.push(second);
    expect((await call(second, 'GET', `/admin/partitions/${id}`)).statusCode).toBe(404);
  });
});
