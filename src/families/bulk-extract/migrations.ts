import type { Migration } from '../../storage/migrations.js';

/** The bulk-extract family's tables: each export job's public id, and its file in chunks. */
export const migrations: readonly Migration[] = [
  {
    name: 'bulkExtract/001_exports',
    sql: `
-- An export job (issue 24): the job itself (state, definition, owner) is the core's jobs row; here its exportId, and
-- when it completed with how many bytes, for the daily quota shared by every entity.
CREATE TABLE bulk_exports (
  job_id INTEGER PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
  export_id TEXT NOT NULL UNIQUE,
  finished_at INTEGER,
  file_size INTEGER
);

CREATE INDEX bulk_exports_by_finish ON bulk_exports (finished_at) WHERE finished_at IS NOT NULL;

-- The file, written in chunks as the job processes (each a run of whole lines); start_byte is the chunk's offset in
-- the file, for Range requests.
CREATE TABLE bulk_export_chunks (
  job_id INTEGER NOT NULL REFERENCES bulk_exports (job_id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  start_byte INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (job_id, seq)
);

CREATE INDEX bulk_export_chunks_by_byte ON bulk_export_chunks (job_id, start_byte);
`,
  },
];
