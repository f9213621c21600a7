import type { Migration } from '../../storage/migrations.js';

export const migrations: readonly Migration[] = [
  {
    name: 'files/001_files',
    sql: `
CREATE TABLE files (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  -- One name per subscription (any case): the name is the file's public URL (README "Files").
  name TEXT NOT NULL COLLATE NOCASE UNIQUE,
  description TEXT NOT NULL DEFAULT '',
  -- A folder holding files cannot be deleted (the API answers 709); files go in Design Studio folders only.
  folder_id INTEGER NOT NULL REFERENCES asset_folders (id) ON DELETE RESTRICT,
  workspace_id INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE RESTRICT,
  mime_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  -- Last, so that a read of the other columns stops before the bytes.
  content BLOB NOT NULL
);
CREATE INDEX files_by_workspace ON files (workspace_id, id);
CREATE INDEX files_by_folder ON files (folder_id, id);`,
  },
];
