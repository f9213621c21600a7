import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildApp } from '../src/app.js';
import { frozenClock } from '../src/clock.js';
import { testConfig } from '../src/config.js';
import { FAMILIES, MIGRATIONS } from '../src/families.js';
import { type AnyFamily, defineFamily, type FamilyRouteOptions } from '../src/family.js';
import { successEnvelope } from '../src/http/envelope.js';
import { wireFormatOf } from '../src/http/wire-formats.js';
import { type Database, openDatabase, prepareOnUse } from '../src/storage/database.js';
import { CORE_TABLES } from '../src/storage/subscription.js';
import { blocksDelete, schemaOf } from '../src/storage/schema.js';
import { accessToken, call, expectProblem, provisionService } from './helpers.js';

/**
 * The resource-family contract, checked for every family in the registry (and for a test-only family that proves a
 * new family is covered by registering it alone): table ownership, seed → snapshot → seed round trip row for row,
 * reset, the empty-database check, the partition and workspace delete guards, and the denial answer on every route.
 */

// A family defined here and nowhere else: its own table (created as its migration would), repository, seed part, one
// built-in row, a row per workspace made through the core events, and one Marketo route.
const WIDGETS_MIGRATION = `
  CREATE TABLE widgets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    partition_id INTEGER NOT NULL REFERENCES partitions (id) ON DELETE RESTRICT,
    workspace_id INTEGER REFERENCES workspaces (id) ON DELETE RESTRICT,
    name TEXT NOT NULL UNIQUE,
    built_in INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE widget_shelves (
    workspace_id INTEGER PRIMARY KEY REFERENCES workspaces (id) ON DELETE RESTRICT,
    label TEXT NOT NULL
  );`;

class WidgetRepository {
  private readonly insertRow;
  private readonly selectAll;
  private readonly insertShelf;
  private readonly deleteShelf;
  constructor(db: Database) {
    this.insertRow = prepareOnUse(db, 'INSERT INTO widgets (id, partition_id, name, built_in) VALUES (?, ?, ?, ?)');
    this.selectAll = prepareOnUse<[], { id: number; partition_id: number; name: string }>(
      db,
      'SELECT id, partition_id, name FROM widgets WHERE built_in = 0 ORDER BY id',
    );
    this.insertShelf = prepareOnUse(db, 'INSERT OR IGNORE INTO widget_shelves (workspace_id, label) VALUES (?, ?)');
    this.deleteShelf = prepareOnUse(db, 'DELETE FROM widget_shelves WHERE workspace_id = ?');
    this.ensureStandard = () => {
      prepareOnUse(
        db,
        "INSERT OR IGNORE INTO widgets (id, partition_id, name, built_in) VALUES (1, 1, 'Standard', 1)",
      ).run();
      prepareOnUse(db, "INSERT OR IGNORE INTO widget_shelves SELECT id, 'Shelf of ' || name FROM workspaces").run();
    };
  }
  readonly ensureStandard: () => void;
  insert(id: number | null, partitionId: number, name: string): void {
    this.insertRow.run(id, partitionId, name, 0);
  }
  list() {
    return this.selectAll.all();
  }
  addShelf(workspaceId: number, name: string): void {
    this.insertShelf.run(workspaceId, `Shelf of ${name}`);
  }
  removeShelf(workspaceId: number): void {
    this.deleteShelf.run(workspaceId);
  }
}

const widgetRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<WidgetRepository>> = async (app, { repo }) => {
  app.get(
    '/rest/v1/widgets.json',
    { config: { permissions: ['read-only-company', 'read-write-company'] } },
    async (request) => successEnvelope(request.marketoRequestId(), repo(request).list()),
  );
};

const widgets = defineFamily({
  key: 'widgets',
  tables: ['widgets', 'widget_shelves'],
  wireFormat: 'lead-database',
  repository: ({ db }) => new WidgetRepository(db),
  seed: {
    item: z.strictObject({ id: z.number().int().positive().optional(), name: z.string(), partition: z.string() }),
    load(repo, items, { partitionId, fail, unique }) {
      items.forEach((item, i) => {
        const partition = partitionId(item.partition);
        if (partition === undefined) fail(`[${i}].partition`, `no partition named "${item.partition}"`);
        unique(`[${i}]`, () => repo.insert(item.id ?? null, partition!, item.name));
      });
    },
    snapshot: (repo, { partitionName }) =>
      repo.list().map((row) => ({ id: row.id, name: row.name, partition: partitionName(row.partition_id) })),
    example: [
      { name: 'Sprocket', partition: 'Contract' },
      { id: 9, name: 'Gear', partition: 'Default' },
    ],
  },
  builtIns: { rows: { widgets: 'built_in = 1', widget_shelves: '1 = 1' }, ensure: (repo) => repo.ensureStandard() },
  onCoreEvents: (repo) => ({
    workspaceCreated: (workspace) => repo.addShelf(workspace.id, workspace.name),
    workspaceDeleting: (workspaceId) => repo.removeShelf(workspaceId),
  }),
  marketoRoutes: widgetRoutes,
});

