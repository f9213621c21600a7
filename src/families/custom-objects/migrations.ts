import type { Migration } from '../../storage/migrations.js';

/** Custom objects (issue 27): the subscription's switches, the types with their versions, and the records. */
export const migrations: readonly Migration[] = [
  {
    name: 'custom-objects/001_custom_objects',
    sql: `
-- One row when a switch was set: custom objects themselves (1026 when off) and their metadata API (616 when off).
CREATE TABLE custom_object_settings (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  metadata_api INTEGER NOT NULL CHECK (metadata_api IN (0, 1))
);

-- A custom object type: its approved version and its draft, each a JSON object (displayName, pluralName,
-- description, showInLeadDetail, fields), either absent (custom-objects.md "Approval of Type").
CREATE TABLE custom_object_types (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  api_name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  approved TEXT,
  draft TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CHECK (approved IS NOT NULL OR draft IS NOT NULL)
);

-- Records of the approved types, in the object engine's layout; a record linked to a lead goes with it.
CREATE TABLE custom_objects (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  type_id INTEGER NOT NULL REFERENCES custom_object_types (id) ON DELETE CASCADE,
  marketo_guid TEXT NOT NULL UNIQUE,
  dedupe_key TEXT NOT NULL,
  fields TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  lead_id INTEGER REFERENCES leads (id) ON DELETE CASCADE,
  UNIQUE (type_id, dedupe_key)
);

CREATE INDEX custom_objects_by_lead ON custom_objects (lead_id);
`,
  },
];
