/**
 * The subscription's entities and its well-known ids, as every layer sees them. `domain/` and `storage/` both import
 * this module; it imports nothing.
 */

/** Workspace 1 "Default" exists in every subscription and cannot be deleted (marketo-reference.md §4.3). */
export const DEFAULT_WORKSPACE_ID = 1;
/** Marketo's "AllZones": a role granted in workspace 0 applies in every workspace. */
export const ALL_WORKSPACES_ID = 0;
/** Partition 1 "Default" exists in every subscription and cannot be deleted. */
export const DEFAULT_PARTITION_ID = 1;
/** The built-in roles (marketo-reference.md §5): 1 Admin, 2 Standard User; custom roles are numbered from 101. */
export const ADMIN_ROLE_ID = 1;
export const STANDARD_USER_ROLE_ID = 2;
export const LAST_SYSTEM_ROLE_ID = 100;
/** Marketo's system roles 24 and 25 (user-management.md, "Browse Roles"), besides Admin and Standard User. */
export const RTP_LAUNCHER_ROLE_ID = 24;
export const RTP_EDITOR_ROLE_ID = 25;
/** "A pending invitation expires seven days after it is sent" (user-management.md). */
export const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
/** Who the admin plane records as the author of changes. */
export const ADMIN_ACTOR = 'fake-marketo-admin';

export const DEFAULT_WORKSPACE_DESCRIPTION = 'Initial workspace for Marketing Activities, Design Studio, and so on.';
export const DEFAULT_PARTITION_DESCRIPTION = 'Initial system lead partition';

export interface Workspace {
  id: number;
  name: string;
  description: string;
  partitionIds: number[];
}

export interface Partition {
  id: number;
  name: string;
  description: string;
}

export interface RoleGrant {
  roleId: number;
  workspaceId: number;
}

/** An invitation not yet accepted; after its `expiresAt` it can no longer be (status `expired`). */
export interface Invitation {
  status: 'pending' | 'expired';
  sentAt: string;
  expiresAt: string;
}

export interface User {
  id: number;
  email: string;
  firstName: string;
  lastName: string;
  apiOnly: boolean;
  roles: RoleGrant[];
  createdAt: string;
  updatedAt: string;
  /** The login id, where one was given (an invitation, a seed); absent: the email is the login id. */
  userid?: string;
  /** When the user's login expires; absent: never. */
  expiresAt?: string;
  /** While the user has not accepted the invitation (a pending user, who cannot be edited). */
  invitation?: Invitation;
}

/** A LaunchPoint custom service. */
export interface Service {
  id: number;
  name: string;
  description: string;
  service: 'Custom';
  apiOnlyUserId: number;
  clientId: string;
  clientSecret: string;
  createdAt: string;
}

export interface AccessToken {
  token: string;
  serviceId: number;
  issuedAt: number;
  expiresAt: number;
}

export type LeadValue = string | number | boolean | null;

export interface Lead {
  id: number;
  partitionId: number;
  email: string | null;
  /** Every other field by REST API name; absent means null. */
  fields: Record<string, LeadValue>;
  createdAt: number;
  updatedAt: number;
}
