import type { Migration } from '../../storage/migrations.js';

/** The campaigns family's table: smart campaigns, each with its flow and (batch) smart list as data. */
export const migrations: readonly Migration[] = [
  {
    name: 'campaigns/001_campaigns',
    sql: `
-- Smart campaigns (issue 26). A campaign sits in a program or in a Marketing Activities folder, so in a workspace
-- (workspace_id beside it, as on static_lists). Marketo's API cannot write a flow: a seed or the admin plane declares
-- the flow (JSON array of steps) and, for a batch campaign, its smart list (JSON object). A program's campaigns go
-- with it; a folder holding campaigns cannot be deleted.
CREATE TABLE campaigns (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  type TEXT NOT NULL CHECK (type IN ('batch', 'trigger')),
  workspace_id INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE RESTRICT,
  program_id INTEGER REFERENCES asset_programs (id) ON DELETE CASCADE,
  folder_id INTEGER REFERENCES asset_folders (id) ON DELETE RESTRICT,
  active INTEGER NOT NULL DEFAULT 0,
  requestable INTEGER NOT NULL DEFAULT 0,
  smart_list TEXT NOT NULL DEFAULT '{}',
  flow TEXT NOT NULL DEFAULT '[]',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CHECK ((program_id IS NULL) <> (folder_id IS NULL))
);

CREATE INDEX campaigns_by_workspace ON campaigns (workspace_id, id);
CREATE INDEX campaigns_by_program ON campaigns (program_id) WHERE program_id IS NOT NULL;
CREATE INDEX campaigns_by_folder ON campaigns (folder_id) WHERE folder_id IS NOT NULL;
`,
  },
  {
    name: 'campaigns/002_campaign_members',
    sql: `
-- The leads a campaign has run for (Get Smart Campaigns by Lead Id): the first and the latest time. A membership goes
-- with its campaign and its lead.
CREATE TABLE campaign_members (
  campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  lead_id INTEGER NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, lead_id)
) WITHOUT ROWID;

CREATE INDEX campaign_members_by_lead ON campaign_members (lead_id, campaign_id);
`,
  },
];
