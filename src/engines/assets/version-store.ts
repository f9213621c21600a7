import type { Migration } from '../../storage/migrations.js';
import { type Database, prepareOnUse } from '../../storage/database.js';
import type { AssetRef, AssetType, AssetUser, Version, VersionStatus, VersionStore } from './approval.js';

/**
 * The approval machine's tables, generic over asset types: every version of every versioned asset (its record fields,
 * and apart its content), and what each version uses. The assets family declares them (its migrations run before every other asset family's); each
 * versioned asset family writes, seeds and snapshots its own assets' versions through the machine (src/engines/assets/approval.ts), and its migration adds the trigger below, so that its rows take their
 * versions and uses with them however they are deleted (a program delete cascades to its emails).
 */
export const APPROVAL_MIGRATION: Migration = {
  name: 'assets/003_asset_versions',
  sql: `
-- asset_type is Marketo's name of the type ('Email', 'Snippet' …). fields: the record fields a browse shows, as JSON.
-- At most one version of each status.
CREATE TABLE asset_versions (
  asset_type TEXT NOT NULL,
  asset_id INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('approved', 'draft')),
  fields TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (asset_type, asset_id, status)
) WITHOUT ROWID;

-- Each version's content (sections, HTML …), as JSON: apart, so that a browse reads small rows only.
CREATE TABLE asset_version_contents (
  asset_type TEXT NOT NULL,
  asset_id INTEGER NOT NULL,
  status TEXT NOT NULL,
  content TEXT NOT NULL,
  PRIMARY KEY (asset_type, asset_id, status),
  FOREIGN KEY (asset_type, asset_id, status) REFERENCES asset_versions (asset_type, asset_id, status)
    ON DELETE CASCADE ON UPDATE CASCADE
);

-- What each version uses ("in use" relations: an email uses its template and snippets).
CREATE TABLE asset_uses (
  user_type TEXT NOT NULL,
  user_id INTEGER NOT NULL,
  user_status TEXT NOT NULL CHECK (user_status IN ('approved', 'draft')),
  used_type TEXT NOT NULL,
  used_id INTEGER NOT NULL,
  PRIMARY KEY (user_type, user_id, user_status, used_type, used_id)
) WITHOUT ROWID;

CREATE INDEX asset_uses_by_used ON asset_uses (used_type, used_id, user_status);
`,
};

/**
 * The trigger a versioned asset family puts on its table (in its own migration): a deleted row's versions and uses go
 * with it, whatever deleted it (the API, a program delete's cascade, a reset).
 */
