import type { Clock } from '../../clock.js';
import { formatUserManagementDatetime } from '../../domain/datetime.js';
import { ConflictError, InvalidInputError, MarketoError, NotFoundError } from '../../domain/errors.js';
import { DETAIL_MESSAGES, formatMessage } from '../../domain/marketo-codes.js';
import { ADMIN_ROLE_ID, ALL_WORKSPACES_ID, type RoleGrant, type User } from '../../domain/model.js';
import type { CoreRepositories } from '../../family.js';
import { loginIdOf } from '../../storage/users.js';

/**
 * The User Management API's view of the core's users, roles and workspaces (issue 30): the same rows the admin plane
 * changes, read and written through the core's repositories, in Marketo's record shapes (user-management.md,
 * swagger-user.json). It owns no table. Failures are MarketoErrors the User Management wire format answers with an
 * HTTP status: 610 → 404, 709 → 409, 1003 → 400 (src/http/wire-formats.ts).
 */

/** Marketo's name for workspace 0 in role grants (user-management.md). */
export const ALL_ZONES_NAME = 'AllZones';

/**
 * `subscriptionId` of an invited user: the spec types it a string, Adobe's example shows 3381. The fake serves one
 * subscription. Decision (README "Decisions").
 */
export const SUBSCRIPTION_ID = '1';

/** What a user who has accepted their invitation looks like (ResponseOfUser). */
export interface UserRecord {
  userid: string;
  firstName: string;
  lastName: string;
  emailAddress: string;
  optedIn: boolean;
  failedLogins: number;
  failedDeviceCode: number;
  isLocked: boolean;
  lockedReason: string | null;
  id: number;
  apiOnly: boolean;
  userRoleWorkspaces: UserRoleWorkspace[];
  expiresAt: string | null;
  lastLoginAt: string | null;
}

export interface UserRoleWorkspace {
  accessRoleId: number;
  accessRoleName: string;
  workspaceId: number;
  workspaceName: string;
}

export interface GrantInput {
  accessRoleId: number;
  workspaceId: number;
}

export interface InviteInput {
  emailAddress: string;
  firstName: string;
  lastName: string;
  userid?: string | undefined;
  apiOnly?: boolean | undefined;
  expiresAt?: number | undefined;
  userRoleWorkspaces: GrantInput[];
}

export interface UpdateInput {
  emailAddress?: string | undefined;
  firstName?: string | undefined;
  lastName?: string | undefined;
  apiOnly?: boolean | undefined;
  /** null: the login never expires. */
  expiresAt?: number | null | undefined;
}

const notFound = (message: string) => new MarketoError('610', message);
const invalid = (message: string) => new MarketoError('1003', message);
const conflict = (message: string) => new MarketoError('709', message);

/** A core refusal in this API's terms: 404, 400 or 409 with the core's words. */
function translated<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof NotFoundError) throw notFound(error.message);
    if (error instanceof ConflictError) throw conflict(error.message);
    if (error instanceof InvalidInputError) {
      const details = error.fields.map((field) => field.message).join('; ');
      throw invalid(details ? `${error.message}: ${details}` : error.message);
    }
    throw error;
  }
}

const sameGrant = (a: RoleGrant, b: RoleGrant) => a.roleId === b.roleId && a.workspaceId === b.workspaceId;

export class UserManagementRepository {
  constructor(
    private readonly core: Pick<CoreRepositories, 'users' | 'roles' | 'workspaces'>,
    private readonly clock: Clock,
  ) {}

  /** Get Users: those who have accepted their invitation, by id (a pending user is read with invitedUser). */
  users(pageOffset: number, pageSize: number) {
    return this.core.users.acceptedPage(pageOffset, pageSize).map((user) => ({
      userid: loginIdOf(user),
      firstName: user.firstName,
      lastName: user.lastName,
      emailAddress: user.email,
      id: user.id,
      apiOnly: user.apiOnly,
    }));
  }

  /** Get User by Id: "a single user record for a user that has accepted their invitation". */
  user(userid: string): UserRecord {
    return this.userRecord(this.accepted(userid));
  }

