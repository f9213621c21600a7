import type { Clock } from '../clock.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../domain/errors.js';
import { ADMIN_ACTOR } from '../domain/model.js';
import { isPermissionKey } from '../domain/permissions.js';
import { type Database, prepareOnUse } from './database.js';
import { isUniqueViolation } from './sqlite-errors.js';

export type RoleType = 'user-defined' | 'system-defined';

/** Wire shape of Adobe's access-control Roles endpoint; permissionSets hold our permission keys. */
export interface Role {
  id: number;
  name: string;
  description: string;
  roleType: RoleType;
  permissionSets: string[];
  sandboxes: string[];
  subjectAttributes: { labels: string[] };
  createdBy: string;
  createdAt: number;
  modifiedBy: string;
  modifiedAt: number;
  etag: string;
}

export interface RoleInput {
  name: string;
  description?: string;
  roleType?: RoleType;
  permissionSets?: string[];
}

interface RoleRow {
  id: number;
  name: string;
  description: string;
  role_type: RoleType;
  created_by: string;
  created_at: number;
  modified_by: string;
  modified_at: number;
  version: number;
  permission_keys: string | null;
}

const SELECT_ROLE = `SELECT r.*, (SELECT group_concat(permission_key) FROM
  (SELECT permission_key FROM role_permissions WHERE role_id = r.id ORDER BY permission_key)) AS permission_keys
  FROM roles r`;

function toRole(row: RoleRow): Role {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    roleType: row.role_type,
    permissionSets: row.permission_keys ? row.permission_keys.split(',') : [],
    sandboxes: [],
    subjectAttributes: { labels: [] },
    createdBy: row.created_by,
    createdAt: row.created_at,
    modifiedBy: row.modified_by,
    modifiedAt: row.modified_at,
    etag: String(row.version),
  };
}

export function checkPermissionKeys(keys: string[], path = 'permissionSets'): void {
  const unknown = keys.map((key, index) => ({ key, index })).filter(({ key }) => !isPermissionKey(key));
  if (unknown.length > 0) {
    throw new InvalidInputError(
      'Unknown permission key(s); GET /admin/permissions lists them',
      unknown.map(({ key, index }) => ({ path: `${path}[${index}]`, message: `unknown permission "${key}"` })),
    );
  }
}

