import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  formatAssetDatetime,
  parseObjectParam,
  PROGRAM_FOLDER_TYPES,
  type ProgressionStatus,
} from './rules.js';
import { MarketoError } from '../../domain/errors.js';
import { DETAIL_MESSAGES, formatMessage, marketoMessage } from '../../domain/marketo-codes.js';
import type { PermissionKey } from '../../domain/permissions.js';
import type { AssetRepository, ChannelRow, FolderRow, ProgramRow, TagTypeRow } from './repository.js';

export const READ: readonly PermissionKey[] = ['read-only-assets', 'read-write-assets'];
export const WRITE: readonly PermissionKey[] = ['read-write-assets'];

/** Asset browse paging: `offset` and `maxReturn` (default 20, at most 200; assets.md). */
export const MAX_RETURN = 200;
export const pagingShape = {
  offset: z.coerce.number().int().min(0).default(0),
  maxReturn: z.coerce.number().int().min(1).max(MAX_RETURN).default(20),
};

/** Asset datetimes in queries: ISO 8601, with or without the `+0000` Marketo appends. */
export const datetimeParam = z
  .string()
  .transform((value, context) => {
    const ms = Date.parse(value.replace(/Z\+0000$/, 'Z'));
    if (Number.isNaN(ms)) {
      context.addIssue({ code: 'custom', message: 'must be an ISO 8601 date-time' });
      return z.NEVER;
    }
    return ms;
  })
  .optional();

/** An object parameter: an object (JSON body) or its text (JSON, or marketorestpython's Python repr). */
export function objectParam<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (typeof value === 'string' ? (parseObjectParam(value) ?? value) : value), schema);
}

const folderType = z
  .string()
  .transform((value) => value.charAt(0).toUpperCase() + value.slice(1).toLowerCase())
  .pipe(z.enum(['Folder', 'Program']));

/** `{"id":12,"type":"Folder"}`: a folder or a program as a folder (the Folder definition of swagger-asset.json). */
export const folderRef = objectParam(
  z.preprocess(
    // A bare id is a folder.
    (value) => (typeof value === 'number' ? { id: value, type: 'Folder' } : value),
    z.object({ id: z.coerce.number().int().positive(), type: folderType }),
  ),
).meta({ description: 'JSON object {"id": 12, "type": "Folder"} (type Folder or Program)' });

export const folderTypeParam = folderType;

/** Booleans as forms and clients send them: true/false, True/False (Python), 1/0. */
export const booleanParam = z.preprocess((value) => {
  if (typeof value !== 'string') return value;
  const lower = value.toLowerCase();
  return lower === 'true' || lower === '1' ? true : lower === 'false' || lower === '0' ? false : value;
}, z.boolean());

/**
 * The parameters of an asset write: Marketo reads them from the form body, and marketorestpython sends some in the
 * query string of a POST without a body; both are read, the body winning.
 */
export function writeParams<T extends z.ZodType>(schema: T, request: FastifyRequest): z.infer<T> {
  const body = request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {};
  const merged = { ...(request.query as Record<string, unknown>), ...body };
  const parsed = schema.safeParse(merged);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const name = String(issue.path[0] ?? 'request');
  if (issue.code === 'invalid_type' && merged[name] === undefined) {
    throw new MarketoError('701', marketoMessage('701', name));
  }
  throw new MarketoError('1003', `Invalid value for ${issue.path.join('.') || name}: ${issue.message}`);
}

/** Documents a write's form parameters; the handler reads them from the body and the query (writeParams). */
export const formBody = <T extends z.ZodObject>(schema: T) => objectParam(schema.partial()).nullish();

/** The workspaces where the caller holds Read-Only or Read-Write Assets, and where Read-Write. */
export interface AssetScope {
  readable: ReadonlySet<number>;
  writable: ReadonlySet<number>;
}

export function scopeOf(request: FastifyRequest): AssetScope {
  return {
    readable: new Set(request.access!.workspaces('read', 'assets')),
    writable: new Set(request.access!.workspaces('write', 'assets')),
  };
}

/**
 * The per-workspace rule (README, "Decisions"; custom-services.md: "a user can read or write an asset when the user
 * has a role with the required permission in the asset's workspace"). Adobe documents no answer for the rest; ours:
 * an asset in a workspace the caller cannot read is absent (the "No assets found" warning, by id too), and a
 * create into, update, delete or approve in a workspace where the caller cannot write is a response-level 603.
 */
export function canSee(scope: AssetScope, workspaceId: number): boolean {
  return scope.readable.has(workspaceId);
}

export function assertWritable(scope: AssetScope, workspaceId: number): void {
  if (!scope.writable.has(workspaceId)) throw new MarketoError('603', marketoMessage('603'));
}

/**
 * Decision (README): a write naming an asset id that does not exist is 702 (ours: "Folder 12 not found"); one that
 * exists in a workspace the caller cannot write is 603 (assertWritable).
 */
export function notFound(scope: AssetScope, what: string, id: number, workspaceId: number | undefined): never {
  if (workspaceId !== undefined) assertWritable(scope, workspaceId);
  throw new MarketoError('702', formatMessage(DETAIL_MESSAGES.assetNotFound, what, id));
}

