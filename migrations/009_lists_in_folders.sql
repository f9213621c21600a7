-- A static list sits in a folder of the Marketing Activities tree or in a program (issue 15; Create Static List
-- takes `folder` {"id", "type": "Folder"|"Program"}). workspace_id stays beside it, as on asset_programs: the list's
-- workspace, for the visibility filter's index and the workspace delete guard.
-- A folder holding lists cannot be deleted (RESTRICT; the API answers 709); deleting a program deletes its lists.
ALTER TABLE static_lists ADD COLUMN folder_id INTEGER REFERENCES asset_folders (id) ON DELETE RESTRICT;
ALTER TABLE static_lists ADD COLUMN program_id INTEGER REFERENCES asset_programs (id) ON DELETE CASCADE;

-- Lists made before this migration go to their workspace's Marketing Activities root.
UPDATE static_lists SET folder_id = (
  SELECT f.id FROM asset_folders f
  WHERE f.workspace_id = static_lists.workspace_id AND f.parent_id IS NULL AND f.tree = 'Marketing Activities'
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
