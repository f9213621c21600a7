import type { Migration } from '../../storage/migrations.js';

/** The campaigns folder's tables: smart campaigns with their flows, the leads they ran for, and smart lists. */
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
  {
    name: 'campaigns/003_smart_lists',
    sql: `
-- Smart lists (issue 29): a user's smart list sits in a Marketing Activities folder or a program, so in a workspace
-- (workspace_id beside it, as on static_lists); a smart campaign's own smart list (campaign_id) and an email
-- program's audience (program_audience) are rows of the same table, so that Get Smart List by Smart Campaign Id or by
-- Program Id reads what a scheduled run qualifies. Rules are JSON in the shape Get Smart List by Id reads back.
-- A campaign's smart list goes with it, a program's smart lists with the program; a folder holding one stays.
CREATE TABLE smart_lists (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  workspace_id INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE RESTRICT,
  program_id INTEGER REFERENCES asset_programs (id) ON DELETE CASCADE,
  folder_id INTEGER REFERENCES asset_folders (id) ON DELETE RESTRICT,
  campaign_id INTEGER UNIQUE REFERENCES campaigns (id) ON DELETE CASCADE,
  program_audience INTEGER NOT NULL DEFAULT 0 CHECK (program_audience IN (0, 1)),
  rules TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CHECK ((program_id IS NULL) <> (folder_id IS NULL)),
  CHECK (program_audience = 0 OR (program_id IS NOT NULL AND campaign_id IS NULL))
);

CREATE INDEX smart_lists_by_workspace ON smart_lists (workspace_id, id);
CREATE INDEX smart_lists_by_name ON smart_lists (lower(name)) WHERE campaign_id IS NULL AND program_audience = 0;
CREATE INDEX smart_lists_by_program ON smart_lists (program_id) WHERE program_id IS NOT NULL;
CREATE INDEX smart_lists_by_folder ON smart_lists (folder_id) WHERE folder_id IS NOT NULL;
CREATE UNIQUE INDEX smart_lists_program_audience ON smart_lists (program_id) WHERE program_audience = 1;

-- Campaigns declared before this migration keep their smart list ({"memberOfList", "leadIds"}) as rules: a Member
-- of List filter and an Id filter, matched by Any (smart-list-rules.ts, rulesOfLegacy).
INSERT INTO smart_lists (name, workspace_id, program_id, folder_id, campaign_id, rules, created_at, updated_at)
SELECT c.name, c.workspace_id, c.program_id, c.folder_id, c.id,
  json_object('filterMatchType', 'any', 'triggers', json('[]'), 'filters', json(
    '[' || concat_ws(',',
      CASE WHEN json_extract(c.smart_list, '$.memberOfList') IS NOT NULL THEN json_object(
        'id', 1, 'name', 'Member of List', 'ruleTypeId', 0, 'ruleType', 'Member of List', 'operator', 'in',
        'conditions', json_array(json_object('activityAttributeId', 0, 'activityAttributeName', 'Member of List',
          'operator', 'in', 'values', json_array(CAST(json_extract(c.smart_list, '$.memberOfList') AS TEXT)),
          'isPrimary', json('true')))) END,
      CASE WHEN json_array_length(c.smart_list, '$.leadIds') > 0 THEN json_object(
        'id', CASE WHEN json_extract(c.smart_list, '$.memberOfList') IS NOT NULL THEN 2 ELSE 1 END,
        'name', 'Id', 'ruleTypeId', 0, 'ruleType', 'Id', 'operator', 'is',
        'conditions', json_array(json_object('activityAttributeId', 0, 'activityAttributeName', 'Id',
          'operator', 'is', 'values', (SELECT json_group_array(CAST(value AS TEXT))
            FROM json_each(c.smart_list, '$.leadIds')), 'isPrimary', json('true')))) END
    ) || ']')),
  c.created_at, c.updated_at
FROM campaigns c;
-- No sequence row for an empty copy: a reset database is compared with a new one.
DELETE FROM sqlite_sequence WHERE name = 'smart_lists' AND seq = 0;

ALTER TABLE campaigns DROP COLUMN smart_list;
`,
  },
];
