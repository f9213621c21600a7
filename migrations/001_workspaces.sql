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
