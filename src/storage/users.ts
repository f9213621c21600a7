import type { Clock } from '../clock.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../domain/errors.js';
import { type Database, prepareOnUse } from './database.js';
import { isUniqueViolation } from './sqlite-errors.js';
import { ALL_WORKSPACES_ID, type RoleGrant, type User } from '../domain/model.js';

export type { RoleGrant, User };

export interface UserInput {
  email: string;
  firstName?: string;
  lastName?: string;
  apiOnly: boolean;
  roles?: RoleGrant[];
}

export interface RoleSubject {
  roleId: number;
  subjectType: 'user';
  subjectId: number;
  workspaceId: number;
}

interface UserRow {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  api_only: 0 | 1;
  created_at: number;
  updated_at: number;
  grants: string | null;
}

const SELECT_USER = `SELECT u.*, (SELECT group_concat(role_id || ':' || workspace_id) FROM
  (SELECT role_id, workspace_id FROM user_roles WHERE user_id = u.id ORDER BY role_id, workspace_id)) AS grants
  FROM users u`;

function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    apiOnly: row.api_only === 1,
    roles: row.grants
      ? row.grants.split(',').map((pair) => {
          const [roleId, workspaceId] = pair.split(':').map(Number);
          return { roleId: roleId!, workspaceId: workspaceId! };
        })
      : [],
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

