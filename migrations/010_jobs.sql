-- Timed work of the families (src/engines/jobs): one row per job, owned by the core. A family keeps its own data in
-- its own tables, each row referencing jobs (id) (ON DELETE CASCADE, so a job removed takes its data with it).
-- due_at: when the job's next step falls due on the fake's clock (epoch ms); NULL when there is nothing more to do.
-- owner_user_id: the API user the job belongs to (Marketo: "Only the API user who created a Bulk Extract job can
-- access it"); NULL for the subscription's own work (a scheduled campaign run). Deleting the user deletes their jobs:
-- Adobe documents nothing, and a user who still owns a service cannot be deleted, so no client can reach them.
CREATE TABLE jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  family TEXT NOT NULL,
  kind TEXT NOT NULL,
  state TEXT NOT NULL,
  due_at INTEGER,
  payload TEXT NOT NULL DEFAULT '{}',
  owner_user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
  error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

-- The runner's one question: which job falls due first.
CREATE INDEX jobs_by_due_time ON jobs (due_at, id) WHERE due_at IS NOT NULL;
-- A family's listing: its jobs of one kind, one owner's, in id order.
CREATE INDEX jobs_by_kind ON jobs (family, kind, owner_user_id, id);
CREATE INDEX jobs_by_owner ON jobs (owner_user_id);