export function versionCleanupTrigger(table: string, type: AssetType): string {
  const quoted = type.replace(/'/g, "''");
  return `
CREATE TRIGGER ${table}_versions_cleanup AFTER DELETE ON ${table}
BEGIN
  DELETE FROM asset_versions WHERE asset_type = '${quoted}' AND asset_id = OLD.id;
  DELETE FROM asset_uses WHERE user_type = '${quoted}' AND user_id = OLD.id;
  DELETE FROM asset_uses WHERE used_type = '${quoted}' AND used_id = OLD.id;
END;`;
}

/**
 * The version a browse shows of the asset row `alias`.id: the one `@status` names, else the approved one if any (its
 * status sorts first), else the draft. For a family's browse statement: `JOIN asset_versions v ON ${...}`.
 */
export function shownVersionJoin(type: AssetType, alias: string, statusParameter = '@status'): string {
  const quoted = type.replace(/'/g, "''");
  return `v.asset_type = '${quoted}' AND v.asset_id = ${alias}.id AND v.status = coalesce(${statusParameter},
    (SELECT min(x.status) FROM asset_versions x WHERE x.asset_type = '${quoted}' AND x.asset_id = ${alias}.id))`;
}

interface VersionRow {
  status: VersionStatus;
  fields: string;
  content: string;
  created_at: number;
  updated_at: number;
}

const toVersion = (row: VersionRow): Version => ({
  status: row.status,
  fields: JSON.parse(row.fields),
  content: JSON.parse(row.content),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** The approval machine's store over its tables: every statement of the machine. */
export class SqliteVersionStore implements VersionStore {
  private readonly s;

  constructor(db: Database) {
    const prepare = <P extends unknown[] = unknown[], R = unknown>(sql: string) => prepareOnUse<P, R>(db, sql);
    this.s = {
      version: prepare<[string, number, string], VersionRow>(
        `SELECT v.status, v.fields, c.content, v.created_at, v.updated_at
         FROM asset_versions v JOIN asset_version_contents c USING (asset_type, asset_id, status)
         WHERE v.asset_type = ? AND v.asset_id = ? AND v.status = ?`,
      ),
      statuses: prepare<[string, number], { status: VersionStatus }>(
        'SELECT status FROM asset_versions WHERE asset_type = ? AND asset_id = ? ORDER BY status',
      ),
      put: prepare<[string, number, string, string, number, number]>(
        `INSERT INTO asset_versions (asset_type, asset_id, status, fields, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET fields = excluded.fields,
           created_at = excluded.created_at, updated_at = excluded.updated_at`,
      ),
      putContent: prepare<[string, number, string, string]>(
        `INSERT INTO asset_version_contents (asset_type, asset_id, status, content) VALUES (?, ?, ?, ?)
         ON CONFLICT DO UPDATE SET content = excluded.content`,
      ),
      drop: prepare<[string, number, string]>(
        'DELETE FROM asset_versions WHERE asset_type = ? AND asset_id = ? AND status = ?',
      ),
      dropUses: prepare<[string, number, string]>(
        'DELETE FROM asset_uses WHERE user_type = ? AND user_id = ? AND user_status = ?',
      ),
      addUse: prepare<[string, number, string, string, number]>(
        `INSERT OR IGNORE INTO asset_uses (user_type, user_id, user_status, used_type, used_id) VALUES (?, ?, ?, ?, ?)`,
      ),
      rename: prepare<[string, number, string, number, string]>(
        `UPDATE asset_versions SET status = ?, updated_at = ? WHERE asset_type = ? AND asset_id = ? AND status = ?`,
      ),
      renameUses: prepare<[string, string, number, string]>(
        'UPDATE asset_uses SET user_status = ? WHERE user_type = ? AND user_id = ? AND user_status = ?',
      ),
      usersOf: prepare<[string, number], { user_type: string; user_id: number; user_status: VersionStatus }>(
        `SELECT user_type, user_id, user_status FROM asset_uses WHERE used_type = ? AND used_id = ?
         ORDER BY user_type, user_id, user_status`,
      ),
      approvedUsersOf: prepare<[string, number], { user_type: string; user_id: number; user_status: VersionStatus }>(
        `SELECT user_type, user_id, user_status FROM asset_uses
         WHERE used_type = ? AND used_id = ? AND user_status = 'approved' ORDER BY user_type, user_id`,
      ),
      usesOf: prepare<[string, number, string], { used_type: string; used_id: number }>(
        `SELECT used_type, used_id FROM asset_uses WHERE user_type = ? AND user_id = ? AND user_status = ?
         ORDER BY used_type, used_id`,
      ),
      forgetVersions: prepare<[string, number]>('DELETE FROM asset_versions WHERE asset_type = ? AND asset_id = ?'),
      forgetUses: prepare<[string, number, string, number]>(
        'DELETE FROM asset_uses WHERE (user_type = ? AND user_id = ?) OR (used_type = ? AND used_id = ?)',
      ),
      ofType: prepare<[string], VersionRow & { asset_id: number }>(
        `SELECT v.asset_id, v.status, v.fields, c.content, v.created_at, v.updated_at
         FROM asset_versions v JOIN asset_version_contents c USING (asset_type, asset_id, status)
         WHERE v.asset_type = ? ORDER BY v.asset_id, v.status`,
      ),
    };
  }

  version(asset: AssetRef, status: VersionStatus): Version | undefined {
    const row = this.s.version.get(asset.type, asset.id, status);
    return row && toVersion(row);
  }

  statuses(asset: AssetRef): VersionStatus[] {
    return this.s.statuses.all(asset.type, asset.id).map((row) => row.status);
  }

  put(asset: AssetRef, version: Version, uses: readonly AssetRef[]): void {
    this.s.put.run(
      asset.type,
      asset.id,
      version.status,
      JSON.stringify(version.fields),
      version.createdAt,
      version.updatedAt,
    );
    this.s.putContent.run(asset.type, asset.id, version.status, JSON.stringify(version.content));
    this.s.dropUses.run(asset.type, asset.id, version.status);
    for (const used of uses) this.s.addUse.run(asset.type, asset.id, version.status, used.type, used.id);
  }

  drop(asset: AssetRef, status: VersionStatus): void {
    this.s.drop.run(asset.type, asset.id, status);
    this.s.dropUses.run(asset.type, asset.id, status);
  }

  promote(asset: AssetRef, at: number): void {
    this.move(asset, 'draft', 'approved', at);
  }

  demote(asset: AssetRef, at: number): void {
    this.move(asset, 'approved', 'draft', at);
  }

  private move(asset: AssetRef, from: VersionStatus, to: VersionStatus, at: number): void {
    this.drop(asset, to);
    this.s.rename.run(to, at, asset.type, asset.id, from);
    this.s.renameUses.run(to, asset.type, asset.id, from);
  }

  usersOf(asset: AssetRef, status?: VersionStatus): AssetUser[] {
    const rows =
      status === 'approved'
        ? this.s.approvedUsersOf.all(asset.type, asset.id)
        : this.s.usersOf.all(asset.type, asset.id).filter((row) => status === undefined || row.user_status === status);
    return rows.map((row) => ({ user: { type: row.user_type, id: row.user_id }, status: row.user_status }));
  }

  usesOf(asset: AssetRef, status: VersionStatus): AssetRef[] {
    return this.s.usesOf.all(asset.type, asset.id, status).map((row) => ({ type: row.used_type, id: row.used_id }));
  }

  forget(asset: AssetRef): void {
    this.s.forgetVersions.run(asset.type, asset.id);
    this.s.forgetUses.run(asset.type, asset.id, asset.type, asset.id);
  }

  *versionsOfType(type: AssetType): Iterable<{ id: number; version: Version }> {
    for (const row of this.s.ofType.iterate(type)) yield { id: row.asset_id, version: toVersion(row) };
  }
}