  /** Get Invited User by Id: a pending user. An expired invitation is still pending, its expiresAt past. */
  invitedUser(userid: string) {
    const user = this.pending(userid);
    const invitation = user.invitation!;
    return {
      id: user.id,
      firstName: user.firstName,
      lastName: user.lastName,
      emailAddress: user.email,
      userid: loginIdOf(user),
      // Adobe's example names it userId; the spec userid. Both are sent (README "Decisions").
      userId: loginIdOf(user),
      subscriptionId: SUBSCRIPTION_ID,
      status: 'pending' as const,
      expiresAt: this.datetime(invitation.expiresAt),
      createdAt: this.datetime(invitation.sentAt),
      updatedAt: this.datetime(user.updatedAt),
    };
  }

  invite(input: InviteInput): void {
    const roles = this.grants(input.userRoleWorkspaces);
    try {
      this.core.users.invite({
        email: input.emailAddress,
        ...(input.userid !== undefined ? { userid: input.userid } : {}),
        firstName: input.firstName,
        lastName: input.lastName,
        apiOnly: input.apiOnly ?? false,
        roles,
        ...(input.expiresAt !== undefined ? { expiresAt: input.expiresAt } : {}),
      });
    } catch (error) {
      // The only conflict an invitation meets: its email or userid is another user's.
      if (error instanceof ConflictError) {
        throw conflict(
          formatMessage(DETAIL_MESSAGES.userExists, input.emailAddress, input.userid ?? input.emailAddress),
        );
      }
      throw error;
    }
  }

  /** Update User Attributes; a pending user cannot be edited (user-management.md), so it is not found here. */
  update(userid: string, input: UpdateInput): UserRecord {
    const user = this.accepted(userid);
    const updated = translated(() =>
      this.core.users.update(user.id, {
        ...(input.emailAddress !== undefined ? { email: input.emailAddress } : {}),
        ...(input.firstName !== undefined ? { firstName: input.firstName } : {}),
        ...(input.lastName !== undefined ? { lastName: input.lastName } : {}),
        ...(input.apiOnly !== undefined ? { apiOnly: input.apiOnly } : {}),
        ...(input.expiresAt !== undefined ? { expiresAt: input.expiresAt } : {}),
      }),
    );
    return this.userRecord(updated);
  }

  /** Delete User: refused (409) while the user owns LaunchPoint services, as the admin plane refuses it. */
  delete(userid: string): void {
    const user = this.accepted(userid);
    translated(() => this.core.users.delete(user.id));
  }

  /** Delete Invited User: a pending user (its invitation expired or not). */
  deleteInvitation(userid: string): void {
    const user = this.pending(userid);
    translated(() => this.core.users.delete(user.id));
  }

  /** Get Roles: Marketo's system roles (1, 2, 24, 25) and the custom ones (from 101). */
  roles() {
    return this.core.roles.all().map((role) => {
      // Only Admin is granted in all workspaces only (user-management.md, "Browse Roles": onlyAllZones).
      const onlyAllZones = role.id === ADMIN_ROLE_ID;
      return {
        id: role.id,
        name: role.name,
        description: role.description,
        type: role.roleType === 'system-defined' ? ('system' as const) : ('custom' as const),
        // The spec names the flags isHidden / isOnlyAllZones, Adobe's example hidden / onlyAllZones: both are sent.
        isHidden: false,
        isOnlyAllZones: onlyAllZones,
        hidden: false,
        onlyAllZones,
        createdAt: formatUserManagementDatetime(role.createdAt),
        updatedAt: formatUserManagementDatetime(role.modifiedAt),
      };
    });
  }

  /** Get Workspaces. The fake has no workspace currencies nor global visibility: 0, active, null. */
  workspaces() {
    return this.core.workspaces.list().map((workspace) => ({
      id: workspace.id,
      name: workspace.name,
      description: workspace.description,
      globalViz: 0,
      status: 'active',
      currencyInfo: null,
    }));
  }

  /** Get Roles and Workspaces by Id. */
  rolesOf(userid: string): UserRoleWorkspace[] {
    return this.roleWorkspaces(this.accepted(userid));
  }

  /** Add Roles: the user's whole list after; a grant the user holds already is kept once. */
  addRoles(userid: string, grants: GrantInput[]): UserRoleWorkspace[] {
    const user = this.accepted(userid);
    const added = this.grants(grants);
    const roles = [...user.roles, ...added.filter((grant) => !user.roles.some((held) => sameGrant(held, grant)))];
    return this.roleWorkspaces(translated(() => this.core.users.update(user.id, { roles })));
  }