export class UserRepository {
  private readonly selectAll;
  private readonly selectById;
  private readonly insert;
  private readonly updateRow;
  private readonly deleteRow;
  private readonly insertGrant;
  private readonly deleteGrant;
  private readonly clearUserGrants;
  private readonly clearRoleGrants;
  private readonly selectRoleSubjects;
  private readonly roleExists;
  private readonly workspaceExists;
  private readonly servicesOwned;
  private readonly apiOnlyUsersWithoutRoles;
  private readonly selectPermissionsByWorkspace;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {
    this.selectAll = prepareOnUse<[], UserRow>(db, `${SELECT_USER} ORDER BY u.id`);
    this.selectById = prepareOnUse<[number], UserRow>(db, `${SELECT_USER} WHERE u.id = ?`);
    this.insert = prepareOnUse<[string, string, string, number, number, number], { id: number }>(
      db,
      `INSERT INTO users (email, first_name, last_name, api_only, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
    );
    this.updateRow = prepareOnUse<[string, string, string, number, number, number]>(
      db,
      'UPDATE users SET email = ?, first_name = ?, last_name = ?, api_only = ?, updated_at = ? WHERE id = ?',
    );
    this.deleteRow = prepareOnUse<[number]>(db, 'DELETE FROM users WHERE id = ?');
    this.insertGrant = prepareOnUse<[number, number, number]>(
      db,
      'INSERT OR IGNORE INTO user_roles (user_id, role_id, workspace_id) VALUES (?, ?, ?)',
    );
    this.deleteGrant = prepareOnUse<[number, number, number]>(
      db,
      'DELETE FROM user_roles WHERE user_id = ? AND role_id = ? AND workspace_id = ?',
    );
    this.clearUserGrants = prepareOnUse<[number]>(db, 'DELETE FROM user_roles WHERE user_id = ?');
    this.clearRoleGrants = prepareOnUse<[number]>(db, 'DELETE FROM user_roles WHERE role_id = ?');
    this.selectRoleSubjects = prepareOnUse<[number], { user_id: number; workspace_id: number }>(
      db,
      'SELECT user_id, workspace_id FROM user_roles WHERE role_id = ? ORDER BY user_id, workspace_id',
    );
    this.roleExists = prepareOnUse<[number], { id: number }>(db, 'SELECT id FROM roles WHERE id = ?');
    this.workspaceExists = prepareOnUse<[number], { id: number }>(db, 'SELECT id FROM workspaces WHERE id = ?');
    this.servicesOwned = prepareOnUse<[number], { n: number }>(
      db,
      'SELECT count(*) AS n FROM services WHERE api_only_user_id = ?',
    );
    this.apiOnlyUsersWithoutRoles = prepareOnUse<[], { id: number }>(
      db,
      `SELECT id FROM users u WHERE api_only = 1 AND NOT EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id)
       ORDER BY id`,
    );
    this.selectPermissionsByWorkspace = prepareOnUse<[number], { workspace_id: number; permission_key: string }>(
      db,
      `SELECT DISTINCT ur.workspace_id, rp.permission_key FROM user_roles ur
       JOIN role_permissions rp ON rp.role_id = ur.role_id WHERE ur.user_id = ?`,
    );
  }

  list(): User[] {
    return this.selectAll.all().map(toUser);
  }

  find(id: number): User | undefined {
    const row = this.selectById.get(id);
    return row && toUser(row);
  }

  get(id: number): User {
    const user = this.find(id);
    if (!user) throw new NotFoundError('User', id);
    return user;
  }

  create(input: UserInput): User {
    const roles = input.roles ?? [];
    if (input.apiOnly && roles.length === 0) {
      throw new InvalidInputError('An API-only user needs at least one role', [
        { path: 'roles', message: 'must hold at least one {roleId, workspaceId} for an API-only user' },
      ]);
    }
    return this.db.transaction(() => {
      this.checkGrants(roles, 'roles');
      const now = this.clock.now();
      let id: number;
      try {
        id = this.insert.get(
          input.email,
          input.firstName ?? '',
          input.lastName ?? '',
          input.apiOnly ? 1 : 0,
          now,
          now,
        )!.id;
      } catch (error) {
        if (isUniqueViolation(error)) throw new ConflictError(`A user with email "${input.email}" already exists`);
        throw error;
      }
      for (const grant of roles) this.insertGrant.run(id, grant.roleId, grant.workspaceId);
      return this.get(id);
    })();
  }

  update(id: number, patch: Partial<UserInput>): User {
    return this.db.transaction(() => {
      const current = this.get(id);
      const apiOnly = patch.apiOnly ?? current.apiOnly;
      if (!apiOnly && this.servicesOwned.get(id)!.n > 0) {
        throw new ConflictError(`User ${id} owns custom services; a standard user cannot own one`);
      }
      try {
        this.updateRow.run(
          patch.email ?? current.email,
          patch.firstName ?? current.firstName,
          patch.lastName ?? current.lastName,
          apiOnly ? 1 : 0,
          this.clock.now(),
          id,
        );
      } catch (error) {
        if (isUniqueViolation(error)) throw new ConflictError(`A user with email "${patch.email}" already exists`);
        throw error;
      }
      if (patch.roles) {
        this.checkGrants(patch.roles, 'roles');
        this.clearUserGrants.run(id);
        for (const grant of patch.roles) this.insertGrant.run(id, grant.roleId, grant.workspaceId);
      }
      if (apiOnly && this.get(id).roles.length === 0) {
        throw new InvalidInputError('An API-only user needs at least one role', [
          { path: 'roles', message: 'must hold at least one {roleId, workspaceId} for an API-only user' },
        ]);
      }
      return this.get(id);
    })();
  }

  delete(id: number): void {
    this.get(id);
    const owned = this.servicesOwned.get(id)!.n;
    if (owned > 0) throw new ConflictError(`User ${id} owns ${owned} custom service(s); delete them first`);
    this.deleteRow.run(id);
  }

  subjectsOf(roleId: number): RoleSubject[] {
    return this.selectRoleSubjects.all(roleId).map((row) => ({
      roleId,
      subjectType: 'user',
      subjectId: row.user_id,
      workspaceId: row.workspace_id,
    }));
  }

  /** Grants a role to users (role PATCH on /subjects); callers run it inside their transaction. */
  addSubjects(roleId: number, subjects: { subjectId: number; workspaceId: number }[], path: string): void {
    this.checkSubjects(subjects, path);
    this.checkGrants(
      subjects.map((subject) => ({ roleId, workspaceId: subject.workspaceId })),
      path,
    );
    for (const subject of subjects) this.insertGrant.run(subject.subjectId, roleId, subject.workspaceId);
  }

  /** Takes a role away from the given users, or from everyone when `subjects` is undefined. */
  removeSubjects(roleId: number, subjects: { subjectId: number; workspaceId?: number }[] | undefined): void {
    if (subjects === undefined) {
      this.clearRoleGrants.run(roleId);
      return;
    }
    for (const subject of subjects) {
      const workspaces =
        subject.workspaceId === undefined
          ? this.subjectsOf(roleId)
              .filter((existing) => existing.subjectId === subject.subjectId)
              .map((existing) => existing.workspaceId)
          : [subject.workspaceId];
      for (const workspaceId of workspaces) this.deleteGrant.run(subject.subjectId, roleId, workspaceId);
    }
  }

  /** Refuses a change that leaves an API-only user with no role; run last inside the transaction. */
  assertApiOnlyUsersKeepARole(): void {
    const stranded = this.apiOnlyUsersWithoutRoles.all().map((row) => row.id);
    if (stranded.length > 0) {
      throw new ConflictError(
        `API-only user(s) ${stranded.join(', ')} would be left without a role; an API-only user needs at least one`,
      );
    }
  }

  /** Permission keys held per workspace (0 = every workspace), for access evaluation. */
  permissionsByWorkspace(userId: number): Map<number, Set<string>> {
    const byWorkspace = new Map<number, Set<string>>();
    for (const row of this.selectPermissionsByWorkspace.all(userId)) {
      let keys = byWorkspace.get(row.workspace_id);
      if (!keys) byWorkspace.set(row.workspace_id, (keys = new Set()));
      keys.add(row.permission_key);
    }
    return byWorkspace;
  }

  private checkSubjects(subjects: { subjectId: number }[], path: string): void {
    const problems = subjects
      .map((subject, index) => ({ subject, index }))
      .filter(({ subject }) => !this.selectById.get(subject.subjectId))
      .map(({ subject, index }) => ({
        path: `${path}[${index}].subjectId`,
        message: `user ${subject.subjectId} does not exist`,
      }));
    if (problems.length > 0) throw new InvalidInputError('Unknown user(s)', problems);
  }

  private checkGrants(grants: RoleGrant[], path: string): void {
    const problems = grants.flatMap((grant, index) => {
      const found = [];
      if (!this.roleExists.get(grant.roleId)) {
        found.push({ path: `${path}[${index}].roleId`, message: `role ${grant.roleId} does not exist` });
      }
      if (grant.workspaceId !== ALL_WORKSPACES_ID && !this.workspaceExists.get(grant.workspaceId)) {
        found.push({
          path: `${path}[${index}].workspaceId`,
          message: `workspace ${grant.workspaceId} does not exist (0 means all workspaces)`,
        });
      }
      return found;
    });
    if (problems.length > 0) throw new InvalidInputError('Unknown role or workspace in the role grants', problems);
  }
}
