import type { Clock } from '../clock.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../domain/errors.js';
import { type Database, prepareOnUse } from './database.js';
import { isUniqueViolation } from './sqlite-errors.js';
import { ALL_WORKSPACES_ID, INVITATION_LIFETIME_MS, type RoleGrant, type User } from '../domain/model.js';

export type { RoleGrant, User };

export interface UserInput {
  email: string;
  firstName?: string;
  lastName?: string;
  apiOnly: boolean;
  roles?: RoleGrant[];
  /** When the login expires (epoch ms); null or absent: never. */
  expiresAt?: number | null;
}

/** An invitation (the User Management API's Invite User): a pending user until accepted. */
export interface InvitationInput {
  email: string;
  /** The login id; absent: the email. */
  userid?: string;
  firstName: string;
  lastName: string;
  apiOnly: boolean;
  roles: RoleGrant[];
  expiresAt?: number;
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
  login_id: string | null;
  invited_at: number | null;
  expires_at: number | null;
  grants: string | null;
}

const SELECT_USER = `SELECT u.*, (SELECT group_concat(role_id || ':' || workspace_id) FROM
  (SELECT role_id, workspace_id FROM user_roles WHERE user_id = u.id ORDER BY role_id, workspace_id)) AS grants
  FROM users u`;

const iso = (epochMs: number): string => new Date(epochMs).toISOString();

function toUser(row: UserRow, now: number): User {
  const user: User = {
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
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
  if (row.login_id !== null) user.userid = row.login_id;
  if (row.expires_at !== null) user.expiresAt = iso(row.expires_at);
  if (row.invited_at !== null) {
    const expiresAt = row.invited_at + INVITATION_LIFETIME_MS;
    user.invitation = {
      status: expiresAt <= now ? 'expired' : 'pending',
      sentAt: iso(row.invited_at),
      expiresAt: iso(expiresAt),
    };
  }
  return user;
}

/** The user's login id: the one given, else the email. */
export function loginIdOf(user: Pick<User, 'email' | 'userid'>): string {
  return user.userid ?? user.email;
}

export class UserRepository {
  private readonly selectAll;
  private readonly selectById;
  private readonly selectByLogin;
  private readonly selectAcceptedPage;
  private readonly insert;
  private readonly insertInvited;
  private readonly updateRow;
  private readonly acceptRow;
  private readonly deleteExpiredInvitations;
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
    this.selectByLogin = prepareOnUse<[string], UserRow>(
      db,
      `${SELECT_USER} WHERE coalesce(u.login_id, u.email) = ? COLLATE NOCASE`,
    );
    this.selectAcceptedPage = prepareOnUse<[number, number], UserRow>(
      db,
      `${SELECT_USER} WHERE u.invited_at IS NULL ORDER BY u.id LIMIT ? OFFSET ?`,
    );
    this.insert = prepareOnUse<[string, string, string, number, number | null, number, number], { id: number }>(
      db,
      `INSERT INTO users (email, first_name, last_name, api_only, expires_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    );
    this.insertInvited = prepareOnUse<
      [string, string, string, string, number, number | null, number, number, number],
      { id: number }
    >(
      db,
      `INSERT INTO users (email, login_id, first_name, last_name, api_only, expires_at, invited_at, created_at,
       updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    );
    this.updateRow = prepareOnUse<[string, string, string, number, number | null, number, number]>(
      db,
      `UPDATE users SET email = ?, first_name = ?, last_name = ?, api_only = ?, expires_at = ?, updated_at = ?
       WHERE id = ?`,
    );
    this.acceptRow = prepareOnUse<[number, number]>(
      db,
      'UPDATE users SET invited_at = NULL, updated_at = ? WHERE id = ?',
    );
    // An expired invitation gives way to a new one for the same email or login id (a second invitation).
    this.deleteExpiredInvitations = prepareOnUse<[number, string, string, string, string]>(
      db,
      `DELETE FROM users WHERE invited_at IS NOT NULL AND invited_at <= ?
       AND (email = ? COLLATE NOCASE OR coalesce(login_id, email) = ? COLLATE NOCASE
            OR email = ? COLLATE NOCASE OR coalesce(login_id, email) = ? COLLATE NOCASE)`,
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
    const now = this.clock.now();
    return this.selectAll.all().map((row) => toUser(row, now));
  }

  find(id: number): User | undefined {
    const row = this.selectById.get(id);
    return row && toUser(row, this.clock.now());
  }

  /** The user whose login id (the one given, else the email) is `userid`, without regard to case. */
  findByLogin(userid: string): User | undefined {
    const row = this.selectByLogin.get(userid);
    return row && toUser(row, this.clock.now());
  }

  /** A page of the users who have accepted their invitation (or were never invited), by id. */
  acceptedPage(offset: number, limit: number): User[] {
    const now = this.clock.now();
    return this.selectAcceptedPage.all(limit, offset).map((row) => toUser(row, now));
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
          input.expiresAt ?? null,
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

  /**
   * Invites a user (the User Management API's Invite User): a pending user, with its roles, until the invitation is
   * accepted (acceptInvitation) within INVITATION_LIFETIME_MS. An expired invitation for the same email or login id
   * gives way to this one.
   */
  invite(input: InvitationInput): User {
    return this.db.transaction(() => {
      this.checkGrants(input.roles, 'roles');
      const now = this.clock.now();
      const userid = input.userid ?? input.email;
      this.deleteExpiredInvitations.run(now - INVITATION_LIFETIME_MS, input.email, input.email, userid, userid);
      let id: number;
      try {
        id = this.insertInvited.get(
          input.email,
          userid,
          input.firstName,
          input.lastName,
          input.apiOnly ? 1 : 0,
          input.expiresAt ?? null,
          now,
          now,
          now,
        )!.id;
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new ConflictError(`A user with email or userid "${input.email}" or "${userid}" already exists`);
        }
        throw error;
      }
      for (const grant of input.roles) this.insertGrant.run(id, grant.roleId, grant.workspaceId);
      return this.get(id);
    })();
  }

  /** The invited user accepts (POST /admin/users/{id}/accept-invitation, or a seed): no longer pending. */
  acceptInvitation(id: number): User {
    return this.db.transaction(() => {
      const { invitation } = this.get(id);
      if (!invitation) throw new ConflictError(`User ${id} has no pending invitation: it was accepted already`);
      if (invitation.status === 'expired') {
        throw new ConflictError(
          `The invitation of user ${id} expired at ${invitation.expiresAt}; invite the user again`,
        );
      }
      this.acceptRow.run(this.clock.now(), id);
      return this.get(id);
    })();
  }

  update(id: number, patch: Partial<UserInput>): User {
    return this.db.transaction(() => {
      const current = this.get(id);
      // "Until the recipient accepts the invitation, its status is pending and the user record cannot be edited"
      // (user-management.md).
      if (current.invitation) {
        throw new ConflictError(`User ${id} has not accepted the invitation; a pending user cannot be edited`);
      }
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
          patch.expiresAt !== undefined ? patch.expiresAt : current.expiresAt ? Date.parse(current.expiresAt) : null,
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