const WITH_TEST_FAMILY: readonly AnyFamily[] = [...FAMILIES, widgets];

const cases = [
  { name: 'the registry', families: FAMILIES as readonly AnyFamily[], migration: '' },
  {
    name: 'the registry and a test-only family (registered by one line)',
    families: WITH_TEST_FAMILY,
    migration: WIDGETS_MIGRATION,
  },
];

const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

async function instance(
  families: readonly AnyFamily[],
  migration: string,
  seed?: Record<string, unknown>,
): Promise<{ app: FastifyInstance; db: Database }> {
  const db = openDatabase(':memory:', MIGRATIONS);
  if (migration) db.exec(migration);
  const app = await buildApp({
    config: testConfig(),
    db,
    clock: frozenClock('2026-11-30T12:00:00Z'),
    families,
    ...(seed ? { seed } : {}),
  });
  app.addHook('onClose', async () => db.close());
  apps.push(app);
  return { app, db };
}

/** Every family's example, beside a partition and a workspace that examples may name ("Contract"). */
function examplesSeed(families: readonly AnyFamily[]): Record<string, unknown> {
  return {
    partitions: [{ name: 'Contract' }],
    workspaces: [{ name: 'Contract', partitions: ['Contract'] }],
    ...Object.fromEntries(families.flatMap((f) => (f.seed ? [[f.key, f.seed.example]] : []))),
    // The jobs that examples name (a family whose rows belong to jobs).
    jobs: families.flatMap((f) => f.seed?.exampleJobs ?? []),
  };
}

/** Every row of every table, in a stable order (tables WITHOUT ROWID included). */
function allRows(db: Database, except: readonly string[] = []): Record<string, unknown[]> {
  const rows: Record<string, unknown[]> = {};
  for (const table of schemaOf(db).tables) {
    if (except.includes(table)) continue;
    rows[table] = db
      .prepare(`SELECT * FROM "${table}"`)
      .all()
      .map((row) => JSON.stringify(row))
      .sort();
  }
  rows.sqlite_sequence = db.prepare('SELECT name, seq FROM sqlite_sequence ORDER BY name').all();
  return rows;
}

/** Tables of the schema owned by no one, or by more than one owner. */
function ownershipProblems(db: Database, families: readonly AnyFamily[]): string[] {
  const owners = new Map<string, string[]>();
  for (const table of CORE_TABLES) owners.set(table, ['core']);
  for (const family of families) {
    for (const table of family.tables) owners.set(table, [...(owners.get(table) ?? []), family.key]);
  }
  const problems: string[] = [];
  for (const table of schemaOf(db).tables) {
    const found = owners.get(table) ?? [];
    if (found.length !== 1) problems.push(`${table}: owned by ${found.length === 0 ? 'nobody' : found.join(' and ')}`);
  }
  for (const [table, found] of owners) {
    if (!schemaOf(db).tables.includes(table))
      problems.push(`${table}: declared by ${found.join(', ')} but not in the schema`);
  }
  return problems;
}