export function businessRule(template: string, ...details: (string | number)[]): MarketoError {
  return new MarketoError('709', formatMessage(template, ...details));
}

// Records -------------------------------------------------------------------------------------------------------

export function folderRecord(row: FolderRow, path: string) {
  return {
    id: row.id,
    // A root shows its workspace's name (`/Marketing Activities/Default` is folder "Default").
    name: row.parent_id === null ? row.workspace_name : row.name,
    description: row.description,
    createdAt: formatAssetDatetime(row.created_at),
    updatedAt: formatAssetDatetime(row.updated_at),
    url: null,
    folderId: { id: row.id, type: 'Folder' },
    folderType: row.folder_type,
    parent: row.parent_id === null ? null : { id: row.parent_id, type: 'Folder' },
    path,
    isArchive: row.is_archive === 1,
    isSystem: row.is_system === 1,
    accessZoneId: row.workspace_id,
    workspace: row.workspace_name,
  };
}

export function programAsFolderRecord(row: ProgramRow, path: string, url: string) {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    createdAt: formatAssetDatetime(row.created_at),
    updatedAt: formatAssetDatetime(row.updated_at),
    url,
    folderId: { id: row.id, type: 'Program' },
    folderType: PROGRAM_FOLDER_TYPES[row.type],
    parent: { id: row.folder_id, type: 'Folder' },
    path,
    isArchive: false,
    isSystem: false,
    accessZoneId: row.workspace_id,
    workspace: row.workspace_name,
  };
}

/** A program's page in the Marketo UI, as records carry it. */
export function programUrl(pod: string, id: number): string {
  return `https://app-${pod}.marketo.com/#PG${id}A1`;
}

export function programRecord(row: ProgramRow, pod: string) {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    createdAt: formatAssetDatetime(row.created_at),
    updatedAt: formatAssetDatetime(row.updated_at),
    url: programUrl(pod, row.id),
    type: row.type,
    channel: row.channel,
    folder: { type: 'Folder', value: row.folder_id, folderName: row.folder_name },
    status: row.status,
    workspace: row.workspace_name,
    headStart: false,
    tags: JSON.parse(row.tags) as unknown[],
    costs: JSON.parse(row.costs) as unknown[],
    ...(row.start_date !== null ? { startDate: row.start_date } : {}),
    ...(row.end_date !== null ? { endDate: row.end_date } : {}),
  };
}

export function channelRecord(row: ChannelRow) {
  return {
    id: row.id,
    name: row.name,
    applicableProgramType: row.applicable_program_type,
    progressionStatuses: JSON.parse(row.progression_statuses) as ProgressionStatus[],
    createdAt: formatAssetDatetime(row.created_at),
    updatedAt: formatAssetDatetime(row.updated_at),
  };
}

export function tagTypeRecord(row: TagTypeRow) {
  return {
    tagType: row.name,
    applicableProgramTypes: row.applicable_program_types,
    required: row.required === 1,
    allowableValues: (JSON.parse(row.allowable_values) as string[]).join(','),
  };
}

// The folder tree -------------------------------------------------------------------------------------------------

export type TreeNode = { kind: 'Folder'; row: FolderRow } | { kind: 'Program'; row: ProgramRow };

export interface Placed {
  node: TreeNode;
  path: string;
  depth: number;
}

/**
 * The folders and programs of `workspaceIds`, depth first from each root (the workspaces' root folders, or `root`),
 * down to `maxDepth` levels below it; siblings by id, folders before programs.
 */
export function walkTree(
  repo: AssetRepository,
  workspaceIds: readonly number[],
  options: { root?: TreeNode; maxDepth: number },
): Placed[] {
  const folders = repo.foldersIn(workspaceIds);
  const programs = repo.programsIn(workspaceIds);
  const children = new Map<number, TreeNode[]>();
  const add = (parentId: number, node: TreeNode) => {
    const list = children.get(parentId);
    if (list) list.push(node);
    else children.set(parentId, [node]);
  };
  for (const row of folders) if (row.parent_id !== null) add(row.parent_id, { kind: 'Folder', row });
  for (const row of programs) add(row.folder_id, { kind: 'Program', row });
  const placed: Placed[] = [];
  const visit = (node: TreeNode, path: string, depth: number) => {
    placed.push({ node, path, depth });
    if (node.kind !== 'Folder' || depth >= options.maxDepth) return;
    for (const child of children.get(node.row.id) ?? []) visit(child, `${path}/${child.row.name}`, depth + 1);
  };
  if (options.root) {
    const root = options.root;
    const path =
      root.kind === 'Folder'
        ? repo.folderPath(root.row)
        : `${repo.folderPath(repo.folder(root.row.folder_id)!)}/${root.row.name}`;
    visit(root, path, 0);
  } else {
    for (const row of folders) {
      if (row.parent_id === null) visit({ kind: 'Folder', row }, `/${row.tree}/${row.workspace_name}`, 0);
    }
  }
  return placed;
}
