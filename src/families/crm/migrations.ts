import type { Migration } from '../../storage/migrations.js';

/**
 * The CRM objects' tables (issue 27): the native CRM sync setting, custom fields, and one table per object type in
 * the object engine's layout (src/engines/objects/object-repository.ts): key columns beside the fields as JSON.
 */
export const migrations: readonly Migration[] = [
  {
    name: 'crm/001_settings_and_fields',
    sql: `
-- Native CRM sync (Salesforce or Microsoft Dynamics): one row while it is on. Company, opportunity, role and sales
-- person writes then answer 1018 (lead-database.md).
CREATE TABLE crm_sync (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  crm TEXT NOT NULL CHECK (crm IN ('salesforce', 'dynamics')),
  enabled_at INTEGER NOT NULL
);

-- Custom fields of the CRM objects, declared in a seed or on the admin plane; standard fields are code.
CREATE TABLE crm_fields (
  object TEXT NOT NULL CHECK (object IN ('company', 'salesPerson', 'opportunity', 'opportunityRole', 'namedAccount')),
  name TEXT NOT NULL COLLATE NOCASE,
  display_name TEXT NOT NULL,
  data_type TEXT NOT NULL CHECK (data_type IN ('string', 'email', 'integer', 'float', 'boolean', 'date', 'datetime')),
  length INTEGER,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (object, name)
) WITHOUT ROWID;
`,
  },
  {
    name: 'crm/002_sales_persons',
    sql: `
CREATE TABLE sales_persons (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  dedupe_key TEXT NOT NULL UNIQUE,
  fields TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
`,
  },
  {
    name: 'crm/003_companies',
    sql: `
-- Companies: leads name one by externalCompanyId (the dedupe key) and read its company fields.
CREATE TABLE companies (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  dedupe_key TEXT NOT NULL UNIQUE,
  fields TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
`,
  },
  {
    name: 'crm/004_opportunities',
    sql: `
CREATE TABLE opportunities (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  marketo_guid TEXT NOT NULL UNIQUE,
  dedupe_key TEXT NOT NULL UNIQUE,
  fields TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

-- A role ties a lead to an opportunity (opportunity-roles.md); it goes with either (decision, README).
CREATE TABLE opportunity_roles (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  marketo_guid TEXT NOT NULL UNIQUE,
  dedupe_key TEXT NOT NULL UNIQUE,
  fields TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  opportunity_id INTEGER NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,
  lead_id INTEGER NOT NULL REFERENCES leads (id) ON DELETE CASCADE
);

CREATE INDEX opportunity_roles_by_opportunity ON opportunity_roles (opportunity_id);
CREATE INDEX opportunity_roles_by_lead ON opportunity_roles (lead_id, id);
`,
  },
  {
    name: 'crm/005_named_accounts',
    sql: `
CREATE TABLE named_accounts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  marketo_guid TEXT NOT NULL UNIQUE,
  dedupe_key TEXT NOT NULL UNIQUE,
  fields TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE named_account_lists (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  marketo_guid TEXT NOT NULL UNIQUE,
  dedupe_key TEXT NOT NULL UNIQUE,
  fields TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

-- A list's members go with the list and with the account.
CREATE TABLE named_account_list_members (
  list_id INTEGER NOT NULL REFERENCES named_account_lists (id) ON DELETE CASCADE,
  account_id INTEGER NOT NULL REFERENCES named_accounts (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (list_id, account_id)
) WITHOUT ROWID;

CREATE INDEX named_account_list_members_by_account ON named_account_list_members (account_id, list_id);
`,
  },
];