  /**
   * Delete Roles: the user's remaining list. A grant the user does not hold is a 400 (nothing removed); taking every
   * role from an API-only user is refused, as on the admin plane.
   */
  removeRoles(userid: string, grants: GrantInput[]): UserRoleWorkspace[] {
    const user = this.accepted(userid);
    grants.forEach((grant, index) => {
      const asked = { roleId: grant.accessRoleId, workspaceId: grant.workspaceId };
      if (!user.roles.some((held) => sameGrant(held, asked))) {
        throw invalid(
          formatMessage(DETAIL_MESSAGES.grantNotHeld, userid, grant.accessRoleId, grant.workspaceId, index),
        );
      }
    });
    const roles = user.roles.filter(
      (held) =>
        !grants.some((grant) => sameGrant(held, { roleId: grant.accessRoleId, workspaceId: grant.workspaceId })),
    );
    return this.roleWorkspaces(translated(() => this.core.users.update(user.id, { roles })));
  }

  private find(userid: string): User {
    const user = this.core.users.findByLogin(userid);
    if (!user) throw notFound(formatMessage(DETAIL_MESSAGES.userNotFound, userid));
    return user;
  }

  /** A user who has accepted the invitation: the user endpoints act on those only. */
  private accepted(userid: string): User {
    const user = this.find(userid);
    if (user.invitation) throw notFound(formatMessage(DETAIL_MESSAGES.userPending, userid, userid));
    return user;
  }

  /** A pending user: the invitation endpoints act on those only. */
  private pending(userid: string): User {
    const user = this.find(userid);
    if (!user.invitation) throw notFound(formatMessage(DETAIL_MESSAGES.userNotPending, userid));
    return user;
  }

  /** Role grants as asked, checked: each role and workspace exists; Admin only in all workspaces (AllZones). */
  private grants(grants: GrantInput[]): RoleGrant[] {
    const workspaces = new Set(this.core.workspaces.list().map((workspace) => workspace.id));
    return grants.map((grant, index) => {
      const role = this.core.roles.find(grant.accessRoleId);
      if (!role) throw invalid(formatMessage(DETAIL_MESSAGES.roleNotFound, grant.accessRoleId, index));
      if (grant.workspaceId !== ALL_WORKSPACES_ID && !workspaces.has(grant.workspaceId)) {
        throw invalid(formatMessage(DETAIL_MESSAGES.workspaceNotFound, grant.workspaceId, index));
      }
      if (role.id === ADMIN_ROLE_ID && grant.workspaceId !== ALL_WORKSPACES_ID) {
        throw invalid(formatMessage(DETAIL_MESSAGES.onlyAllZones, role.name, index));
      }
      return { roleId: grant.accessRoleId, workspaceId: grant.workspaceId };
    });
  }

  private roleWorkspaces(user: User): UserRoleWorkspace[] {
    const roleNames = new Map(this.core.roles.all().map((role) => [role.id, role.name]));
    const workspaceNames = new Map(this.core.workspaces.list().map((workspace) => [workspace.id, workspace.name]));
    return user.roles.map((grant) => ({
      accessRoleId: grant.roleId,
      accessRoleName: roleNames.get(grant.roleId) ?? String(grant.roleId),
      workspaceId: grant.workspaceId,
      workspaceName:
        grant.workspaceId === ALL_WORKSPACES_ID
          ? ALL_ZONES_NAME
          : (workspaceNames.get(grant.workspaceId) ?? String(grant.workspaceId)),
    }));
  }

  private userRecord(user: User): UserRecord {
    const expiresAt = user.expiresAt === undefined ? undefined : Date.parse(user.expiresAt);
    // Marketo locks a login when it expires (managing-marketo-users.md); the fake has no other lock.
    const isLocked = expiresAt !== undefined && expiresAt <= this.clock.now();
    return {
      userid: loginIdOf(user),
      firstName: user.firstName,
      lastName: user.lastName,
      emailAddress: user.email,
      optedIn: false,
      failedLogins: 0,
      failedDeviceCode: 0,
      isLocked,
      lockedReason: isLocked ? 'The login expired' : null,
      id: user.id,
      apiOnly: user.apiOnly,
      userRoleWorkspaces: this.roleWorkspaces(user),
      expiresAt: expiresAt === undefined ? null : formatUserManagementDatetime(expiresAt),
      // The fake has no logins to the Marketo UI; an API-only user never logs in.
      lastLoginAt: null,
    };
  }

  private datetime(iso: string): string {
    return formatUserManagementDatetime(Date.parse(iso));
  }
}
