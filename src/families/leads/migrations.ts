import { fieldTablesSql } from '../../engines/objects/field-repository.js';
import type { Migration } from '../../storage/migrations.js';

/** The leads family's tables: leads and the custom lead fields. */
export const migrations: readonly Migration[] = [
  {
    name: '005_leads.sql',
    sql: `
-- The lead database. email, partition and timestamps are columns (indexed lookups); every other field,
-- standard or custom, lives in the JSON object 'fields', keyed by its REST API name.
CREATE TABLE leads (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  partition_id INTEGER NOT NULL REFERENCES partitions (id) ON DELETE RESTRICT,
  email TEXT COLLATE NOCASE,
  fields TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE INDEX leads_by_email ON leads (email);
CREATE INDEX leads_by_partition ON leads (partition_id, id);

-- Custom lead fields declared through the admin plane; standard fields are part of the code.
CREATE TABLE lead_fields (
  name TEXT PRIMARY KEY COLLATE NOCASE,
  display_name TEXT NOT NULL,
  data_type TEXT NOT NULL CHECK (data_type IN ('string', 'email', 'integer', 'float', 'boolean', 'date', 'datetime')),
  length INTEGER,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;
`,
  },
  {
    name: 'leads/001_field_metadata',
    // The schema field API (leads.md "Fields"): a custom field's metadata, every type createLeadFieldUsingPOST takes,
    // and the metadata of standard fields (description, HTML encoding, sensitivity: what the API may change of them).
    sql: `${fieldTablesSql('lead_fields_with_metadata', 'lead_field_settings')}
INSERT INTO lead_fields_with_metadata (name, display_name, data_type, length, created_at)
  SELECT name, display_name, data_type, length, created_at FROM lead_fields;
DROP TABLE lead_fields;
ALTER TABLE lead_fields_with_metadata RENAME TO lead_fields;
`,
  },
];
