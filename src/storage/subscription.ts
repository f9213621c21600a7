import type { StubInput } from '../domain/stubs.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AdjustableClock } from '../clock.js';
import { CoreEvents } from '../domain/core-events.js';
import {
  ADMIN_ACTOR,
  ADMIN_ROLE_ID,
  ALL_WORKSPACES_ID,
  DEFAULT_PARTITION_DESCRIPTION,
  DEFAULT_PARTITION_ID,
  DEFAULT_WORKSPACE_DESCRIPTION,
  DEFAULT_WORKSPACE_ID,
  LAST_SYSTEM_ROLE_ID,
  RTP_EDITOR_ROLE_ID,
  RTP_LAUNCHER_ROLE_ID,
  STANDARD_USER_ROLE_ID,
} from '../domain/model.js';
import { isPermissionKey, PERMISSIONS } from '../domain/permissions.js';
import { ALL_WORKSPACES_NAME, type SeedDocument, SeedError } from '../domain/seed.js';
import type { Jobs } from '../engines/jobs/kinds.js';
import type { AnyFamily, CoreRepositories, FamilyInfra, RepoOf, SeedLoadContext, SnapshotContext } from '../family.js';
import type { Ids } from '../ids.js';
import type { PortName, Ports } from '../ports.js';
import { type Database, openCopy, type PreparedStatement, prepareOnUse } from './database.js';
import { schemaOf } from './schema.js';
import { type ServiceRow, toService } from './services.js';
import { isConstraintViolation } from './sqlite-errors.js';

/**
 * The tables of the core: workspaces, partitions, the access-control entities and the families' jobs (their timed
 * work, src/engines/jobs). Every other table is a family's.
 */
export const CORE_TABLES = [
  'workspaces',
  'partitions',
  'workspace_partitions',
  'roles',
  'role_permissions',
  'users',
  'user_roles',
  'services',
  'access_tokens',
  'jobs',
] as const;

/** The core's built-in rows, per table (an SQL condition): the empty-database check ignores them. */
const CORE_BUILT_IN_ROWS: Readonly<Record<string, string>> = {
  workspaces: `id = ${DEFAULT_WORKSPACE_ID}`,
  partitions: `id = ${DEFAULT_PARTITION_ID}`,
  workspace_partitions: `workspace_id = ${DEFAULT_WORKSPACE_ID} AND partition_id = ${DEFAULT_PARTITION_ID}`,
  roles: "role_type = 'system-defined'",
  role_permissions: "role_id IN (SELECT id FROM roles WHERE role_type = 'system-defined')",
};

/** About how much JSON text a snapshot writes at a time. */
const SNAPSHOT_CHUNK_BYTES = 64 * 1024;

/** A registered family and the repository built for it. */
export interface FamilyInstance {
  family: AnyFamily;
  repo: unknown;
}

/** Finds the repository of a registered family (typed by the family object). */
export type RepoLookup = <F extends AnyFamily>(family: F) => RepoOf<F>;
/** Finds what a registered family offers through a port. */
export type PortLookup = <K extends PortName>(name: K) => Ports[K];

const fail = (path: string, message: string): never => {
  throw new SeedError([{ path, message }]);
};

/** Runs an insert, turning a UNIQUE/PRIMARY KEY clash into a SeedError at `path`. */
function unique<T>(path: string, insert: () => T): T {
  try {
    return insert();
  } catch (error) {
    if (isConstraintViolation(error)) fail(path, 'duplicates an id, name, email or client id defined before it');
    throw error;
  }
}

/**
 * The whole subscription as one aggregate: wiping it back to the built-in rows, loading a seed document, and taking a
 * snapshot in the same form. The core (workspaces … services) is written here; each family loads and snapshots its
 * own part through its repository. Which tables exist, the order they are wiped in and which count ids come from the
 * schema (schema.ts). Callers run wipe + load in one transaction.
 */
export class SubscriptionStore {
  private readonly statements;
  private readonly deletes = new Map<string, PreparedStatement>();
  private countUserRows: { version: unknown; statement: PreparedStatement<[], { n: number }> } | undefined;

