import type { PlacedBrowse } from '../../engines/assets/params.js';
import type { Clock } from '../../clock.js';
import type { StaticListMembers } from '../../ports.js';
import { type Database, prepareOnUse } from '../../storage/database.js';

/** A static list row. */
export interface StaticList {
  id: number;
  workspaceId: number;
  workspaceName: string;
  /** Where it sits: a folder, or a program (exactly one of the two). */
  folderId: number | null;
  programId: number | null;
  programName: string | null;
  name: string;
  description: string;
  createdAt: number;
  updatedAt: number;
}

export interface ListFilter {
  workspaceIds: readonly number[];
  ids?: readonly number[];
  names?: readonly string[];
  workspaceNames?: readonly string[];
  programNames?: readonly string[];
}

const LIST_COLUMNS = `l.id AS id, l.workspace_id AS workspaceId, w.name AS workspaceName, l.folder_id AS folderId,
  l.program_id AS programId, p.name AS programName, l.name AS name, l.description AS description,
  l.created_at AS createdAt, l.updated_at AS updatedAt
  FROM static_lists l JOIN workspaces w ON w.id = l.workspace_id LEFT JOIN asset_programs p ON p.id = l.program_id`;

/**
 * Where a new list goes: a folder or a program, with that container's workspace; with neither, the workspace's
 * zone in Marketing Activities (`/Marketing Activities/<workspace>`).
 */
export interface ListPlace {
  workspaceId: number;
  folderId?: number;
  programId?: number;
}

const json = (values: readonly unknown[] | undefined): string | null => (values ? JSON.stringify(values) : null);

/** Static lists and their members (issue 15); the staticLists port adds what records activities (lists.ts). */
export class ListRepository implements Omit<StaticListMembers, 'addMembers'> {
  private readonly s;

  constructor(
    db: Database,
    private readonly clock: Clock,
  ) {
    this.s = {
      find: prepareOnUse<[number], StaticList>(db, `SELECT ${LIST_COLUMNS} WHERE l.id = ?`),
      page: prepareOnUse<
        {
          workspaces: string;
          ids: string | null;
          names: string | null;
          wsNames: string | null;
          programs: string | null;
          after: number;
          limit: number;
        },
        StaticList
      >(
        db,
        `SELECT ${LIST_COLUMNS}
         WHERE l.workspace_id IN (SELECT value FROM json_each(:workspaces))
           AND (:ids IS NULL OR l.id IN (SELECT value FROM json_each(:ids)))
           AND (:names IS NULL OR l.name IN (SELECT value FROM json_each(:names)))
           AND (:wsNames IS NULL OR lower(w.name) IN (SELECT lower(value) FROM json_each(:wsNames)))
           AND (:programs IS NULL OR lower(p.name) IN (SELECT lower(value) FROM json_each(:programs)))
           AND l.id > :after
         ORDER BY l.id LIMIT :limit`,
      ),
      browse: prepareOnUse<
        {
          workspaces: string;
          folder: number | null;
          program: number | null;
          earliest: number | null;
          latest: number | null;
          limit: number;
          offset: number;
        },
        StaticList
      >(
        db,
        `SELECT ${LIST_COLUMNS}
         WHERE l.workspace_id IN (SELECT value FROM json_each(:workspaces))
           AND (:folder IS NULL OR l.folder_id = :folder)
           AND (:program IS NULL OR l.program_id = :program)
           AND (:earliest IS NULL OR l.updated_at >= :earliest)
           AND (:latest IS NULL OR l.updated_at <= :latest)
         ORDER BY l.id LIMIT :limit OFFSET :offset`,
      ),
      byName: prepareOnUse<[string], StaticList>(db, `SELECT ${LIST_COLUMNS} WHERE l.name = ? ORDER BY l.id LIMIT 1`),
      inProgram: prepareOnUse<[number], StaticList>(db, `SELECT ${LIST_COLUMNS} WHERE l.program_id = ? ORDER BY l.id`),
      all: prepareOnUse<[], StaticList>(db, `SELECT ${LIST_COLUMNS} ORDER BY l.id`),
      insert: prepareOnUse<
        {
          id: number | null;
          workspace: number;
          folder: number | null;
          program: number | null;
          name: string;
          description: string;
          createdAt: number;
          updatedAt: number;
        },
        { id: number }
      >(
        db,
        `INSERT INTO static_lists (id, workspace_id, folder_id, program_id, name, description, created_at, updated_at)
         SELECT :id, :workspace, CASE WHEN :program IS NULL THEN coalesce(:folder, root.id) END, :program, :name,
                :description, :createdAt, :updatedAt
         FROM (SELECT (SELECT id FROM asset_folders WHERE workspace_id = :workspace AND parent_id IS NOT NULL
                         AND folder_type = 'Zone' AND tree = 'Marketing Activities') AS id) AS root
         RETURNING id`,
      ),
      update: prepareOnUse<[string, string, number, number]>(
        db,
        'UPDATE static_lists SET name = ?, description = ?, updated_at = ? WHERE id = ?',
      ),
      delete: prepareOnUse<[number]>(db, 'DELETE FROM static_lists WHERE id = ?'),
      moveMembers: prepareOnUse<[number, number]>(
        db,
        `INSERT OR IGNORE INTO static_list_members (list_id, lead_id, created_at)
         SELECT list_id, ?, created_at FROM static_list_members WHERE lead_id = ?`,
      ),
      members: prepareOnUse<[number, number, number], { leadId: number }>(
        db,
        'SELECT lead_id AS leadId FROM static_list_members WHERE list_id = ? AND lead_id > ? ORDER BY lead_id LIMIT ?',
      ),
      // The leads table is the leads family's: only its id and partition_id are read here, so a page of members
      // is found in SQL, without reading the members the caller cannot see one by one.
      visibleMembers: prepareOnUse<[number, number, string, number], { leadId: number }>(
        db,
        `SELECT m.lead_id AS leadId FROM static_list_members m JOIN leads l ON l.id = m.lead_id
         WHERE m.list_id = ? AND m.lead_id > ? AND l.partition_id IN (SELECT value FROM json_each(?))
         ORDER BY m.lead_id LIMIT ?`,
      ),
      allMembers: prepareOnUse<[number], { leadId: number }>(
        db,
        'SELECT lead_id AS leadId FROM static_list_members WHERE list_id = ? ORDER BY lead_id',
      ),
      countMembers: prepareOnUse<[number], { n: number }>(
        db,
        'SELECT count(*) AS n FROM static_list_members WHERE list_id = ?',
      ),
      isMember: prepareOnUse<[number, number], { one: number }>(
        db,
        'SELECT 1 AS one FROM static_list_members WHERE list_id = ? AND lead_id = ?',
      ),
      add: prepareOnUse<[number, number, number]>(
        db,
        'INSERT OR IGNORE INTO static_list_members (list_id, lead_id, created_at) VALUES (?, ?, ?)',
      ),
      remove: prepareOnUse<[number, number]>(db, 'DELETE FROM static_list_members WHERE list_id = ? AND lead_id = ?'),
      listsOf: prepareOnUse<[number], StaticList>(
        db,
        `SELECT ${LIST_COLUMNS} WHERE l.id IN (SELECT list_id FROM static_list_members WHERE lead_id = ?) ORDER BY l.id`,
      ),
    };
  }

