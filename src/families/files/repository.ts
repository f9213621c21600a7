import type { Clock } from '../../clock.js';
import { type Database, prepareOnUse } from '../../storage/database.js';

/** A file as its record shows it, without its bytes. */
export interface FileRow {
  id: number;
  name: string;
  description: string;
  folderId: number;
  /** The folder's name (a workspace's zone shows the workspace's name). */
  folderName: string;
  workspaceId: number;
  mimeType: string;
  size: number;
  createdAt: number;
  updatedAt: number;
}

/** A file's bytes and the type it is served with. */
export interface FileContent {
  mimeType: string;
  content: Buffer;
}

interface Raw {
  id: number;
  name: string;
  description: string;
  folder_id: number;
  folder_name: string;
  workspace_id: number;
  mime_type: string;
  size: number;
  created_at: number;
  updated_at: number;
}

const COLUMNS = `d.id, d.name, d.description, d.folder_id,
  CASE WHEN f.parent_id IS NOT NULL AND f.folder_type = 'Zone' THEN w.name ELSE f.name END AS folder_name,
  d.workspace_id, d.mime_type, d.size, d.created_at, d.updated_at
  FROM files d JOIN asset_folders f ON f.id = d.folder_id JOIN workspaces w ON w.id = d.workspace_id`;

const toRow = (raw: Raw): FileRow => ({
  id: raw.id,
  name: raw.name,
  description: raw.description,
  folderId: raw.folder_id,
  folderName: raw.folder_name,
  workspaceId: raw.workspace_id,
  mimeType: raw.mime_type,
  size: raw.size,
  createdAt: raw.created_at,
  updatedAt: raw.updated_at,
});

/** Files (files.md): their records and their bytes, in one table. */
export class FileRepository {
  private readonly s;

  constructor(
    db: Database,
    private readonly clock: Clock,
  ) {
    this.s = {
      find: prepareOnUse<[number], Raw>(db, `SELECT ${COLUMNS} WHERE d.id = ?`),
      byName: prepareOnUse<[string], Raw>(db, `SELECT ${COLUMNS} WHERE d.name = ?`),
      browse: prepareOnUse<{ workspaces: string; folder: number | null; limit: number; offset: number }, Raw>(
        db,
        `SELECT ${COLUMNS} WHERE d.workspace_id IN (SELECT value FROM json_each(@workspaces))
           AND (@folder IS NULL OR d.folder_id = @folder)
         ORDER BY d.id LIMIT @limit OFFSET @offset`,
      ),
      all: prepareOnUse<[], Raw>(db, `SELECT ${COLUMNS} ORDER BY d.id`),
      content: prepareOnUse<[number], { mime_type: string; content: Buffer }>(
        db,
        'SELECT mime_type, content FROM files WHERE id = ?',
      ),
      insert: prepareOnUse<
        [number | null, string, string, number, number, string, number, number, number, Buffer],
        { id: number }
      >(
        db,
        `INSERT INTO files
           (id, name, description, folder_id, workspace_id, mime_type, size, created_at, updated_at, content)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      ),
      replace: prepareOnUse<[string, number, string, number, Buffer, number]>(
        db,
        'UPDATE files SET mime_type = ?, size = ?, description = ?, updated_at = ?, content = ? WHERE id = ?',
      ),
    };
  }

  find(id: number): FileRow | undefined {
    const raw = this.s.find.get(id);
    return raw && toRow(raw);
  }

  /** The file of that name, without regard to case: names are unique in a subscription. */
  byName(name: string): FileRow | undefined {
    const raw = this.s.byName.get(name);
    return raw && toRow(raw);
  }

  browse(filter: { workspaceIds: readonly number[]; folderId?: number | undefined; offset: number; limit: number }) {
    return this.s.browse
      .all({
        workspaces: JSON.stringify(filter.workspaceIds),
        folder: filter.folderId ?? null,
        limit: filter.limit,
        offset: filter.offset,
      })
      .map(toRow);
  }

  all(): FileRow[] {
    return this.s.all.all().map(toRow);
  }

  content(id: number): FileContent | undefined {
    const raw = this.s.content.get(id);
    return raw && { mimeType: raw.mime_type, content: raw.content };
  }

  insert(file: {
    id?: number | null;
    name: string;
    description: string;
    folderId: number;
    workspaceId: number;
    mimeType: string;
    content: Buffer;
    createdAt?: number;
    updatedAt?: number;
  }): number {
    const createdAt = file.createdAt ?? this.clock.now();
    return this.s.insert.get(
      file.id ?? null,
      file.name,
      file.description,
      file.folderId,
      file.workspaceId,
      file.mimeType,
      file.content.length,
      createdAt,
      file.updatedAt ?? createdAt,
      file.content,
    )!.id;
  }

  /** New bytes (and type) for a file, and its description when one is given. */
  replaceContent(row: FileRow, change: { mimeType: string; content: Buffer; description?: string | undefined }) {
    this.s.replace.run(
      change.mimeType,
      change.content.length,
      change.description ?? row.description,
      this.clock.now(),
      change.content,
      row.id,
    );
  }
}
