import type { Clock } from '../clock.js';
import { coerceFieldValue, formatDatetime, isStandardFieldName, type LeadFieldCatalog } from '../domain/lead-fields.js';
import { isPermissionKey, PERMISSIONS } from '../domain/permissions.js';
import { ALL_WORKSPACES_NAME, type Seed, SEQUENCED_TABLES, SeedError } from '../domain/seed.js';
import type { Ids } from '../ids.js';
import { type Database, type PreparedStatement, prepareOnUse } from './database.js';
import type { LeadFieldRepository } from './lead-fields.js';
import { LEAD_COLUMNS, type LeadRow, type LeadValue, toLead } from './leads.js';
import { type ServiceRow, toService } from './services.js';
import { DEFAULT_PARTITION_ID } from './partitions.js';
import { ADMIN_ACTOR } from './roles.js';
import { ALL_WORKSPACES_ID, DEFAULT_WORKSPACE_ID } from './workspaces.js';

export const ADMIN_ROLE_ID = 1;
export const STANDARD_USER_ROLE_ID = 2;
/** Marketo numbers custom roles from 101 (system roles 1 Admin, 2 Standard User, 24/25 RTP). */
const LAST_SYSTEM_ROLE_ID = 100;

const DATA_TABLES = [
  'access_tokens',
  'services',
  'user_roles',
  'users',
  'role_permissions',
  'roles',
  'leads',
  'lead_fields',
  'workspace_partitions',
  'workspaces',
  'partitions',
];

const fail = (path: string, message: string): never => {
  throw new SeedError([{ path, message }]);
};

/**
 * The whole subscription as one aggregate: wiping it back to Marketo's built-in rows, loading a seed
 * document, and taking a snapshot in the same form. Callers run wipe + load in one transaction.
 */