  constructor(
    private readonly db: Database,
    private readonly clock: AdjustableClock,
    private readonly ids: Ids,
    private readonly events: CoreEvents,
    private readonly families: readonly FamilyInstance[],
    private readonly repo: RepoLookup,
    private readonly port: PortLookup,
    private readonly beforeWipe: () => void = () => {},
    /** What the snapshot lists besides the database: the stubs, which live in memory (issue 17). */
    private readonly stubs: () => StubInput[] = () => [],
    /** The core's repositories over another database (the copy a snapshot is read from). */
    private readonly coreOver: (db: Database) => CoreRepositories = () => {
      throw new Error('this store reads no copy');
    },
    /** The jobs, for a family's seed that schedules one (SeedLoadContext.jobs). */
    private readonly jobs?: Jobs,
  ) {
    const prepare = (sql: string): PreparedStatement => prepareOnUse(db, sql);
    this.statements = {
      resetSequences: prepare('DELETE FROM sqlite_sequence'),
      roleSequence: prepare(`INSERT INTO sqlite_sequence (name, seq) VALUES ('roles', ${LAST_SYSTEM_ROLE_ID})`),
      insertPartition: prepare('INSERT INTO partitions (id, name, description) VALUES (?, ?, ?) RETURNING id'),
      insertWorkspace: prepare('INSERT INTO workspaces (id, name, description) VALUES (?, ?, ?) RETURNING id'),
      attach: prepare('INSERT OR IGNORE INTO workspace_partitions (workspace_id, partition_id) VALUES (?, ?)'),
      detachAll: prepare('DELETE FROM workspace_partitions WHERE workspace_id = ?'),
      updatePartition: prepare('UPDATE partitions SET name = ?, description = ? WHERE id = ?'),
      updateWorkspace: prepare('UPDATE workspaces SET name = ?, description = ? WHERE id = ?'),
      insertRole: prepare(
        `INSERT INTO roles (id, name, description, role_type, created_by, created_at, modified_by, modified_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      ),
      insertRolePermission: prepare('INSERT OR IGNORE INTO role_permissions (role_id, permission_key) VALUES (?, ?)'),
      insertUser: prepare(
        `INSERT INTO users (id, email, first_name, last_name, api_only, login_id, expires_at, invited_at, created_at,
         updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      ),
      insertGrant: prepare('INSERT OR IGNORE INTO user_roles (user_id, role_id, workspace_id) VALUES (?, ?, ?)'),
      insertService: prepare(
        `INSERT INTO services (id, name, description, api_only_user_id, client_id, client_secret, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      ),
      selectPartitions: prepare('SELECT id, name, description FROM partitions ORDER BY id'),
      selectWorkspaces: prepare('SELECT id, name, description FROM workspaces ORDER BY id'),
      selectAttachments: prepare(
        'SELECT workspace_id, partition_id FROM workspace_partitions ORDER BY workspace_id, partition_id',
      ),
      selectRoles: prepare("SELECT id, name, description FROM roles WHERE role_type = 'user-defined' ORDER BY id"),
      selectRolePermissions: prepare(
        'SELECT role_id, permission_key FROM role_permissions ORDER BY role_id, permission_key',
      ),
      selectAllRoleNames: prepare('SELECT id, name FROM roles'),
      selectUsers: prepare(
        'SELECT id, email, first_name, last_name, api_only, login_id, expires_at, invited_at FROM users ORDER BY id',
      ),
      selectGrants: prepare(
        'SELECT user_id, role_id, workspace_id FROM user_roles ORDER BY user_id, role_id, workspace_id',
      ),
      selectServices: prepare('SELECT * FROM services ORDER BY id'),
      insertDefaultWorkspace: prepare(
        `INSERT OR IGNORE INTO workspaces (id, name, description) VALUES (${DEFAULT_WORKSPACE_ID}, 'Default', ?)`,
      ),
      insertDefaultPartition: prepare(
        `INSERT OR IGNORE INTO partitions (id, name, description) VALUES (${DEFAULT_PARTITION_ID}, 'Default', ?)`,
      ),
      attachDefault: prepare(
        `INSERT OR IGNORE INTO workspace_partitions (workspace_id, partition_id)
         VALUES (${DEFAULT_WORKSPACE_ID}, ${DEFAULT_PARTITION_ID})`,
      ),
      selectSequences: prepare('SELECT name, seq FROM sqlite_sequence'),
      raiseSequence: prepare('UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?'),
      insertSequence: prepare(
        'INSERT INTO sqlite_sequence (name, seq) SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?)',
      ),
      insertSystemRole: prepare(
        `INSERT OR IGNORE INTO roles (id, name, description, role_type, created_by, created_at, modified_by, modified_at)
         VALUES (?, ?, ?, 'system-defined', 'system', ?, 'system', ?)`,
      ),
    };
  }

  /**
   * True when nothing but built-in rows exists (a new database): every table of the schema is counted, less the rows
   * the core and the families declare built in.
   */
  isEmpty(): boolean {
    const version = this.db.pragma('schema_version', { simple: true });
    if (this.countUserRows?.version !== version) {
      const builtIn: Record<string, string> = { ...CORE_BUILT_IN_ROWS };
      for (const { family } of this.families) Object.assign(builtIn, family.builtIns?.rows);
      const counts = schemaOf(this.db).tables.map((table) =>
        builtIn[table]
          ? `(SELECT count(*) FROM "${table}" WHERE NOT (${builtIn[table]}))`
          : `(SELECT count(*) FROM "${table}")`,
      );
      this.countUserRows = {
        version,
        statement: prepareOnUse<[], { n: number }>(this.db, `SELECT ${counts.join(' + ')} AS n`),
      };
    }
    return this.countUserRows!.statement.get()!.n === 0;
  }

  /** Back to an empty subscription: every table emptied, children first, then the built-in rows again. */
  wipe(): void {
    this.beforeWipe();
    for (const table of schemaOf(this.db).wipeOrder) this.deleteAll(table).run();
    this.statements.resetSequences.run();
    this.statements.roleSequence.run();
    this.ensureSystemRows();
    this.resetFamilies();
  }

  /** What the families keep in memory, back to empty (after a wipe, or a load that was rolled back). */
  resetFamilies(): void {
    for (const { family, repo } of this.families) family.reset?.(repo);
  }

  /**
   * Marketo's built-in rows and each family's; idempotent, and keeps the Admin role in step with the permission
   * catalog.
   */
  ensureSystemRows(): void {
    const s = this.statements;
    s.insertDefaultWorkspace.run(DEFAULT_WORKSPACE_DESCRIPTION);
    s.insertDefaultPartition.run(DEFAULT_PARTITION_DESCRIPTION);
    s.attachDefault.run();
    const now = this.clock.now();
    // Marketo's system roles (user-management.md, "Browse Roles"); the RTP ones hold no permission of the catalog.
    for (const [id, name, description, keys] of [
      [ADMIN_ROLE_ID, 'Admin', 'All permissions', PERMISSIONS.map((p) => p.key)],
      [STANDARD_USER_ROLE_ID, 'Standard User', 'Standard user permissions', []],
      [RTP_LAUNCHER_ROLE_ID, 'RTP Launcher', 'Role required for launcher in RTP', []],
      [RTP_EDITOR_ROLE_ID, 'RTP Editor', 'Role required for editor in RTP', []],
    ] as const) {
      s.insertSystemRole.run(id, name, description, now, now);
      for (const key of keys) s.insertRolePermission.run(id, key);
    }
    for (const { family, repo } of this.families) family.builtIns?.ensure(repo);
  }

  /** Loads a seed into an empty (just wiped) subscription; a SeedError names the path of the first problem. */
  load(seed: SeedDocument): void {
    const s = this.statements;
    const now = this.clock.now();

    const partitionIds = new Map<string, number>([['default', DEFAULT_PARTITION_ID]]);
    seed.partitions.forEach((partition, i) => {
      const key = partition.name.toLowerCase();
      // Partition 1 is built in: named by its id (under any name), or as "Default" without an id.
      if (partition.id === DEFAULT_PARTITION_ID || (partition.id === undefined && key === 'default')) {
        s.updatePartition.run(partition.name, partition.description ?? DEFAULT_PARTITION_DESCRIPTION, 1);
        partitionIds.delete('default');
        partitionIds.set(key, DEFAULT_PARTITION_ID);
        return;
      }
      if (partitionIds.has(key))
        fail(`partitions[${i}].name`, `a partition named "${partition.name}" is already defined`);
      const { id } = unique(
        `partitions[${i}]`,
        () =>
          s.insertPartition.get(partition.id ?? null, partition.name, partition.description ?? '') as { id: number },
      );
      partitionIds.set(key, id);
      this.events.partitionCreated({ id, name: partition.name });
    });

    const workspaceIds = new Map<string, number>([['default', DEFAULT_WORKSPACE_ID]]);
    seed.workspaces.forEach((workspace, i) => {
      const key = workspace.name.toLowerCase();
      if (key === ALL_WORKSPACES_NAME) fail(`workspaces[${i}].name`, '"*" means all workspaces and cannot be a name');
      let workspaceId: number;
      let created = false;
      // Workspace 1 is built in: named by its id (under any name), or as "Default" without an id.
      if (workspace.id === DEFAULT_WORKSPACE_ID || (workspace.id === undefined && key === 'default')) {
        workspaceId = DEFAULT_WORKSPACE_ID;
        s.updateWorkspace.run(workspace.name, workspace.description ?? DEFAULT_WORKSPACE_DESCRIPTION, workspaceId);
        s.detachAll.run(workspaceId);
        workspaceIds.delete('default');
        workspaceIds.set(key, workspaceId);
      } else {
        if (workspaceIds.has(key))
          fail(`workspaces[${i}].name`, `a workspace named "${workspace.name}" is already defined`);
        workspaceId = unique(
          `workspaces[${i}]`,
          () =>
            s.insertWorkspace.get(workspace.id ?? null, workspace.name, workspace.description ?? '') as { id: number },
        ).id;
        workspaceIds.set(key, workspaceId);
        created = true;
      }
      workspace.partitions.forEach((partitionName, j) => {
        const partitionId = partitionIds.get(partitionName.toLowerCase());
        if (partitionId === undefined)
          fail(`workspaces[${i}].partitions[${j}]`, `no partition named "${partitionName}"`);
        s.attach.run(workspaceId, partitionId);
      });
      if (created) this.events.workspaceCreated({ id: workspaceId, name: workspace.name });
    });

    const roleIds = new Map<string, number>(
      (s.selectAllRoleNames.all() as { id: number; name: string }[]).map((row) => [row.name.toLowerCase(), row.id]),
    );
    seed.roles.forEach((role, i) => {
      if (roleIds.has(role.name.toLowerCase())) fail(`roles[${i}].name`, `a role named "${role.name}" already exists`);
      if (role.id !== undefined && role.id <= LAST_SYSTEM_ROLE_ID) {
        fail(`roles[${i}].id`, `ids up to ${LAST_SYSTEM_ROLE_ID} are reserved for built-in roles`);
      }
      role.permissions.forEach((key, j) => {
        if (!isPermissionKey(key)) fail(`roles[${i}].permissions[${j}]`, `unknown permission "${key}"`);
      });
      const roleId = unique(
        `roles[${i}]`,
        () =>
          s.insertRole.get(
            role.id ?? null,
            role.name,
            role.description ?? '',
            'user-defined',
            ADMIN_ACTOR,
            now,
            ADMIN_ACTOR,
            now,
          ) as { id: number },
      ).id;
      for (const key of role.permissions) s.insertRolePermission.run(roleId, key);
      roleIds.set(role.name.toLowerCase(), roleId);
    });

    const users = new Map<string, { id: number; apiOnly: boolean; pending: boolean }>();
    seed.users.forEach((user, i) => {
      if (user.apiOnly && user.roles.length === 0)
        fail(`users[${i}].roles`, 'an API-only user needs at least one role');
      if (!user.pending && user.invitedAt !== undefined) {
        fail(`users[${i}].invitedAt`, 'only a pending user has an invitation (pending: true)');
      }
      const userId = unique(
        `users[${i}]`,
        () =>
          s.insertUser.get(
            user.id ?? null,
            user.email,
            user.firstName ?? '',
            user.lastName ?? '',
            user.apiOnly ? 1 : 0,
            user.userid ?? null,
            user.expiresAt === undefined ? null : Date.parse(user.expiresAt),
            user.pending ? (user.invitedAt === undefined ? now : Date.parse(user.invitedAt)) : null,
            now,
            now,
          ) as { id: number },
      ).id;
      user.roles.forEach((grant, j) => {
        const roleId = roleIds.get(grant.role.toLowerCase());
        if (roleId === undefined) fail(`users[${i}].roles[${j}].role`, `no role named "${grant.role}"`);
        const workspaceId =
          grant.workspace === ALL_WORKSPACES_NAME ? ALL_WORKSPACES_ID : workspaceIds.get(grant.workspace.toLowerCase());
        if (workspaceId === undefined) {
          fail(
            `users[${i}].roles[${j}].workspace`,
            `no workspace named "${grant.workspace}" ("*" means all workspaces)`,
          );
        }
        s.insertGrant.run(userId, roleId, workspaceId);
      });
      users.set(user.email.toLowerCase(), { id: userId, apiOnly: user.apiOnly, pending: user.pending });
    });

    seed.services.forEach((service, i) => {
      const owner = users.get(service.user.toLowerCase());
      if (!owner) fail(`services[${i}].user`, `no user with email "${service.user}"`);
      if (!owner!.apiOnly) fail(`services[${i}].user`, `"${service.user}" is not an API-only user`);
      if (owner!.pending) fail(`services[${i}].user`, `"${service.user}" has not accepted the invitation (pending)`);
      unique(`services[${i}]`, () =>
        s.insertService.get(
          service.id ?? null,
          service.name,
          service.description ?? '',
          owner!.id,
          service.clientId ?? this.ids.clientId(),
          service.clientSecret ?? this.ids.clientSecret(),
          now,
        ),
      );
    });

    const jobs = this.jobs;
    for (const { family, repo } of this.families) {
      if (!family.seed) continue;
      const items = ((seed as Record<string, unknown>)[family.key] ?? []) as unknown[];
      const context: SeedLoadContext = {
        now,
        time: (value, fallback = now) => (value === undefined ? fallback : Date.parse(value)),
        partitionId: (name) => partitionIds.get(name.toLowerCase()),
        workspaceId: (name) => workspaceIds.get(name.toLowerCase()),
        userId: (email) => users.get(email.toLowerCase())?.id,
        get jobs(): Jobs {
          if (!jobs) throw new Error('this subscription store was built without the jobs');
          return jobs;
        },
        repo: this.repo,
        port: this.port,
        fail: (path, message) => fail(`${family.key}${path}`, message),
        unique: (path, insert) => unique(`${family.key}${path}`, insert),
      };
      family.seed.load(repo, items, context);
    }

    const sequenced = new Set(schemaOf(this.db).sequenced);
    for (const [table, lastId] of Object.entries(seed.lastIds ?? {})) {
      if (!sequenced.has(table)) fail(`lastIds.${table}`, `no table named "${table}" numbers its ids`);
      s.raiseSequence.run(lastId, table);
      s.insertSequence.run(table, lastId, table);
    }
  }

  /** The current subscription as a seed document (built-in rows and tokens are not part of it). */
  snapshot(): SeedDocument & Record<string, unknown> {
    const { core, families, lastIds } = this.snapshotParts();
    const familyParts = Object.fromEntries(families.map(([key, items]) => [key, Array.from(items)]));
    return { ...core, ...familyParts, lastIds };
  }

  /**
   * The same document as JSON text, in chunks of about SNAPSHOT_CHUNK_BYTES, of one point in time: the database is
   * first copied (`openCopy`, to a temporary file removed when the chunks end or are abandoned), and the chunks are
   * read from the copy, so what is written while they are sent is not in them (issue 23). The core and each
   * family's items are written as they are read, so a snapshot of millions of activities is never held as one
   * string; a family's items may be a generator that reads its rows a chunk at a time.
   */
  async *snapshotJson(): AsyncGenerator<string> {
    const dir = mkdtempSync(join(tmpdir(), 'fake-marketo-snapshot-'));
    let copy: Database | undefined;
    try {
      copy = await openCopy(this.db, join(dir, 'snapshot.sqlite'));
      yield* this.over(copy).liveSnapshotJson();
    } finally {
      copy?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** A store of the same families over another database (a copy to read a snapshot from): its own repositories. */
  private over(db: Database): SubscriptionStore {
    const repos = new Map<AnyFamily, unknown>();
    const repo = <F extends AnyFamily>(family: F): RepoOf<F> => repos.get(family) as RepoOf<F>;
    const ports: Partial<Ports> = {};
    const families: FamilyInstance[] = [];
    const core = this.coreOver(db);
    const port = <K extends PortName>(name: K): Ports[K] => ports[name] as Ports[K];
    const findPort = <K extends PortName>(name: K): Ports[K] | undefined => ports[name] as Ports[K] | undefined;
    for (const { family } of this.families) {
      const infra: FamilyInfra = { db, clock: this.clock, ids: this.ids, repo, core, port, findPort };
      const familyRepo: unknown = family.repository(infra);
      repos.set(family, familyRepo);
      families.push({ family, repo: familyRepo });
      Object.assign(ports, family.provides?.(familyRepo, infra));
    }
    const stubs = this.stubs();
    return new SubscriptionStore(
      db,
      this.clock,
      this.ids,
      new CoreEvents(),
      families,
      repo,
      port,
      () => {},
      () => stubs,
    );
  }

  /** The document as JSON chunks, read from this store's database as it goes (see snapshotJson). */
  private *liveSnapshotJson(): Generator<string> {
    const { core, families, lastIds } = this.snapshotParts();
    const head = JSON.stringify(core);
    let chunk = head.slice(0, -1);
    for (const [key, items] of families) {
      chunk += `,${JSON.stringify(key)}:[`;
      let first = true;
      for (const item of items) {
        chunk += (first ? '' : ',') + JSON.stringify(item);
        first = false;
        if (chunk.length >= SNAPSHOT_CHUNK_BYTES) {
          yield chunk;
          chunk = '';
        }
      }
      chunk += ']';
    }
    yield `${chunk},"lastIds":${JSON.stringify(lastIds)}}`;
  }

  private snapshotParts(): {
    core: SeedDocument;
    families: [string, Iterable<unknown>][];
    lastIds: Record<string, number>;
  } {
    const s = this.statements;
    type Named = { id: number; name: string; description: string };
    const partitions = s.selectPartitions.all() as Named[];
    const partitionName = new Map(partitions.map((p) => [p.id, p.name]));
    const attachments = s.selectAttachments.all() as { workspace_id: number; partition_id: number }[];
    const workspaces = (s.selectWorkspaces.all() as Named[]).map((w) => ({
      id: w.id,
      name: w.name,
      description: w.description,
      partitions: attachments.filter((a) => a.workspace_id === w.id).map((a) => partitionName.get(a.partition_id)!),
    }));
    const workspaceName = new Map(workspaces.map((w) => [w.id, w.name]));
    const permissions = s.selectRolePermissions.all() as { role_id: number; permission_key: string }[];
    const roles = (s.selectRoles.all() as Named[]).map((r) => ({
      id: r.id,
      name: r.name,
      description: r.description,
      permissions: permissions.filter((p) => p.role_id === r.id).map((p) => p.permission_key),
    }));
    const roleName = new Map((s.selectAllRoleNames.all() as { id: number; name: string }[]).map((r) => [r.id, r.name]));
    const grants = s.selectGrants.all() as { user_id: number; role_id: number; workspace_id: number }[];
    type UserRow = {
      id: number;
      email: string;
      first_name: string;
      last_name: string;
      api_only: number;
      login_id: string | null;
      expires_at: number | null;
      invited_at: number | null;
    };
    const userRows = s.selectUsers.all() as UserRow[];
    const emailOf = new Map(userRows.map((u) => [u.id, u.email]));
    const iso = (epochMs: number) => new Date(epochMs).toISOString();
    const users = userRows.map((u) => ({
      id: u.id,
      email: u.email,
      firstName: u.first_name,
      lastName: u.last_name,
      apiOnly: u.api_only === 1,
      roles: grants
        .filter((g) => g.user_id === u.id)
        .map((g) => ({
          role: roleName.get(g.role_id)!,
          workspace: g.workspace_id === ALL_WORKSPACES_ID ? ALL_WORKSPACES_NAME : workspaceName.get(g.workspace_id)!,
        })),
      ...(u.login_id !== null ? { userid: u.login_id } : {}),
      ...(u.expires_at !== null ? { expiresAt: iso(u.expires_at) } : {}),
      ...(u.invited_at !== null ? { pending: true, invitedAt: iso(u.invited_at) } : {}),
    }));
    const services = (s.selectServices.all() as ServiceRow[]).map(toService).map((svc) => ({
      id: svc.id,
      name: svc.name,
      description: svc.description,
      user: emailOf.get(svc.apiOnlyUserId)!,
      clientId: svc.clientId,
      clientSecret: svc.clientSecret,
    }));
    const context: SnapshotContext = {
      partitionName: (id) => partitionName.get(id) ?? String(id),
      workspaceName: (id) => workspaceName.get(id) ?? String(id),
      repo: this.repo,
    };
    const families = this.families.flatMap(({ family, repo }): [string, Iterable<unknown>][] =>
      family.seed ? [[family.key, family.seed.snapshot(repo, context)]] : [],
    );
    const sequences = new Map((s.selectSequences.all() as { name: string; seq: number }[]).map((r) => [r.name, r.seq]));
    const lastIds = Object.fromEntries(
      schemaOf(this.db)
        .sequenced.filter((table) => sequences.has(table))
        .map((table) => [table, sequences.get(table)!]),
    );
    return {
      core: { partitions, workspaces, roles, users, services, stubs: this.stubs() } as SeedDocument,
      families,
      lastIds,
    };
  }

  private deleteAll(table: string): PreparedStatement {
    let statement = this.deletes.get(table);
    if (!statement) {
      statement = prepareOnUse(this.db, `DELETE FROM "${table}"`);
      this.deletes.set(table, statement);
    }
    return statement;
  }
}
