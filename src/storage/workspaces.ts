import type { CoreEvents } from '../domain/core-events.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../domain/errors.js';
import { type Database, prepareOnUse } from './database.js';
import type { ReferenceGuard } from './references.js';
import { isUniqueViolation } from './sqlite-errors.js';

import { DEFAULT_WORKSPACE_ID, type Workspace } from '../domain/model.js';

export type { Workspace };

interface WorkspaceRow {
  id: number;
  name: string;
  description: string;
  partition_ids: string | null;
}

const SELECT_WORKSPACE = `SELECT w.id, w.name, w.description,
  (SELECT group_concat(partition_id) FROM (SELECT partition_id FROM workspace_partitions
     WHERE workspace_id = w.id ORDER BY partition_id)) AS partition_ids
  FROM workspaces w`;

function toWorkspace(row: WorkspaceRow): Workspace {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    partitionIds: row.partition_ids ? row.partition_ids.split(',').map(Number) : [],
  };
}

export class WorkspaceRepository {
  private readonly selectAll;
  private readonly selectById;
  private readonly insert;
  private readonly updateRow;
  private readonly deleteRow;
  private readonly clearPartitions;
  private readonly attachPartition;
  private readonly partitionExists;
  private readonly grantsIn;

  constructor(
    private readonly db: Database,
    private readonly events: CoreEvents,
    private readonly guard: ReferenceGuard,
  ) {
    this.selectAll = prepareOnUse<[], WorkspaceRow>(db, `${SELECT_WORKSPACE} ORDER BY w.id`);
    this.selectById = prepareOnUse<[number], WorkspaceRow>(db, `${SELECT_WORKSPACE} WHERE w.id = ?`);
    this.insert = prepareOnUse<[string, string], { id: number }>(
      db,
      'INSERT INTO workspaces (name, description) VALUES (?, ?) RETURNING id',
    );
    this.updateRow = prepareOnUse<[string, string, number]>(
      db,
      'UPDATE workspaces SET name = ?, description = ? WHERE id = ?',
    );
    this.deleteRow = prepareOnUse<[number]>(db, 'DELETE FROM workspaces WHERE id = ?');
    this.clearPartitions = prepareOnUse<[number]>(db, 'DELETE FROM workspace_partitions WHERE workspace_id = ?');
    this.attachPartition = prepareOnUse<[number, number]>(
      db,
      'INSERT OR IGNORE INTO workspace_partitions (workspace_id, partition_id) VALUES (?, ?)',
    );
    this.partitionExists = prepareOnUse<[number], { id: number }>(db, 'SELECT id FROM partitions WHERE id = ?');
    this.grantsIn = prepareOnUse<[number], { n: number }>(
      db,
      'SELECT count(*) AS n FROM user_roles WHERE workspace_id = ?',
    );
  }

  list(): Workspace[] {
    return this.selectAll.all().map(toWorkspace);
  }

  find(id: number): Workspace | undefined {
    const row = this.selectById.get(id);
    return row && toWorkspace(row);
  }

  get(id: number): Workspace {
    const workspace = this.find(id);
    if (!workspace) throw new NotFoundError('Workspace', id);
    return workspace;
  }

  create(input: { name: string; description?: string; partitionIds?: number[] }): Workspace {
    return this.db.transaction(() => {
      let id: number;
      try {
        id = this.insert.get(input.name, input.description ?? '')!.id;
      } catch (error) {
        if (isUniqueViolation(error)) throw new ConflictError(`A workspace named "${input.name}" already exists`);
        throw error;
      }
      this.setPartitions(id, input.partitionIds ?? []);
      const workspace = this.get(id);
      this.events.workspaceCreated(workspace);
      return workspace;
    })();
  }

  update(id: number, patch: { name?: string; description?: string; partitionIds?: number[] }): Workspace {
    return this.db.transaction(() => {
      const current = this.get(id);
      try {
        this.updateRow.run(patch.name ?? current.name, patch.description ?? current.description, id);
      } catch (error) {
        if (isUniqueViolation(error)) throw new ConflictError(`A workspace named "${patch.name}" already exists`);
        throw error;
      }
      if (patch.partitionIds) this.setPartitions(id, patch.partitionIds);
      return this.get(id);
    })();
  }

  delete(id: number): void {
    this.get(id);
    if (id === DEFAULT_WORKSPACE_ID) throw new ConflictError('The Default workspace cannot be deleted');
    // Grants name a workspace without a foreign key (0 means all workspaces), so they are checked here.
    const grants = this.grantsIn.get(id)!.n;
    if (grants > 0) {
      throw new ConflictError(`Workspace ${id} is used by ${grants} role grant(s); remove them from the users first`);
    }
    this.db.transaction(() => {
      this.events.workspaceDeleting(id);
      this.guard.assertUnreferenced('workspaces', id, `Workspace ${id}`);
      this.guard.deleteOrConflict(`Workspace ${id}`, () => this.deleteRow.run(id));
    })();
  }

  private setPartitions(workspaceId: number, partitionIds: number[]): void {
    const missing = partitionIds.filter((partitionId) => !this.partitionExists.get(partitionId));
    if (missing.length > 0) {
      throw new InvalidInputError(
        'Unknown partition id(s)',
        missing.map((partitionId) => ({
          path: `partitionIds[${partitionIds.indexOf(partitionId)}]`,
          message: `partition ${partitionId} does not exist`,
        })),
      );
    }
    this.clearPartitions.run(workspaceId);
    for (const partitionId of partitionIds) this.attachPartition.run(workspaceId, partitionId);
  }
}