export class SubscriptionStore {
  private readonly statements;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly ids: Ids,
    private readonly leadFields: LeadFieldRepository,
    private readonly beforeWipe: () => void = () => {},
  ) {
    const prepare = (sql: string, options?: { raw: boolean }): PreparedStatement => prepareOnUse(db, sql, options);
    this.statements = {
      wipe: DATA_TABLES.map((table) => prepare(`DELETE FROM ${table}`)),
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
        `INSERT INTO users (id, email, first_name, last_name, api_only, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      ),
      insertGrant: prepare('INSERT OR IGNORE INTO user_roles (user_id, role_id, workspace_id) VALUES (?, ?, ?)'),
      insertService: prepare(
        `INSERT INTO services (id, name, description, api_only_user_id, client_id, client_secret, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertLeadField: prepare(
        'INSERT INTO lead_fields (name, display_name, data_type, length, created_at) VALUES (?, ?, ?, ?, ?)',
      ),
      insertLead: prepare(
        'INSERT INTO leads (id, partition_id, email, fields, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
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
      selectUsers: prepare('SELECT id, email, first_name, last_name, api_only FROM users ORDER BY id'),
      selectGrants: prepare(
        'SELECT user_id, role_id, workspace_id FROM user_roles ORDER BY user_id, role_id, workspace_id',
      ),
      selectServices: prepare('SELECT * FROM services ORDER BY id'),
      selectLeads: prepare(`SELECT ${LEAD_COLUMNS} FROM leads ORDER BY id`, { raw: true }),
      insertDefaultWorkspace: prepare(
        `INSERT OR IGNORE INTO workspaces (id, name, description)
         VALUES (1, 'Default', 'Initial workspace for Marketing Activities, Design Studio, and so on.')`,
      ),
      insertDefaultPartition: prepare(
        "INSERT OR IGNORE INTO partitions (id, name, description) VALUES (1, 'Default', 'Initial system lead partition')",
      ),
      attachDefault: prepare('INSERT OR IGNORE INTO workspace_partitions (workspace_id, partition_id) VALUES (1, 1)'),
      selectSequences: prepare('SELECT name, seq FROM sqlite_sequence'),
      raiseSequence: prepare('UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?'),
      insertSequence: prepare(
        'INSERT INTO sqlite_sequence (name, seq) SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?)',
      ),
      countData: prepare(
        `SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM services) + (SELECT count(*) FROM leads)
           + (SELECT count(*) FROM lead_fields) + (SELECT count(*) FROM roles WHERE role_type = 'user-defined')
           + (SELECT count(*) FROM workspaces WHERE id <> 1) + (SELECT count(*) FROM partitions WHERE id <> 1) AS n`,
      ),
      insertSystemRole: prepare(
        `INSERT OR IGNORE INTO roles (id, name, description, role_type, created_by, created_at, modified_by, modified_at)
         VALUES (?, ?, ?, 'system-defined', 'system', ?, 'system', ?)`,
      ),
    };
  }

  /** True when nothing but the built-in rows exists (a new database). */
  isEmpty(): boolean {
    return (this.statements.countData.get() as { n: number }).n === 0;
  }

  /** Back to an empty subscription: Default workspace and partition, the built-in roles, nothing else. */
  wipe(): void {
    this.beforeWipe();
    for (const statement of this.statements.wipe) statement.run();
    this.statements.resetSequences.run();
    this.statements.roleSequence.run();
    this.ensureSystemRows();
    this.leadFields.invalidate();
  }

  /** Marketo's built-in rows; idempotent, and keeps the Admin role in step with the permission catalog. */
  ensureSystemRows(): void {
    const s = this.statements;
    s.insertDefaultWorkspace.run();
    s.insertDefaultPartition.run();
    s.attachDefault.run();
    const now = this.clock.now();
    for (const [id, name, description, keys] of [
      [ADMIN_ROLE_ID, 'Admin', 'All permissions', PERMISSIONS.map((p) => p.key)],
      [STANDARD_USER_ROLE_ID, 'Standard User', 'Standard user permissions', []],
    ] as const) {
      s.insertSystemRole.run(id, name, description, now, now);
      for (const key of keys) s.insertRolePermission.run(id, key);
    }
  }

  /** Loads a seed into an empty (just wiped) subscription; a SeedError names the path of the first problem. */
  load(seed: Seed): void {
    const s = this.statements;
    const now = this.clock.now();

    const partitionIds = new Map<string, number>([['default', DEFAULT_PARTITION_ID]]);
    seed.partitions.forEach((partition, i) => {
      const key = partition.name.toLowerCase();
      // Partition 1 is built in: named by its id (under any name), or as "Default" without an id.
      if (partition.id === DEFAULT_PARTITION_ID || (partition.id === undefined && key === 'default')) {
        s.updatePartition.run(partition.name, partition.description ?? 'Initial system lead partition', 1);
        partitionIds.delete('default');
        partitionIds.set(key, DEFAULT_PARTITION_ID);
        return;
      }
      if (partitionIds.has(key))
        fail(`partitions[${i}].name`, `a partition named "${partition.name}" is already defined`);
      const row = this.insertUnique(
        s.insertPartition,
        `partitions[${i}]`,
        partition.id ?? null,
        partition.name,
        partition.description ?? '',
      );
      partitionIds.set(key, row);
    });

    const workspaceIds = new Map<string, number>([['default', DEFAULT_WORKSPACE_ID]]);
    seed.workspaces.forEach((workspace, i) => {
      const key = workspace.name.toLowerCase();
      if (key === ALL_WORKSPACES_NAME) fail(`workspaces[${i}].name`, '"*" means all workspaces and cannot be a name');
      let workspaceId: number;
      // Workspace 1 is built in: named by its id (under any name), or as "Default" without an id.
      if (workspace.id === DEFAULT_WORKSPACE_ID || (workspace.id === undefined && key === 'default')) {
        workspaceId = DEFAULT_WORKSPACE_ID;
        s.updateWorkspace.run(
          workspace.name,
          workspace.description ?? 'Initial workspace for Marketing Activities, Design Studio, and so on.',
          workspaceId,
        );
        s.detachAll.run(workspaceId);
        workspaceIds.delete('default');
        workspaceIds.set(key, workspaceId);
      } else {
        if (workspaceIds.has(key))
          fail(`workspaces[${i}].name`, `a workspace named "${workspace.name}" is already defined`);
        workspaceId = this.insertUnique(
          s.insertWorkspace,
          `workspaces[${i}]`,
          workspace.id ?? null,
          workspace.name,
          workspace.description ?? '',
        );
        workspaceIds.set(key, workspaceId);
      }
      workspace.partitions.forEach((partitionName, j) => {
        const partitionId = partitionIds.get(partitionName.toLowerCase());
        if (partitionId === undefined)
          fail(`workspaces[${i}].partitions[${j}]`, `no partition named "${partitionName}"`);
        s.attach.run(workspaceId, partitionId);
      });
    });

    seed.leadFields.forEach((field, i) => {
      if (isStandardFieldName(field.name)) fail(`leadFields[${i}].name`, `"${field.name}" is a standard lead field`);
      if (field.length !== undefined && field.dataType !== 'string' && field.dataType !== 'email') {
        fail(`leadFields[${i}].length`, 'only string and email fields have a length');
      }
      const length = field.length ?? (field.dataType === 'string' || field.dataType === 'email' ? 255 : null);
      this.insertUnique(
        s.insertLeadField,
        `leadFields[${i}]`,
        field.name,
        field.displayName,
        field.dataType,
        length,
        now + i,
      );
    });
    this.leadFields.invalidate();

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
      const roleId = this.insertUnique(
        s.insertRole,
        `roles[${i}]`,
        role.id ?? null,
        role.name,
        role.description ?? '',
        'user-defined',
        ADMIN_ACTOR,
        now,
        ADMIN_ACTOR,
        now,
      );
      for (const key of role.permissions) s.insertRolePermission.run(roleId, key);
      roleIds.set(role.name.toLowerCase(), roleId);
    });

    const users = new Map<string, { id: number; apiOnly: boolean }>();
    seed.users.forEach((user, i) => {
      if (user.apiOnly && user.roles.length === 0)
        fail(`users[${i}].roles`, 'an API-only user needs at least one role');
      const userId = this.insertUnique(
        s.insertUser,
        `users[${i}]`,
        user.id ?? null,
        user.email,
        user.firstName ?? '',
        user.lastName ?? '',
        user.apiOnly ? 1 : 0,
        now,
        now,
      );
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
      users.set(user.email.toLowerCase(), { id: userId, apiOnly: user.apiOnly });
    });

    seed.services.forEach((service, i) => {
      const owner = users.get(service.user.toLowerCase());
      if (!owner) fail(`services[${i}].user`, `no user with email "${service.user}"`);
      if (!owner!.apiOnly) fail(`services[${i}].user`, `"${service.user}" is not an API-only user`);
      this.insertUnique(
        s.insertService,
        `services[${i}]`,
        service.id ?? null,
        service.name,
        service.description ?? '',
        owner!.id,
        service.clientId ?? this.ids.clientId(),
        service.clientSecret ?? this.ids.clientSecret(),
        now,
      );
    });

    const catalog = this.leadFields.catalog();
    seed.leads.forEach((lead, i) => this.loadLead(catalog, partitionIds, lead, `leads[${i}]`, now));

    for (const [table, lastId] of Object.entries(seed.lastIds ?? {})) {
      if (lastId === undefined) continue;
      s.raiseSequence.run(lastId, table);
      s.insertSequence.run(table, lastId, table);
    }
  }

  /** The current subscription as a seed document (built-in roles and tokens are not part of it). */
  snapshot(): Seed {
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
    type UserRow = { id: number; email: string; first_name: string; last_name: string; api_only: number };
    const userRows = s.selectUsers.all() as UserRow[];
    const emailOf = new Map(userRows.map((u) => [u.id, u.email]));
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
    }));
    const services = (s.selectServices.all() as ServiceRow[]).map(toService).map((svc) => ({
      id: svc.id,
      name: svc.name,
      description: svc.description,
      user: emailOf.get(svc.apiOnlyUserId)!,
      clientId: svc.clientId,
      clientSecret: svc.clientSecret,
    }));
    const leads = (s.selectLeads.all() as LeadRow[]).map(toLead).map((lead) => ({
      id: lead.id,
      partition: partitionName.get(lead.partitionId)!,
      ...(lead.email !== null ? { email: lead.email } : {}),
      ...lead.fields,
      createdAt: formatDatetime(lead.createdAt),
      updatedAt: formatDatetime(lead.updatedAt),
    }));
    const sequences = new Map((s.selectSequences.all() as { name: string; seq: number }[]).map((r) => [r.name, r.seq]));
    const lastIds = Object.fromEntries(
      SEQUENCED_TABLES.filter((table) => sequences.has(table)).map((table) => [table, sequences.get(table)!]),
    );
    return { partitions, workspaces, roles, users, services, leadFields: this.leadFields.list(), leads, lastIds };
  }

  private loadLead(
    catalog: LeadFieldCatalog,
    partitionIds: Map<string, number>,
    lead: Record<string, unknown>,
    path: string,
    now: number,
  ): void {
    const { id, partition = 'Default', createdAt, updatedAt, ...values } = lead;
    if (id !== undefined && (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0)) {
      fail(`${path}.id`, 'must be a positive integer');
    }
    if (typeof partition !== 'string') fail(`${path}.partition`, 'must be a partition name');
    const partitionId = partitionIds.get((partition as string).toLowerCase());
    if (partitionId === undefined) fail(`${path}.partition`, `no partition named "${String(partition)}"`);
    const time = (value: unknown, key: string): number => {
      if (value === undefined) return now;
      const ms = typeof value === 'string' ? Date.parse(value) : NaN;
      if (Number.isNaN(ms)) fail(`${path}.${key}`, 'must be an ISO 8601 date-time');
      return ms;
    };
    const fields: Record<string, LeadValue> = {};
    let email: string | null = null;
    for (const [key, raw] of Object.entries(values)) {
      const field = catalog.find(key);
      if (!field) fail(`${path}.${key}`, 'no such lead field (declare custom ones under leadFields)');
      if (field!.readOnly) fail(`${path}.${key}`, 'is read only');
      const coerced = coerceFieldValue(field!, raw);
      if (!coerced.ok) fail(`${path}.${key}`, `invalid ${field!.dataType} value ${JSON.stringify(raw)}`);
      if (field!.name === 'email') email = coerced.ok ? (coerced.value as string | null) : null;
      else if (coerced.ok && coerced.value !== null) fields[field!.name] = coerced.value;
    }
    const created = time(createdAt, 'createdAt');
    this.insertUnique(
      this.statements.insertLead,
      path,
      (id as number | undefined) ?? null,
      partitionId,
      email,
      JSON.stringify(fields),
      created,
      updatedAt === undefined ? created : time(updatedAt, 'updatedAt'),
    );
  }

  /** Runs an insert, turning a UNIQUE/PRIMARY KEY clash into a SeedError at `path`. */
  private insertUnique(statement: PreparedStatement, path: string, ...params: unknown[]): number {
    try {
      const row = statement.reader ? (statement.get(...params) as { id: number }) : undefined;
      if (!statement.reader) statement.run(...params);
      return row?.id ?? 0;
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      if (code.startsWith('SQLITE_CONSTRAINT'))
        fail(path, 'duplicates an id, name, email or client id defined before it');
      throw error;
    }
  }
}
