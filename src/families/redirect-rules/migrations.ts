import type { Migration } from '../../storage/migrations.js';

export const migrations: readonly Migration[] = [
  {
    name: 'redirect-rules/001_domains_and_rules',
    sql: `
CREATE TABLE landing_page_domains (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  hostname TEXT NOT NULL COLLATE NOCASE UNIQUE,
  type TEXT NOT NULL CHECK (type IN ('domain', 'domain-alias'))
);
CREATE TABLE redirect_rules (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  hostname TEXT NOT NULL COLLATE NOCASE,
  -- From a landing page or a path; to a landing page or a URL. A rule goes with a page it names (README "Landing
  -- page redirect rules").
  from_page_id INTEGER REFERENCES landing_pages (id) ON DELETE CASCADE,
  from_path TEXT,
  to_page_id INTEGER REFERENCES landing_pages (id) ON DELETE CASCADE,
  to_url TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CHECK ((from_page_id IS NULL) <> (from_path IS NULL)),
  CHECK ((to_page_id IS NULL) <> (to_url IS NULL))
);
-- One rule per source: a hostname and a page or a path.
CREATE UNIQUE INDEX redirect_rules_by_source ON redirect_rules (hostname, ifnull(from_page_id, 0), ifnull(from_path, ''));
CREATE INDEX redirect_rules_by_from_page ON redirect_rules (from_page_id) WHERE from_page_id IS NOT NULL;
CREATE INDEX redirect_rules_by_to_page ON redirect_rules (to_page_id) WHERE to_page_id IS NOT NULL;`,
  },
];
