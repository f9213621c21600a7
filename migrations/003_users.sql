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
