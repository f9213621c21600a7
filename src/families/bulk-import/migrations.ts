import type { Migration } from '../../storage/migrations.js';

/** The bulk import family's tables: each import's file until it is read, and the rows that failed or warned. */
export const migrations: readonly Migration[] = [
  {
    name: 'bulkImport/001_files_and_problems',
    sql: `
-- An import's file as uploaded, in chunks of 64 KiB (a step reads a slice without loading the whole file), kept
-- until the import finishes. Both tables go with their job (jobs: the core's).
CREATE TABLE import_file_chunks (
  job_id INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (job_id, seq)
);

-- The rows of a file that failed or were imported with a warning: their values as the file has them (a JSON array),
-- and why (the failures and warnings files).
CREATE TABLE import_problems (
  job_id INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('failure', 'warning')),
  row_no INTEGER NOT NULL,
  row_values TEXT NOT NULL,
  reason TEXT NOT NULL,
  PRIMARY KEY (job_id, kind, row_no)
);
`,
  },
];
