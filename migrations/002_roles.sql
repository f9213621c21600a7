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