  find(id: number): StaticList | undefined {
    return this.s.find.get(id);
  }

  /** Up to `limit` lists after `afterId`, in id order. */
  page(filter: ListFilter, afterId: number, limit: number): StaticList[] {
    return this.s.page.all({
      workspaces: JSON.stringify(filter.workspaceIds),
      ids: json(filter.ids),
      names: json(filter.names),
      wsNames: json(filter.workspaceNames),
      programs: json(filter.programNames),
      after: afterId,
      limit,
    });
  }

  /** The Asset API's browse, in id order. */
  browse(query: PlacedBrowse): StaticList[] {
    return this.s.browse.all({
      workspaces: JSON.stringify(query.workspaceIds),
      folder: query.folderId ?? null,
      program: query.programId ?? null,
      earliest: query.earliest ?? null,
      latest: query.latest ?? null,
      limit: query.limit,
      offset: query.offset,
    });
  }

  /** The list of that name (names are unique, without regard to case). */
  byName(name: string): StaticList | undefined {
    return this.s.byName.get(name);
  }

  /** The lists in a program, in id order. */
  inProgram(programId: number): StaticList[] {
    return this.s.inProgram.all(programId);
  }

  all(): StaticList[] {
    return this.s.all.all();
  }

  insert(
    list: ListPlace & {
      id?: number | null;
      name: string;
      description?: string;
      createdAt?: number;
      updatedAt?: number;
    },
  ): number {
    const createdAt = list.createdAt ?? this.clock.now();
    return this.s.insert.get({
      id: list.id ?? null,
      workspace: list.workspaceId,
      folder: list.folderId ?? null,
      program: list.programId ?? null,
      name: list.name,
      description: list.description ?? '',
      createdAt,
      updatedAt: list.updatedAt ?? createdAt,
    })!.id;
  }

  update(id: number, name: string, description: string): void {
    this.s.update.run(name, description, this.clock.now(), id);
  }

  /** Deletes the list; its memberships go with it (ON DELETE CASCADE). */
  delete(id: number): void {
    this.s.delete.run(id);
  }

  /** A merge: the loser's memberships become the winner's (before the loser is deleted). */
  moveMembers(fromLeadId: number, toLeadId: number): void {
    this.s.moveMembers.run(toLeadId, fromLeadId);
  }

  /** Member lead ids after `afterLeadId`, in id order. */
  members(listId: number, afterLeadId: number, limit: number): number[] {
    return this.s.members.all(listId, afterLeadId, limit).map((row) => row.leadId);
  }

  /** Up to `limit` member lead ids after `afterLeadId` whose leads are in `partitionIds`, in id order. */
  visibleMembers(listId: number, afterLeadId: number, partitionIds: readonly number[], limit: number): number[] {
    if (partitionIds.length === 0) return [];
    return this.s.visibleMembers.all(listId, afterLeadId, JSON.stringify(partitionIds), limit).map((row) => row.leadId);
  }

  workspaceOf(listId: number): number | undefined {
    return this.find(listId)?.workspaceId;
  }

  count(listId: number): number {
    return this.s.countMembers.get(listId)!.n;
  }

  /** Every member's lead id, in id order. */
  leadIds(listId: number): number[] {
    return this.s.allMembers.all(listId).map((row) => row.leadId);
  }

  isMember(listId: number, leadId: number): boolean {
    return this.s.isMember.get(listId, leadId) !== undefined;
  }

  /** `at`: when the lead joined (the clock's now when absent). Answers whether it joined (false: a member already). */
  add(listId: number, leadId: number, at: number = this.clock.now()): boolean {
    return this.s.add.run(listId, leadId, at).changes > 0;
  }

  /** Answers whether the lead left (false: it was not a member). */
  remove(listId: number, leadId: number): boolean {
    return this.s.remove.run(listId, leadId).changes > 0;
  }

  listsOf(leadId: number): StaticList[] {
    return this.s.listsOf.all(leadId);
  }
}
