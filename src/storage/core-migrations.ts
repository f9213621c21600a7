import type { Migration } from './migrations.js';

/** The core's tables: workspaces, partitions, roles, users and their grants, services and tokens, the families' jobs. */
export const CORE_MIGRATIONS: readonly Migration[] = [
  {
    name: '001_workspaces.sql',
    sql: `
-- Workspaces and lead partitions. Workspace id 0 is reserved for "AllZones" in role grants.
CREATE TABLE workspaces (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL COLLATE NOCASE UNIQUE,
  description TEXT NOT NULL DEFAULT ''
);

CREATE TABLE partitions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL COLLATE NOCASE UNIQUE,
  description TEXT NOT NULL DEFAULT ''
);

CREATE TABLE workspace_partitions (
  workspace_id INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  partition_id INTEGER NOT NULL REFERENCES partitions (id) ON DELETE CASCADE,
  PRIMARY KEY (workspace_id, partition_id)
) WITHOUT ROWID;

CREATE INDEX workspace_partitions_by_partition ON workspace_partitions (partition_id, workspace_id);

-- Every Marketo subscription has these (marketo-reference.md §4.3).
INSERT INTO workspaces (id, name, description)
VALUES (1, 'Default', 'Initial workspace for Marketing Activities, Design Studio, and so on.');
INSERT INTO partitions (id, name, description) VALUES (1, 'Default', 'Initial system lead partition');
INSERT INTO workspace_partitions (workspace_id, partition_id) VALUES (1, 1);
`,
  },
  {
    name: '002_roles.sql',
    sql: `
-- Roles and the permission keys they hold. System-defined rows are provisioned at start from the catalog.
CREATE TABLE roles (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL COLLATE NOCASE UNIQUE,
  description TEXT NOT NULL DEFAULT '',
  role_type TEXT NOT NULL CHECK (role_type IN ('user-defined', 'system-defined')),
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  modified_by TEXT NOT NULL,
  modified_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE role_permissions (
  role_id INTEGER NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
  permission_key TEXT NOT NULL,
  PRIMARY KEY (role_id, permission_key)
) WITHOUT ROWID;

-- Marketo numbers custom roles from 101 (system roles 1 Admin, 2 Standard User, 24/25 RTP).
INSERT INTO sqlite_sequence (name, seq) VALUES ('roles', 100);
`,
  },
  {
    name: '003_users.sql',
    sql: `
-- Users and their role grants; a grant is always in a workspace, 0 meaning all workspaces (AllZones).
CREATE TABLE users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  email TEXT NOT NULL COLLATE NOCASE UNIQUE,
  first_name TEXT NOT NULL DEFAULT '',
  last_name TEXT NOT NULL DEFAULT '',
  api_only INTEGER NOT NULL CHECK (api_only IN (0, 1)),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE user_roles (
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role_id INTEGER NOT NULL REFERENCES roles (id) ON DELETE RESTRICT,
  workspace_id INTEGER NOT NULL,
  PRIMARY KEY (user_id, role_id, workspace_id)
) WITHOUT ROWID;

CREATE INDEX user_roles_by_role ON user_roles (role_id, user_id);
CREATE INDEX user_roles_by_workspace ON user_roles (workspace_id);
`,
  },
  {
    name: '004_services.sql',
    sql: `
-- LaunchPoint custom services and the access tokens issued to them.
CREATE TABLE services (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL COLLATE NOCASE UNIQUE,
  description TEXT NOT NULL DEFAULT '',
  api_only_user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
  client_id TEXT NOT NULL UNIQUE,
  client_secret TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE INDEX services_by_user ON services (api_only_user_id);

CREATE TABLE access_tokens (
  token TEXT PRIMARY KEY,
  service_id INTEGER NOT NULL REFERENCES services (id) ON DELETE CASCADE,
  issued_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX access_tokens_by_service ON access_tokens (service_id, expires_at);
`,
  },
  {
    name: 'core/001_jobs',
    sql: `
-- Timed work of the families (src/engines/jobs): one row per job, owned by the core. A family keeps its own data in
-- its own tables, each row referencing jobs (id) (ON DELETE CASCADE, so a job removed takes its data with it).
-- due_at: when the job's next step falls due on the fake's clock (epoch ms); NULL when there is nothing more to do.
-- owner_user_id: the API user the job belongs to (Marketo: "Only the API user who created a Bulk Extract job can
-- access it"); NULL for the subscription's own work (a scheduled campaign run). Deleting the user deletes their jobs:
-- Adobe documents nothing, and a user who still owns a service cannot be deleted, so no client can reach them.
CREATE TABLE jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  family TEXT NOT NULL,
  kind TEXT NOT NULL,
  state TEXT NOT NULL,
  due_at INTEGER,
  payload TEXT NOT NULL DEFAULT '{}',
  owner_user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
  error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

-- The runner's one question: which job falls due first.
CREATE INDEX jobs_by_due_time ON jobs (due_at, id) WHERE due_at IS NOT NULL;
-- A family's listing: its jobs of one kind, one owner's, in id order.
CREATE INDEX jobs_by_kind ON jobs (family, kind, owner_user_id, id);
CREATE INDEX jobs_by_owner ON jobs (owner_user_id);
`,
  },
  {
    name: 'core/002_user_invitations',
    sql: `
-- What the User Management API knows of a user beyond the admin plane's (issue 30, user-management.md):
-- login_id: the login id ("userid"), when one was given (an invitation, a seed); NULL means the email;
-- invited_at: when the invitation was sent, while the user has not accepted it (a pending user); NULL once accepted;
-- expires_at: when the user's login expires (expiresAt); NULL means never.
ALTER TABLE users ADD COLUMN login_id TEXT COLLATE NOCASE;
ALTER TABLE users ADD COLUMN invited_at INTEGER;
ALTER TABLE users ADD COLUMN expires_at INTEGER;

-- A login id is one user's, whether given or taken from the email.
CREATE UNIQUE INDEX users_by_login ON users (coalesce(login_id, email) COLLATE NOCASE);
`,
  },
];