export class RoleRepository {
  private readonly selectAll;
  private readonly selectPage;
  private readonly selectCount;
  private readonly selectById;
  private readonly insert;
  private readonly updateRow;
  private readonly touchRow;
  private readonly deleteRow;
  private readonly addPermission;
  private readonly clearPermissions;
  private readonly removePermission;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {
    this.selectAll = prepareOnUse<[], RoleRow>(db, `${SELECT_ROLE} ORDER BY r.id`);
    this.selectPage = prepareOnUse<[number, number], RoleRow>(db, `${SELECT_ROLE} ORDER BY r.id LIMIT ? OFFSET ?`);
    this.selectCount = prepareOnUse<[], { n: number }>(db, 'SELECT count(*) AS n FROM roles');
    this.selectById = prepareOnUse<[number], RoleRow>(db, `${SELECT_ROLE} WHERE r.id = ?`);
    this.insert = prepareOnUse<[string, string, RoleType, string, number, string, number], { id: number }>(
      db,
      `INSERT INTO roles (name, description, role_type, created_by, created_at, modified_by, modified_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    );
    this.updateRow = prepareOnUse<[string, string, RoleType, string, number, number]>(
      db,
      `UPDATE roles SET name = ?, description = ?, role_type = ?, modified_by = ?, modified_at = ? WHERE id = ?`,
    );
    this.touchRow = prepareOnUse<[string, number, number]>(
      db,
      'UPDATE roles SET modified_by = ?, modified_at = ?, version = version + 1 WHERE id = ?',
    );
    this.deleteRow = prepareOnUse<[number]>(db, 'DELETE FROM roles WHERE id = ?');
    this.addPermission = prepareOnUse<[number, string]>(
      db,
      'INSERT OR IGNORE INTO role_permissions (role_id, permission_key) VALUES (?, ?)',
    );
    this.clearPermissions = prepareOnUse<[number]>(db, 'DELETE FROM role_permissions WHERE role_id = ?');
    this.removePermission = prepareOnUse<[number, string]>(
      db,
      'DELETE FROM role_permissions WHERE role_id = ? AND permission_key = ?',
    );
  }

  list(page: { limit: number; start: number }): { roles: Role[]; total: number } {
    return {
      roles: this.selectPage.all(page.limit, page.start).map(toRole),
      total: this.selectCount.get()!.n,
    };
  }

  /** Every role, by id. */
  all(): Role[] {
    return this.selectAll.all().map(toRole);
  }

  find(id: number): Role | undefined {
    const row = this.selectById.get(id);
    return row && toRole(row);
  }

  get(id: number): Role {
    const role = this.find(id);
    if (!role) throw new NotFoundError('Role', id);
    return role;
  }

  create(input: RoleInput): Role {
    if (input.roleType === 'system-defined') {
      throw new InvalidInputError('Only user-defined roles can be created', [
        { path: 'roleType', message: 'system-defined roles are built in' },
      ]);
    }
    const permissionSets = input.permissionSets ?? [];
    checkPermissionKeys(permissionSets);
    return this.db.transaction(() => {
      const now = this.clock.now();
      let id: number;
      try {
        id = this.insert.get(
          input.name,
          input.description ?? '',
          'user-defined',
          ADMIN_ACTOR,
          now,
          ADMIN_ACTOR,
          now,
        )!.id;
      } catch (error) {
        if (isUniqueViolation(error)) throw new ConflictError(`A role named "${input.name}" already exists`);
        throw error;
      }
      for (const key of permissionSets) this.addPermission.run(id, key);
      return this.get(id);
    })();
  }

  /** PUT: replaces name, description and roleType; the permission sets stay. */
  replace(id: number, input: { name: string; description?: string; roleType: RoleType }): Role {
    this.getChangeable(id);
    if (input.roleType === 'system-defined') {
      throw new InvalidInputError('A role cannot be made system-defined', [
        { path: 'roleType', message: 'system-defined roles are built in' },
      ]);
    }
    return this.db.transaction(() => {
      this.writeAttributes(id, input.name, input.description ?? '');
      this.revise(id);
      return this.get(id);
    })();
  }

  /** One request, one revision: moves the etag (and modifiedAt) once, whatever the request changed. */
  revise(id: number): void {
    this.touchRow.run(ADMIN_ACTOR, this.clock.now(), id);
  }

  /**
   * Applies a set of attribute changes (one PATCH operation); callers wrap the request in their transaction and
   * call `revise` once at its end.
   */
  applyChanges(
    id: number,
    changes: {
      name?: string;
      description?: string;
      addPermissions?: string[];
      removePermissions?: string[];
      replacePermissions?: string[];
    },
    valuePath = 'value',
  ): void {
    const role = this.getChangeable(id);
    if (changes.name !== undefined || changes.description !== undefined) {
      this.writeAttributes(id, changes.name ?? role.name, changes.description ?? role.description);
    }
    if (changes.replacePermissions) {
      checkPermissionKeys(changes.replacePermissions, valuePath);
      this.clearPermissions.run(id);
      for (const key of changes.replacePermissions) this.addPermission.run(id, key);
    }
    if (changes.addPermissions) {
      checkPermissionKeys(changes.addPermissions, valuePath);
      for (const key of changes.addPermissions) this.addPermission.run(id, key);
    }
    if (changes.removePermissions) {
      for (const key of changes.removePermissions) this.removePermission.run(id, key);
    }
  }

  delete(id: number, subjectCount: number): void {
    this.getChangeable(id);
    if (subjectCount > 0) {
      throw new ConflictError(`Role ${id} is granted to ${subjectCount} user(s); remove its subjects first`);
    }
    this.deleteRow.run(id);
  }

  /** The role, if it may be changed: system-defined roles are read-only. */
  getChangeable(id: number): Role {
    const role = this.get(id);
    if (role.roleType === 'system-defined') {
      throw new ConflictError(`Role ${id} ("${role.name}") is system-defined and cannot be changed or deleted`);
    }
    return role;
  }

  private writeAttributes(id: number, name: string, description: string): void {
    try {
      this.updateRow.run(name, description, 'user-defined', ADMIN_ACTOR, this.clock.now(), id);
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError(`A role named "${name}" already exists`);
      throw error;
    }
  }
}
