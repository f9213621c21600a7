import { fieldTablesSql } from '../../engines/objects/field-repository.js';
import type { Migration } from '../../storage/migrations.js';

/** Program members' fields (issue 27): the custom ones and the standard ones' metadata, as the lead fields' tables. */
export const migrations: readonly Migration[] = [
  { name: 'program-members/001_fields', sql: fieldTablesSql('program_member_fields', 'program_member_field_settings') },
  {
    name: 'program-members/002_members',
    sql: `
-- Program members (issue 26): a lead's membership of a program, at a status of the program's channel. A member goes
-- with its program and with its lead. custom_fields holds the custom program member fields' values (JSON object).
CREATE TABLE program_members (
  program_id INTEGER NOT NULL REFERENCES asset_programs (id) ON DELETE CASCADE,
  lead_id INTEGER NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
  status_name TEXT NOT NULL,
  status_step INTEGER NOT NULL,
  status_reason TEXT,
  reached_success INTEGER NOT NULL DEFAULT 0,
  reached_success_at INTEGER,
  acquired_by INTEGER NOT NULL DEFAULT 0,
  custom_fields TEXT NOT NULL DEFAULT '{}',
  membership_date INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (program_id, lead_id)
) WITHOUT ROWID;

CREATE INDEX program_members_by_lead ON program_members (lead_id, program_id);
`,
  },
  {
    name: 'program-members/003_member_ids',
    sql: `
-- Each membership gets an id (issue 24): a bulk export holds the memberships up to the last id when it began
-- processing (bulk-program-member-extract.md: "members of the program at the time that the job begins processing"),
-- read in id order a chunk at a time. AUTOINCREMENT: ids never reused, and lastIds covers them in snapshots. The
-- table is rebuilt (a WITHOUT ROWID table takes no new key), its rows numbered in the order they were made.
CREATE TABLE program_members_new (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  program_id INTEGER NOT NULL REFERENCES asset_programs (id) ON DELETE CASCADE,
  lead_id INTEGER NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
  status_name TEXT NOT NULL,
  status_step INTEGER NOT NULL,
  status_reason TEXT,
  reached_success INTEGER NOT NULL DEFAULT 0,
  reached_success_at INTEGER,
  acquired_by INTEGER NOT NULL DEFAULT 0,
  custom_fields TEXT NOT NULL DEFAULT '{}',
  membership_date INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (program_id, lead_id)
);
INSERT INTO program_members_new (program_id, lead_id, status_name, status_step, status_reason, reached_success,
  reached_success_at, acquired_by, custom_fields, membership_date, created_at, updated_at)
SELECT program_id, lead_id, status_name, status_step, status_reason, reached_success, reached_success_at,
  acquired_by, custom_fields, membership_date, created_at, updated_at
FROM program_members ORDER BY created_at, program_id, lead_id;
DROP TABLE program_members;
ALTER TABLE program_members_new RENAME TO program_members;
CREATE INDEX program_members_by_lead ON program_members (lead_id, program_id);
-- The copy of no rows left a sequence row at 0, which a new database would not have (reset and the empty check
-- compare with one).
DELETE FROM sqlite_sequence WHERE name = 'program_members' AND seq = 0;
`,
  },
];
