import type { PlacedBrowse } from '../../engines/assets/params.js';
import type { Clock } from '../../clock.js';
import { type Database, prepareOnUse } from '../../storage/database.js';
import type { SmartListRules } from './smart-list-rules.js';

/** A smart list row: a user's, a smart campaign's own (campaignId), or an email program's audience. */
export interface SmartList {
  id: number;
  name: string;
  description: string;
  workspaceId: number;
  workspaceName: string;
  folderId: number | null;
  programId: number | null;
  programName: string | null;
  campaignId: number | null;
  programAudience: boolean;
  rules: SmartListRules;
  createdAt: number;
  updatedAt: number;
}

export interface NewSmartList {
  id?: number | null;
  name: string;
  description?: string;
  workspaceId: number;
  folderId?: number | null;
  programId?: number | null;
  campaignId?: number | null;
  programAudience?: boolean;
  rules: SmartListRules;
  createdAt?: number;
  updatedAt?: number;
}

interface SmartListRow {
  id: number;
  name: string;
  description: string;
  workspace_id: number;
  workspace_name: string;
  folder_id: number | null;
  program_id: number | null;
  program_name: string | null;
  campaign_id: number | null;
  program_audience: number;
  rules: string;
  created_at: number;
  updated_at: number;
}

const COLUMNS = `s.*, w.name AS workspace_name, p.name AS program_name
  FROM smart_lists s JOIN workspaces w ON w.id = s.workspace_id LEFT JOIN asset_programs p ON p.id = s.program_id`;
/** A user's smart list: what browse and by name see (a campaign's or a program's own is reached through it). */
const OWN = 's.campaign_id IS NULL AND s.program_audience = 0';

const smartListOf = (row: SmartListRow): SmartList => ({
  id: row.id,
  name: row.name,
  description: row.description,
  workspaceId: row.workspace_id,
  workspaceName: row.workspace_name,
  folderId: row.folder_id,
  programId: row.program_id,
  programName: row.program_name,
  campaignId: row.campaign_id,
  programAudience: row.program_audience === 1,
  rules: JSON.parse(row.rules) as SmartListRules,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** Smart lists (issue 29): every statement over the smart_lists table. */
export class SmartListRepository {
  private readonly s;

  constructor(
    db: Database,
    private readonly clock: Clock,
  ) {
    this.s = {
      find: prepareOnUse<[number], SmartListRow>(db, `SELECT ${COLUMNS} WHERE s.id = ?`),
      byName: prepareOnUse<[string], SmartListRow>(
        db,
        `SELECT ${COLUMNS} WHERE ${OWN} AND lower(s.name) = lower(?) ORDER BY s.id LIMIT 1`,
      ),
      ofCampaign: prepareOnUse<[number], SmartListRow>(db, `SELECT ${COLUMNS} WHERE s.campaign_id = ?`),
      ofProgram: prepareOnUse<[number], SmartListRow>(
        db,
        `SELECT ${COLUMNS} WHERE s.program_id = ? AND s.program_audience = 1`,
      ),
      browse: prepareOnUse<
        {
          workspaces: string;
          folder: number | null;
          program: number | null;
          earliest: number | null;
          latest: number | null;
          offset: number;
          limit: number;
        },
        SmartListRow
      >(
        db,
        `SELECT ${COLUMNS}
         WHERE ${OWN} AND s.workspace_id IN (SELECT value FROM json_each(:workspaces))
           AND (:folder IS NULL OR s.folder_id = :folder) AND (:program IS NULL OR s.program_id = :program)
           AND (:earliest IS NULL OR s.updated_at >= :earliest) AND (:latest IS NULL OR s.updated_at <= :latest)
         ORDER BY s.id LIMIT :limit OFFSET :offset`,
      ),
      all: prepareOnUse<[], SmartListRow>(db, `SELECT ${COLUMNS} WHERE s.campaign_id IS NULL ORDER BY s.id`),
      insert: prepareOnUse<
        {
          id: number | null;
          name: string;
          description: string;
          workspace: number;
          folder: number | null;
          program: number | null;
          campaign: number | null;
          audience: number;
          rules: string;
          createdAt: number;
          updatedAt: number;
        },
        { id: number }
      >(
        db,
        `INSERT INTO smart_lists (id, name, description, workspace_id, folder_id, program_id, campaign_id,
           program_audience, rules, created_at, updated_at)
         VALUES (:id, :name, :description, :workspace, :folder, :program, :campaign, :audience, :rules, :createdAt,
           :updatedAt)
         RETURNING id`,
      ),
      rename: prepareOnUse<[string, number, number]>(
        db,
        'UPDATE smart_lists SET name = ?, updated_at = ? WHERE id = ?',
      ),
      setRules: prepareOnUse<[string, number, number]>(
        db,
        'UPDATE smart_lists SET rules = ?, updated_at = ? WHERE id = ?',
      ),
      delete: prepareOnUse<[number]>(db, 'DELETE FROM smart_lists WHERE id = ?'),
    };
  }

  find(id: number): SmartList | undefined {
    const row = this.s.find.get(id);
    return row && smartListOf(row);
  }

  /** A user's smart list of that name, without regard to case (names are unique among them). */
  byName(name: string): SmartList | undefined {
    const row = this.s.byName.get(name);
    return row && smartListOf(row);
  }

  /** The smart campaign's own smart list. */
  ofCampaign(campaignId: number): SmartList | undefined {
    const row = this.s.ofCampaign.get(campaignId);
    return row && smartListOf(row);
  }

  /** The email program's audience smart list. */
  ofProgram(programId: number): SmartList | undefined {
    const row = this.s.ofProgram.get(programId);
    return row && smartListOf(row);
  }

  /** The Asset API's browse of users' smart lists: in a folder or program, updated within a range, by offset. */
  browse(query: PlacedBrowse): SmartList[] {
    return this.s.browse
      .all({
        workspaces: JSON.stringify(query.workspaceIds),
        folder: query.folderId ?? null,
        program: query.programId ?? null,
        earliest: query.earliest ?? null,
        latest: query.latest ?? null,
        offset: query.offset,
        limit: query.limit,
      })
      .map(smartListOf);
  }

  /** Every smart list but the campaigns' own (those are in their campaigns' snapshot). */
  all(): SmartList[] {
    return this.s.all.all().map(smartListOf);
  }

  insert(list: NewSmartList): number {
    const createdAt = list.createdAt ?? this.clock.now();
    return this.s.insert.get({
      id: list.id ?? null,
      name: list.name,
      description: list.description ?? '',
      workspace: list.workspaceId,
      folder: list.folderId ?? null,
      program: list.programId ?? null,
      campaign: list.campaignId ?? null,
      audience: list.programAudience ? 1 : 0,
      rules: JSON.stringify(list.rules),
      createdAt,
      updatedAt: list.updatedAt ?? createdAt,
    })!.id;
  }

  /** A campaign renamed: its own smart list carries its name. */
  rename(id: number, name: string): void {
    this.s.rename.run(name, this.clock.now(), id);
  }

  setRules(id: number, rules: SmartListRules): void {
    this.s.setRules.run(JSON.stringify(rules), this.clock.now(), id);
  }

  delete(id: number): void {
    this.s.delete.run(id);
  }
}
