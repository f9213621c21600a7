import type { Migration } from '../../storage/migrations.js';
import { APPROVAL_MIGRATION } from '../../engines/assets/version-store.js';

/** The assets family's tables: folders, programs, channels, tags and tokens. */
export const migrations: readonly Migration[] = [
  {
    name: '007_assets.sql',
    sql: `
-- Assets that live in workspaces (issue 14): folders, programs, their My Tokens, and the read-only catalogs
-- (channels, tag types). Each workspace has two root folders (parent_id NULL, folder_type 'Zone'), one per tree,
-- made and removed with the workspace; user folders and programs hang below them.
CREATE TABLE asset_folders (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  workspace_id INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE RESTRICT,
  -- The API refuses to delete a folder that is not empty (709); CASCADE only keeps a hand-made delete consistent.
  parent_id INTEGER REFERENCES asset_folders (id) ON DELETE CASCADE,
  tree TEXT NOT NULL CHECK (tree IN ('Marketing Activities', 'Design Studio')),
  name TEXT NOT NULL COLLATE NOCASE,
  description TEXT,
  folder_type TEXT NOT NULL,
  is_system INTEGER NOT NULL DEFAULT 0,
  is_archive INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE UNIQUE INDEX asset_folders_root ON asset_folders (workspace_id, tree) WHERE parent_id IS NULL;
CREATE UNIQUE INDEX asset_folders_by_parent ON asset_folders (parent_id, name) WHERE parent_id IS NOT NULL;
CREATE INDEX asset_folders_by_workspace ON asset_folders (workspace_id, id);

CREATE TABLE asset_programs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  folder_id INTEGER NOT NULL REFERENCES asset_folders (id) ON DELETE CASCADE,
  -- The folder's workspace, kept beside it so that browse filters by an index and a workspace delete is guarded.
  workspace_id INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE RESTRICT,
  name TEXT NOT NULL COLLATE NOCASE UNIQUE,
  description TEXT NOT NULL DEFAULT '',
  type TEXT NOT NULL,
  channel TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT '',
  tags TEXT NOT NULL DEFAULT '[]',
  costs TEXT NOT NULL DEFAULT '[]',
  start_date TEXT,
  end_date TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE INDEX asset_programs_by_workspace ON asset_programs (workspace_id, id);
CREATE INDEX asset_programs_by_folder ON asset_programs (folder_id, id);

-- My Tokens, on a folder or on a program (exactly one of the two).
CREATE TABLE asset_tokens (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  folder_id INTEGER REFERENCES asset_folders (id) ON DELETE CASCADE,
  program_id INTEGER REFERENCES asset_programs (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  value TEXT NOT NULL,
  CHECK ((folder_id IS NULL) <> (program_id IS NULL))
);

CREATE UNIQUE INDEX asset_tokens_on_folder ON asset_tokens (folder_id, name) WHERE folder_id IS NOT NULL;
CREATE UNIQUE INDEX asset_tokens_on_program ON asset_tokens (program_id, name) WHERE program_id IS NOT NULL;

CREATE TABLE asset_channels (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL COLLATE NOCASE UNIQUE,
  applicable_program_type TEXT NOT NULL,
  progression_statuses TEXT NOT NULL DEFAULT '[]',
  built_in INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE asset_tag_types (
  name TEXT PRIMARY KEY COLLATE NOCASE,
  applicable_program_types TEXT NOT NULL,
  required INTEGER NOT NULL DEFAULT 0,
  allowable_values TEXT NOT NULL DEFAULT '[]'
) WITHOUT ROWID;
`,
  },
  {
    name: 'assets/002_tree_roots',
    sql: `
-- folders.md: "Marketing Activities and Design Studio are root folders"; its browse shows /Marketing Activities
-- (parent null) with the workspace's zone /Marketing Activities/Default below it. Each tree gets one root folder
-- (in the Default workspace, visible to every caller with an asset permission); the zones move below it. A database
-- without zones yet (a new one) gets its roots from the family's built-in rows.
DROP INDEX asset_folders_root;
DROP INDEX asset_folders_by_parent;

INSERT INTO asset_folders
  (workspace_id, parent_id, tree, name, description, folder_type, is_system, created_at, updated_at)
SELECT 1, NULL, t.value, t.value, 'Root node for the ' || t.value || ' app area', 'TreeRoot', 1,
       (SELECT min(created_at) FROM asset_folders), (SELECT min(created_at) FROM asset_folders)
FROM json_each('["Marketing Activities","Design Studio"]') t
WHERE EXISTS (SELECT 1 FROM asset_folders)
ORDER BY t.key;

UPDATE asset_folders
SET parent_id = (SELECT r.id FROM asset_folders r WHERE r.folder_type = 'TreeRoot' AND r.tree = asset_folders.tree)
WHERE parent_id IS NULL AND folder_type = 'Zone';

UPDATE asset_folders SET folder_type = 'Zone' WHERE folder_type = 'TreeRoot';

-- A tree root: parent_id NULL. A workspace's zone: a Zone folder below it. Zones show their workspace's name, so
-- the per-parent name rule leaves them out.
CREATE UNIQUE INDEX asset_folders_tree_root ON asset_folders (tree) WHERE parent_id IS NULL;
CREATE UNIQUE INDEX asset_folders_zone ON asset_folders (workspace_id, tree)
  WHERE parent_id IS NOT NULL AND folder_type = 'Zone';
CREATE UNIQUE INDEX asset_folders_by_parent ON asset_folders (parent_id, name)
  WHERE parent_id IS NOT NULL AND folder_type <> 'Zone';
`,
  },
  APPROVAL_MIGRATION,
];
