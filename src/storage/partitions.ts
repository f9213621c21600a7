import type { CoreEvents } from '../domain/core-events.js';
import { ConflictError, NotFoundError } from '../domain/errors.js';
import { type Database, prepareOnUse } from './database.js';
import type { ReferenceGuard } from './references.js';
import { isUniqueViolation } from './sqlite-errors.js';

import { DEFAULT_PARTITION_ID, type Partition } from '../domain/model.js';

export type { Partition };

export class PartitionRepository {
  private readonly selectAll;
  private readonly selectById;
  private readonly selectByName;
  private readonly insert;
  private readonly updateRow;
  private readonly deleteRow;

  constructor(
    private readonly db: Database,
    private readonly events: CoreEvents,
    private readonly guard: ReferenceGuard,
  ) {
    this.selectAll = prepareOnUse<[], Partition>(db, 'SELECT id, name, description FROM partitions ORDER BY id');
    this.selectById = prepareOnUse<[number], Partition>(
      db,
      'SELECT id, name, description FROM partitions WHERE id = ?',
    );
    this.selectByName = prepareOnUse<[string], Partition>(
      db,
      'SELECT id, name, description FROM partitions WHERE name = ?',
    );
    this.insert = prepareOnUse<[string, string], { id: number }>(
      db,
      'INSERT INTO partitions (name, description) VALUES (?, ?) RETURNING id',
    );
    this.updateRow = prepareOnUse<[string, string, number]>(
      db,
      'UPDATE partitions SET name = ?, description = ? WHERE id = ?',
    );
    this.deleteRow = prepareOnUse<[number]>(db, 'DELETE FROM partitions WHERE id = ?');
  }

  list(): Partition[] {
    return this.selectAll.all();
  }

  find(id: number): Partition | undefined {
    return this.selectById.get(id);
  }

  get(id: number): Partition {
    const partition = this.find(id);
    if (!partition) throw new NotFoundError('Partition', id);
    return partition;
  }

  findByName(name: string): Partition | undefined {
    return this.selectByName.get(name);
  }

  create(input: { name: string; description?: string }): Partition {
    return this.db.transaction(() => {
      let id: number;
      try {
        id = this.insert.get(input.name, input.description ?? '')!.id;
      } catch (error) {
        if (isUniqueViolation(error)) throw new ConflictError(`A partition named "${input.name}" already exists`);
        throw error;
      }
      const partition = this.get(id);
      this.events.partitionCreated(partition);
      return partition;
    })();
  }

  update(id: number, patch: { name?: string; description?: string }): Partition {
    const current = this.get(id);
    try {
      this.updateRow.run(patch.name ?? current.name, patch.description ?? current.description, id);
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError(`A partition named "${patch.name}" already exists`);
      throw error;
    }
    return this.get(id);
  }

  delete(id: number): void {
    this.get(id);
    if (id === DEFAULT_PARTITION_ID) throw new ConflictError('The Default partition cannot be deleted');
    this.db.transaction(() => {
      this.events.partitionDeleting(id);
      this.guard.assertUnreferenced('partitions', id, `Partition ${id}`);
      this.guard.deleteOrConflict(`Partition ${id}`, () => this.deleteRow.run(id));
    })();
  }
}
