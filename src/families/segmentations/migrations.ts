import type { Migration } from '../../storage/migrations.js';

/** Segmentations and their segments (issue 28: what dynamic content varies by). */
export const migrations: readonly Migration[] = [
  {
    name: 'segmentations/001_segmentations',
    sql: `
CREATE TABLE segmentations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL COLLATE NOCASE UNIQUE,
  description TEXT NOT NULL DEFAULT '',
  folder_id INTEGER REFERENCES asset_folders (id) ON DELETE RESTRICT,
  program_id INTEGER REFERENCES asset_programs (id) ON DELETE CASCADE,
  workspace_id INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE RESTRICT,
  status TEXT NOT NULL DEFAULT 'approved' CHECK (status IN ('approved', 'draft')),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CHECK ((folder_id IS NULL) <> (program_id IS NULL))
);
CREATE INDEX segmentations_by_workspace ON segmentations (workspace_id, id);

-- In order; the Default segment (leads in none of the others) is last.
CREATE TABLE segments (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  segmentation_id INTEGER NOT NULL REFERENCES segmentations (id) ON DELETE CASCADE,
  name TEXT NOT NULL COLLATE NOCASE,
  position INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (segmentation_id, name)
);
CREATE INDEX segments_by_segmentation ON segments (segmentation_id, position);
`,
  },
];