describe.each(cases)('the family contract, for $name', ({ families, migration }) => {
  it('every table belongs to the core or to exactly one family', async () => {
    const { db } = await instance(families, migration);
    expect(ownershipProblems(db, families)).toEqual([]);
  });

  it('a snapshot of every example, fed to a fresh instance, reproduces every table row for row', async () => {
    const { app, db } = await instance(families, migration, examplesSeed(families));
    for (const family of families) {
      for (const table of family.tables) {
        const n = (db.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n;
        expect(n, `${family.key}'s example puts rows in ${table}`).toBeGreaterThan(0);
      }
    }
    const snapshot = await call(app, 'GET', '/admin/snapshot');
    expect(snapshot.statusCode).toBe(200);
    const restored = await instance(families, migration, snapshot.json());
    expect(allRows(restored.db, ['access_tokens'])).toEqual(allRows(db, ['access_tokens']));
    // And the restored instance's snapshot is the same document.
    expect((await call(restored.app, 'GET', '/admin/snapshot')).json()).toEqual(snapshot.json());
  });

  it('reset empties every table but the built-in rows, which it restores; the empty check ignores only those', async () => {
    const { app, db } = await instance(families, migration);
    const pristine = allRows(db);
    expect(app.ctx.repos.subscription.isEmpty()).toBe(true);
    const seed = app.ctx.seedSchema.parse(examplesSeed(families));
    app.ctx.transaction(() => app.ctx.repos.subscription.load(seed));
    expect(app.ctx.repos.subscription.isEmpty()).toBe(false);
    // Built-in rows removed by hand come back with the reset. Family rows may still reference them (a list in a
    // root folder): the keys are off for the hand-made delete only.
    db.pragma('foreign_keys = OFF');
    for (const family of families) {
      for (const [table, builtIn] of Object.entries(family.builtIns?.rows ?? {})) {
        db.prepare(`DELETE FROM "${table}" WHERE ${builtIn}`).run();
      }
    }
    db.pragma('foreign_keys = ON');
    expect((await call(app, 'POST', '/admin/reset')).statusCode).toBe(204);
    expect(allRows(db)).toEqual(pristine);
    expect(app.ctx.repos.subscription.isEmpty()).toBe(true);
  });

  it('a partition or workspace still referenced by a family row cannot be deleted (409), and nothing changes', async () => {
    const { app, db } = await instance(families, migration, examplesSeed(families));
    const contractPartition = app.ctx.repos.partitions.findByName('Contract')!.id;
    const contractWorkspace = app.ctx.repos.workspaces.list().find((w) => w.name === 'Contract')!.id;
    for (const [parent, id, path] of [
      ['partitions', contractPartition, `/admin/partitions/${contractPartition}`],
      ['workspaces', contractWorkspace, `/admin/workspaces/${contractWorkspace}`],
    ] as const) {
      for (const key of schemaOf(db).referencesTo(parent).filter(blocksDelete)) {
        const owner = families.find((f) => f.tables.includes(key.table));
        if (!owner) continue; // the core's own keys are tested with the core
        const before = allRows(db);
        // Point one of the family's own (not built-in) rows at the Contract partition/workspace, as its writes would.
        // Built-in rows are the family's to remove when the workspace goes (its core-event handler does).
        const builtIn = owner.builtIns?.rows[key.table];
        const userRows = builtIn ? `NOT (${builtIn})` : '1 = 1';
        const { n } = db
          .prepare(`SELECT count(*) AS n FROM "${key.table}" WHERE "${key.column}" = ? AND ${userRows}`)
          .get(id) as { n: number };
        if (n === 0) {
          const changed = db
            .prepare(
              `UPDATE "${key.table}" SET "${key.column}" = ?
               WHERE rowid = (SELECT min(rowid) FROM "${key.table}" WHERE ${userRows})`,
            )
            .run(id).changes;
          if (changed === 0) continue;
        }
        const refused = expectProblem(await call(app, 'DELETE', path), 409);
        expect(refused.detail).toContain(key.table);
        if (n > 0) expect(allRows(db)).toEqual(before);
        expect((await call(app, 'GET', path)).statusCode).toBe(200);
      }
    }
  });

  it('a caller with no API permission gets each route’s denial answer, in its wire format', async () => {
    const { app } = await instance(families, migration);
    const service = await provisionService(app, { permissions: ['access-admin'] });
    const token = await accessToken(app, service);
    const spec = (await call(app, 'GET', '/openapi.json')).json() as {
      paths: Record<string, Record<string, { 'x-marketo-permissions'?: string[] }>>;
    };
    const denied: string[] = [];
    for (const [path, operations] of Object.entries(spec.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (!operation['x-marketo-permissions']?.length) continue;
        const url = path.replace(/\{[^}]+\}/g, '1');
        const response = await call(app, method.toUpperCase() as 'GET', url, undefined, {
          authorization: `Bearer ${token}`,
        });
        const format = wireFormatOf(url);
        if (format.name === 'user-management') {
          expect(response.statusCode, `${method} ${url}`).toBe(403);
          expect(response.json(), `${method} ${url}`).toEqual({ errors: [{ code: 603, message: 'Access denied' }] });
        } else {
          expect(response.statusCode, `${method} ${url}`).toBe(200);
          expect(response.json(), `${method} ${url}`).toMatchObject({
            success: false,
            errors: [{ code: '603', message: 'Access denied' }],
            ...(format.name === 'asset' ? { warnings: [] } : {}),
          });
        }
        denied.push(`${method.toUpperCase()} ${path}`);
      }
    }
    for (const family of families) {
      if (family === widgets) expect(denied).toContain('GET /rest/v1/widgets.json');
    }
    expect(denied.length).toBeGreaterThan(5);
  });
});

