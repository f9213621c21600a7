import type { PlacedBrowse } from '../../engines/assets/params.js';
import type { Clock } from '../../clock.js';
import type { CoreRepositories } from '../../family.js';
import { type Database, prepareOnUse } from '../../storage/database.js';
import type { FlowStep } from './flow.js';
import type { SmartListRepository } from './smart-list-repository.js';
import { type SmartListRules, withRequestTrigger } from './smart-list-rules.js';

/** A smart campaign row, with its program's name and its workspace's. */
export interface Campaign {
  id: number;
  name: string;
  description: string;
  type: 'batch' | 'trigger';
  workspaceId: number;
  workspaceName: string;
  programId: number | null;
  programName: string | null;
  folderId: number | null;
  active: boolean;
  /** Its trigger is "Campaign is Requested", source Web Service API. */
  requestable: boolean;
  flow: FlowStep[];
  createdAt: number;
  updatedAt: number;
}

export interface NewCampaign {
  id?: number | null;
  name: string;
  description?: string;
  type: 'batch' | 'trigger';
  workspaceId: number;
  programId?: number | null;
  folderId?: number | null;
  active: boolean;
  requestable: boolean;
  flow: FlowStep[];
  createdAt?: number;
  updatedAt?: number;
}

/** A lead's membership of a campaign (Get Smart Campaigns by Lead Id). */
export interface CampaignMembership {
  campaignId: number;
  workspaceId: number;
  createdAt: number;
  updatedAt: number;
}

export interface CampaignFilter {
  workspaceIds: readonly number[];
  ids?: readonly number[];
  names?: readonly string[];
  programNames?: readonly string[];
  workspaceNames?: readonly string[];
  triggerable?: boolean;
}

interface CampaignRow {
  id: number;
  name: string;
  description: string;
  type: 'batch' | 'trigger';
  workspace_id: number;
  workspace_name: string;
  program_id: number | null;
  program_name: string | null;
  folder_id: number | null;
  active: number;
  requestable: number;
  flow: string;
  created_at: number;
  updated_at: number;
}

const COLUMNS = `c.*, w.name AS workspace_name, p.name AS program_name
  FROM campaigns c JOIN workspaces w ON w.id = c.workspace_id LEFT JOIN asset_programs p ON p.id = c.program_id`;

