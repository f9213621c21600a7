import type { Migration } from '../../storage/migrations.js';

/** Program members' fields (issue 27): the custom ones and the standard ones' metadata, as the lead fields' tables. */
export const migrations: readonly Migration[] = [
  {
    name: 'program-members/001_fields',
    sql: `
CREATE TABLE program_member_fields (
  name TEXT PRIMARY KEY COLLATE NOCASE,
  display_name TEXT NOT NULL,
  data_type TEXT NOT NULL CHECK (data_type IN ('string', 'email', 'integer', 'float', 'boolean', 'date', 'datetime',
    'currency', 'phone', 'url', 'percent', 'score')),
  length INTEGER,
  description TEXT,
  is_hidden INTEGER NOT NULL DEFAULT 0,
  is_html_encoding INTEGER,
  is_sensitive INTEGER NOT NULL DEFAULT 0,
  is_api_created INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE program_member_field_settings (
  name TEXT PRIMARY KEY COLLATE NOCASE,
  description TEXT,
  is_html_encoding INTEGER,
  is_sensitive INTEGER
) WITHOUT ROWID;
`,
  },
];