describe('forgetting is loud', () => {
  it('a table that no family declares fails the ownership check', async () => {
    const { db } = await instance(FAMILIES, WIDGETS_MIGRATION);
    expect(ownershipProblems(db, FAMILIES)).toEqual(['widget_shelves: owned by nobody', 'widgets: owned by nobody']);
  });

  it('a table added by a migration alone is emptied by reset, counted by the empty check, and guards its partition', async () => {
    // The test family's tables, with no family registered for them.
    const { app, db } = await instance(FAMILIES, WIDGETS_MIGRATION);
    const partition = (await call(app, 'POST', '/admin/partitions', { name: 'Orphaned' })).json().id as number;
    db.prepare("INSERT INTO widgets (partition_id, name) VALUES (?, 'Stray')").run(partition);
    expect(app.ctx.repos.subscription.isEmpty()).toBe(false);
    const refused = expectProblem(await call(app, 'DELETE', `/admin/partitions/${partition}`), 409);
    expect(refused.detail).toBe(
      `Partition ${partition} is still used by 1 row(s) of widgets; move or delete them first`,
    );
    expect((await call(app, 'POST', '/admin/reset')).statusCode).toBe(204);
    expect(db.prepare('SELECT count(*) AS n FROM widgets').get()).toEqual({ n: 0 });
    expect(app.ctx.repos.subscription.isEmpty()).toBe(true);
  });

  it('a family whose Marketo route answers in another wire format than it declares stops the start', async () => {
    const misdeclared = defineFamily({
      ...widgets,
      key: 'assetWidgets',
      tables: [],
      seed: undefined,
      builtIns: undefined,
      onCoreEvents: undefined,
      wireFormat: 'asset',
    });
    const db = openDatabase(':memory:', MIGRATIONS);
    db.exec(WIDGETS_MIGRATION);
    await expect(buildApp({ config: testConfig(), db, families: [...FAMILIES, misdeclared] })).rejects.toThrow(
      'resource family "assetWidgets" declares asset but /rest/v1/widgets.json answers in the lead-database format',
    );
    db.close();
  });

  it('a port no registered family provides is named; a port provided twice stops the start', async () => {
    const withoutLists = FAMILIES.filter((family) => family.key !== 'lists');
    const { app } = await instance(withoutLists, '');
    expect(() => app.ctx.port('staticLists')).toThrow(
      'no registered resource family provides the port "staticLists" (src/families.ts)',
    );
    const twice = defineFamily({
      ...widgets,
      key: 'secondLog',
      tables: [],
      seed: undefined,
      builtIns: undefined,
      onCoreEvents: undefined,
      marketoRoutes: undefined,
      provides: () => ({ activityLog: { record() {}, reassign() {} } }),
    });
    const db = openDatabase(':memory:', MIGRATIONS);
    db.exec(WIDGETS_MIGRATION);
    await expect(buildApp({ config: testConfig(), db, families: [...FAMILIES, twice] })).rejects.toThrow(
      'the port "activityLog" is provided by both "activities" and "secondLog"',
    );
    db.close();
  });

  it('a family reached through ctx.repo but not registered is named in the error', async () => {
    const { app } = await instance(FAMILIES, '');
    expect(() => app.ctx.repo(widgets)).toThrow('the resource family "widgets" is not registered (src/families.ts)');
  });

  it('core events reach a family: a workspace made or removed through the admin plane adds or removes its row', async () => {
    const { app, db } = await instance(WITH_TEST_FAMILY, WIDGETS_MIGRATION);
    const shelves = () => db.prepare('SELECT workspace_id, label FROM widget_shelves ORDER BY workspace_id').all();
    expect(shelves()).toEqual([{ workspace_id: 1, label: 'Shelf of Default' }]);
    const id = (await call(app, 'POST', '/admin/workspaces', { name: 'North' })).json().id as number;
    expect(shelves()).toEqual([
      { workspace_id: 1, label: 'Shelf of Default' },
      { workspace_id: id, label: 'Shelf of North' },
    ]);
    // The shelf would block the delete (RESTRICT); the family removes it first, in the same transaction.
    expect((await call(app, 'DELETE', `/admin/workspaces/${id}`)).statusCode).toBe(204);
    expect(shelves()).toEqual([{ workspace_id: 1, label: 'Shelf of Default' }]);
  });
});