const campaignOf = (row: CampaignRow): Campaign => ({
  id: row.id,
  name: row.name,
  description: row.description,
  type: row.type,
  workspaceId: row.workspace_id,
  workspaceName: row.workspace_name,
  programId: row.program_id,
  programName: row.program_name,
  folderId: row.folder_id,
  active: row.active === 1,
  requestable: row.requestable === 1,
  flow: JSON.parse(row.flow) as FlowStep[],
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const json = (values: readonly unknown[] | undefined): string | null => (values ? JSON.stringify(values) : null);

/** Smart campaigns (issue 26): every statement over the campaigns table. */
export class CampaignRepository {
  private readonly s;

  constructor(
    db: Database,
    private readonly clock: Clock,
    private readonly core: CoreRepositories,
    /** The smart lists of the same folder: each campaign has its own (smart-lists.ts). */
    readonly smartLists: SmartListRepository,
  ) {
    this.s = {
      find: prepareOnUse<[number], CampaignRow>(db, `SELECT ${COLUMNS} WHERE c.id = ?`),
      page: prepareOnUse<
        {
          workspaces: string;
          ids: string | null;
          names: string | null;
          programs: string | null;
          wsNames: string | null;
          triggerable: number | null;
          after: number;
          limit: number;
        },
        CampaignRow
      >(
        db,
        `SELECT ${COLUMNS}
         WHERE c.workspace_id IN (SELECT value FROM json_each(:workspaces)) AND c.id > :after
           AND (:ids IS NULL OR c.id IN (SELECT value FROM json_each(:ids)))
           AND (:names IS NULL OR lower(c.name) IN (SELECT lower(value) FROM json_each(:names)))
           AND (:programs IS NULL OR lower(p.name) IN (SELECT lower(value) FROM json_each(:programs)))
           AND (:wsNames IS NULL OR lower(w.name) IN (SELECT lower(value) FROM json_each(:wsNames)))
           AND (:triggerable IS NULL OR (c.type = 'trigger' AND c.active = 1 AND c.requestable = 1) = :triggerable)
         ORDER BY c.id LIMIT :limit`,
      ),
      all: prepareOnUse<[], CampaignRow>(db, `SELECT ${COLUMNS} ORDER BY c.id`),
      byName: prepareOnUse<[string], CampaignRow>(
        db,
        `SELECT ${COLUMNS} WHERE lower(c.name) = lower(?) ORDER BY c.id LIMIT 1`,
      ),
      browse: prepareOnUse<
        {
          workspaces: string;
          folder: number | null;
          program: number | null;
          earliest: number | null;
          latest: number | null;
          active: number | null;
          offset: number;
          limit: number;
        },
        CampaignRow
      >(
        db,
        `SELECT ${COLUMNS}
         WHERE c.workspace_id IN (SELECT value FROM json_each(:workspaces))
           AND (:folder IS NULL OR c.folder_id = :folder) AND (:program IS NULL OR c.program_id = :program)
           AND (:earliest IS NULL OR c.updated_at >= :earliest) AND (:latest IS NULL OR c.updated_at <= :latest)
           AND (:active IS NULL OR c.active = :active)
         ORDER BY c.id LIMIT :limit OFFSET :offset`,
      ),
      hasRun: prepareOnUse<[number]>(db, 'SELECT 1 FROM campaign_members WHERE campaign_id = ? LIMIT 1'),
      insert: prepareOnUse<
        [
          number | null,
          string,
          string,
          string,
          number,
          number | null,
          number | null,
          number,
          number,
          string,
          number,
          number,
        ],
        { id: number }
      >(
        db,
        `INSERT INTO campaigns (id, name, description, type, workspace_id, program_id, folder_id, active, requestable,
           flow, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      ),
      touchMember: prepareOnUse<[number, number, number, number]>(
        db,
        `INSERT INTO campaign_members (campaign_id, lead_id, created_at, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (campaign_id, lead_id) DO UPDATE SET updated_at = excluded.updated_at`,
      ),
      membershipsOf: prepareOnUse<[number], CampaignMembership>(
        db,
        `SELECT m.campaign_id AS campaignId, c.workspace_id AS workspaceId, m.created_at AS createdAt,
           m.updated_at AS updatedAt
         FROM campaign_members m JOIN campaigns c ON c.id = m.campaign_id WHERE m.lead_id = ? ORDER BY m.campaign_id`,
      ),
      membersOf: prepareOnUse<[number], { leadId: number; createdAt: number; updatedAt: number }>(
        db,
        `SELECT lead_id AS leadId, created_at AS createdAt, updated_at AS updatedAt FROM campaign_members
         WHERE campaign_id = ? ORDER BY lead_id`,
      ),
      loadMember: prepareOnUse<[number, number, number, number]>(
        db,
        'INSERT INTO campaign_members (campaign_id, lead_id, created_at, updated_at) VALUES (?, ?, ?, ?)',
      ),
      moveMembers: prepareOnUse<[number, number]>(
        db,
        'UPDATE OR IGNORE campaign_members SET lead_id = ? WHERE lead_id = ?',
      ),
      dropMembers: prepareOnUse<[number]>(db, 'DELETE FROM campaign_members WHERE lead_id = ?'),
      update: prepareOnUse<[number, number, string, number, number]>(
        db,
        'UPDATE campaigns SET active = ?, requestable = ?, flow = ?, updated_at = ? WHERE id = ?',
      ),
      describe: prepareOnUse<[string, string, number, number]>(
        db,
        'UPDATE campaigns SET name = ?, description = ?, updated_at = ? WHERE id = ?',
      ),
      delete: prepareOnUse<[number]>(db, 'DELETE FROM campaigns WHERE id = ?'),
      nameInPlace: prepareOnUse<[number | null, number | null, string], { id: number }>(
        db,
        `SELECT id FROM campaigns WHERE program_id IS ? AND folder_id IS ? AND lower(name) = lower(?) LIMIT 1`,
      ),
    };
  }

  find(id: number): Campaign | undefined {
    const row = this.s.find.get(id);
    return row && campaignOf(row);
  }

  page(filter: CampaignFilter, afterId: number, limit: number): Campaign[] {
    return this.s.page
      .all({
        workspaces: JSON.stringify(filter.workspaceIds),
        ids: json(filter.ids),
        names: json(filter.names),
        programs: json(filter.programNames),
        wsNames: json(filter.workspaceNames),
        triggerable: filter.triggerable === undefined ? null : filter.triggerable ? 1 : 0,
        after: afterId,
        limit,
      })
      .map(campaignOf);
  }

  /** A campaign by name, without regard to case (the first, should two share it). */
  byName(name: string): Campaign | undefined {
    const row = this.s.byName.get(name);
    return row && campaignOf(row);
  }

  /** The Asset API's browse: by id, in a folder or program, updated within a range, active or not, by offset. */
  browse(query: PlacedBrowse & { active?: boolean }): Campaign[] {
    return this.s.browse
      .all({
        workspaces: JSON.stringify(query.workspaceIds),
        folder: query.folderId ?? null,
        program: query.programId ?? null,
        earliest: query.earliest ?? null,
        latest: query.latest ?? null,
        active: query.active === undefined ? null : query.active ? 1 : 0,
        offset: query.offset,
        limit: query.limit,
      })
      .map(campaignOf);
  }

  /** Whether the campaign has run for any lead. */
  hasRun(id: number): boolean {
    return this.s.hasRun.get(id) !== undefined;
  }

  all(): Campaign[] {
    return this.s.all.all().map(campaignOf);
  }

  insert(campaign: NewCampaign): number {
    const now = this.clock.now();
    const createdAt = campaign.createdAt ?? now;
    return this.s.insert.get(
      campaign.id ?? null,
      campaign.name,
      campaign.description ?? '',
      campaign.type,
      campaign.workspaceId,
      campaign.programId ?? null,
      campaign.folderId ?? null,
      campaign.active ? 1 : 0,
      campaign.requestable ? 1 : 0,
      JSON.stringify(campaign.flow),
      createdAt,
      campaign.updatedAt ?? createdAt,
    )!.id;
  }

  /** A campaign with its own smart list (in its place, named as it), in the caller's transaction. */
  create(campaign: NewCampaign, smartList: { id?: number | null; rules: SmartListRules }): number {
    const id = this.insert(campaign);
    const created = this.find(id)!;
    this.smartLists.insert({
      id: smartList.id ?? null,
      name: created.name,
      workspaceId: created.workspaceId,
      programId: created.programId,
      folderId: created.folderId,
      campaignId: id,
      rules: withRequestTrigger(smartList.rules, created),
      createdAt: created.createdAt,
      updatedAt: created.updatedAt,
    });
    return id;
  }

  /** What the admin plane may change: whether it runs, what it listens to, what it does (its smart list apart). */
  update(id: number, change: Pick<Campaign, 'active' | 'requestable' | 'flow'>, rules?: SmartListRules): void {
    this.s.update.run(
      change.active ? 1 : 0,
      change.requestable ? 1 : 0,
      JSON.stringify(change.flow),
      this.clock.now(),
      id,
    );
    const own = this.smartLists.ofCampaign(id);
    const campaign = this.find(id);
    if (!own || !campaign) return;
    const next = withRequestTrigger(rules ?? own.rules, campaign);
    if (JSON.stringify(next) !== JSON.stringify(own.rules)) this.smartLists.setRules(own.id, next);
  }

  /** Update Smart Campaign: its name and description (its own smart list takes the name). */
  describe(id: number, name: string, description: string): void {
    this.s.describe.run(name, description, this.clock.now(), id);
    const own = this.smartLists.ofCampaign(id);
    if (own && own.name !== name) this.smartLists.rename(own.id, name);
  }

  /** Delete Smart Campaign: its smart list and memberships go with it (foreign keys). */
  delete(id: number): void {
    this.s.delete.run(id);
  }

  /** The campaign of that name in the folder or program, without regard to case. */
  nameInPlace(place: { programId?: number | null; folderId?: number | null }, name: string): number | undefined {
    return this.s.nameInPlace.get(place.programId ?? null, place.folderId ?? null, name)?.id;
  }

  /** The campaign ran for the leads (now): a new membership for each, or its updatedAt moved on. */
  touchMembers(campaignId: number, leadIds: readonly number[]): void {
    const now = this.clock.now();
    for (const leadId of leadIds) this.s.touchMember.run(campaignId, leadId, now, now);
  }

  membershipsOf(leadId: number): CampaignMembership[] {
    return this.s.membershipsOf.all(leadId);
  }

  membersOf(campaignId: number): { leadId: number; createdAt: number; updatedAt: number }[] {
    return this.s.membersOf.all(campaignId);
  }

  loadMember(campaignId: number, member: { leadId: number; createdAt: number; updatedAt: number }): void {
    this.s.loadMember.run(campaignId, member.leadId, member.createdAt, member.updatedAt);
  }

  /** A merge: the loser's memberships go to the winner, where the winner has none of that campaign. */
  moveMembers(fromLeadId: number, toLeadId: number): void {
    this.s.moveMembers.run(toLeadId, fromLeadId);
    this.s.dropMembers.run(fromLeadId);
  }

  /** The partitions a campaign's workspace sees: the leads it may act on. */
  partitionsOf(workspaceId: number): ReadonlySet<number> {
    return new Set(this.core.workspaces.find(workspaceId)?.partitionIds ?? []);
  }
}
