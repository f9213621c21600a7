import type { Clock } from '../clock.js';
import { type Database, prepareOnUse } from './database.js';

/** A static list row. */
export interface StaticList {
  id: number;
  workspaceId: number;
  workspaceName: string;
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
}

const LIST_COLUMNS = `l.id AS id, l.workspace_id AS workspaceId, w.name AS workspaceName, l.name AS name,
  l.description AS description, l.created_at AS createdAt, l.updated_at AS updatedAt
  FROM static_lists l JOIN workspaces w ON w.id = l.workspace_id`;

const json = (values: readonly unknown[] | undefined): string | null => (values ? JSON.stringify(values) : null);

/** Static lists and their members (issue 15). */
export class ListRepository {
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
           AND l.id > :after
         ORDER BY l.id LIMIT :limit`,
      ),
      all: prepareOnUse<[], StaticList>(db, `SELECT ${LIST_COLUMNS} ORDER BY l.id`),
      insert: prepareOnUse<[number | null, number, string, string, number, number], { id: number }>(
        db,
        'INSERT INTO static_lists (id, workspace_id, name, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id',
      ),
      members: prepareOnUse<[number, number, number], { leadId: number }>(
        db,
        'SELECT lead_id AS leadId FROM static_list_members WHERE list_id = ? AND lead_id > ? ORDER BY lead_id LIMIT ?',
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
      after: afterId,
      limit,
    });
  }

  all(): StaticList[] {
    return this.s.all.all();
  }

  insert(list: {
    id?: number | null;
    workspaceId: number;
    name: string;
    description?: string;
    createdAt?: number;
  }): number {
    const at = list.createdAt ?? this.clock.now();
    return this.s.insert.get(list.id ?? null, list.workspaceId, list.name, list.description ?? '', at, at)!.id;
  }

  /** Member lead ids after `afterLeadId`, in id order. */
  members(listId: number, afterLeadId: number, limit: number): number[] {
    return this.s.members.all(listId, afterLeadId, limit).map((row) => row.leadId);
  }

  allMembers(listId: number): number[] {
    return this.s.allMembers.all(listId).map((row) => row.leadId);
  }

  countMembers(listId: number): number {
    return this.s.countMembers.get(listId)!.n;
  }

  isMember(listId: number, leadId: number): boolean {
    return this.s.isMember.get(listId, leadId) !== undefined;
  }

  add(listId: number, leadId: number): void {
    this.s.add.run(listId, leadId, this.clock.now());
  }

  remove(listId: number, leadId: number): void {
    this.s.remove.run(listId, leadId);
  }

  listsOf(leadId: number): StaticList[] {
    return this.s.listsOf.all(leadId);
  }
}
