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
