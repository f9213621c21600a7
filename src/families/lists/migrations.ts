import type { Migration } from '../../storage/migrations.js';

/** The lists family's tables: static lists and their members. */
export const migrations: readonly Migration[] = [
  {
    name: '008_lists.sql',
    sql: `
-- Static lists (issue 15). A list lives in a folder, so in a workspace: who sees it is decided by workspace_id.
-- Memberships go with their list and with their lead (deleting a lead removes it from every list).
CREATE TABLE static_lists (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  workspace_id INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE RESTRICT,
  name TEXT NOT NULL COLLATE NOCASE,
  description TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE INDEX static_lists_by_workspace ON static_lists (workspace_id, id);
CREATE INDEX static_lists_by_name ON static_lists (name);

CREATE TABLE static_list_members (
  list_id INTEGER NOT NULL REFERENCES static_lists (id) ON DELETE CASCADE,
  lead_id INTEGER NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (list_id, lead_id)
) WITHOUT ROWID;

CREATE INDEX static_list_members_by_lead ON static_list_members (lead_id, list_id);
`,
  },
  {
    name: '009_lists_in_folders.sql',
    sql: `
-- A static list sits in a folder of the Marketing Activities tree or in a program (issue 15; Create Static List
-- takes 'folder' {"id", "type": "Folder"|"Program"}). workspace_id stays beside it, as on asset_programs: the list's
-- workspace, for the visibility filter's index and the workspace delete guard.
-- A folder holding lists cannot be deleted (RESTRICT; the API answers 709); deleting a program deletes its lists.
ALTER TABLE static_lists ADD COLUMN folder_id INTEGER REFERENCES asset_folders (id) ON DELETE RESTRICT;
ALTER TABLE static_lists ADD COLUMN program_id INTEGER REFERENCES asset_programs (id) ON DELETE CASCADE;

-- Lists made before this migration go to their workspace's Marketing Activities zone. (The assets family's
-- migrations run first: by now the zones sit below the tree roots, assets/002_tree_roots.)
UPDATE static_lists SET folder_id = (
  SELECT f.id FROM asset_folders f
  WHERE f.workspace_id = static_lists.workspace_id AND f.parent_id IS NOT NULL AND f.folder_type = 'Zone'
    AND f.tree = 'Marketing Activities'
);

CREATE INDEX static_lists_by_folder ON static_lists (folder_id) WHERE folder_id IS NOT NULL;
CREATE INDEX static_lists_by_program ON static_lists (program_id) WHERE program_id IS NOT NULL;

-- Exactly one of the two (a column added by ALTER TABLE cannot carry a CHECK naming another column).
CREATE TRIGGER static_lists_placed_on_insert BEFORE INSERT ON static_lists
WHEN (NEW.folder_id IS NULL) = (NEW.program_id IS NULL)
BEGIN
  SELECT RAISE(ABORT, 'a static list sits in exactly one folder or program');
END;

CREATE TRIGGER static_lists_placed_on_update BEFORE UPDATE OF folder_id, program_id ON static_lists
WHEN (NEW.folder_id IS NULL) = (NEW.program_id IS NULL)
BEGIN
  SELECT RAISE(ABORT, 'a static list sits in exactly one folder or program');
END;
`,
  },
];
