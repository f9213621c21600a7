import type { Migration } from '../../storage/migrations.js';

/** The activities family's tables: activity types and the activity log. */
export const migrations: readonly Migration[] = [
  {
    name: '006_activities.sql',
    sql: `
-- Activity types: Marketo's standard ones (built in, ids below 100000) and the custom types a seed or the admin
-- plane declares (ids from 100001, with an API name). Attributes are JSON arrays of {name, apiName?, dataType}.
CREATE TABLE activity_types (
  id INTEGER PRIMARY KEY,
  api_name TEXT UNIQUE COLLATE NOCASE,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  primary_attribute TEXT,
  attributes TEXT NOT NULL DEFAULT '[]',
  built_in INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);

-- The activity log. lead_id has no foreign key: the activities of a deleted lead stay (Delete Lead among them).
-- partition_id is the lead's partition when the activity happened (what decides who sees it).
-- attributes is the wire form, a JSON array of {name, value}; field_name and fields (a JSON array of
-- {id, name, newValue, oldValue}) are set on Change Data Value only, for Get Lead Changes. type_id has no foreign
-- key: the built-in types are rewritten at every start, and a type is checked when an activity is added.
CREATE TABLE activities (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  activity_date INTEGER NOT NULL,
  lead_id INTEGER NOT NULL,
  partition_id INTEGER NOT NULL REFERENCES partitions (id) ON DELETE RESTRICT,
  type_id INTEGER NOT NULL,
  campaign_id INTEGER,
  primary_value_id INTEGER,
  primary_value TEXT,
  attributes TEXT NOT NULL DEFAULT '[]',
  field_name TEXT,
  fields TEXT
);

-- Every read pages in (activity_date, id) order: the log's position order.
CREATE INDEX activities_by_position ON activities (activity_date, id);
CREATE INDEX activities_by_lead ON activities (lead_id);
`,
  },
  {
    name: 'activities/001_custom_type_drafts',
    sql: `
-- Custom activity types get Marketo's versions (activities.md "Create type"): the approved one in the columns above
-- (approved = 0 while a type was never approved, its columns holding its first draft), and a draft beside it, a
-- JSON object {name, description, triggerName, filterName, primaryAttribute, attributes}.
ALTER TABLE activity_types ADD COLUMN trigger_name TEXT;
ALTER TABLE activity_types ADD COLUMN filter_name TEXT;
ALTER TABLE activity_types ADD COLUMN draft TEXT;
ALTER TABLE activity_types ADD COLUMN approved INTEGER NOT NULL DEFAULT 1;
ALTER TABLE activity_types ADD COLUMN updated_at INTEGER;
UPDATE activity_types SET updated_at = created_at;
`,
  },
];
