import { formatAssetDatetime } from '../../domain/datetime.js';
import { CHANNEL_PROGRAM_TYPES, PROGRAM_FOLDER_TYPES, type ProgramType, type ProgressionStatus } from './rules.js';
import {
  type AssetRepository,
  type ChannelRow,
  folderName,
  type FolderRow,
  isTreeRoot,
  type ProgramRow,
  type TagTypeRow,
} from './repository.js';

// Records -------------------------------------------------------------------------------------------------------

export function folderRecord(row: FolderRow, path: string) {
  return {
    id: row.id,
    // A zone shows its workspace's name (`/Marketing Activities/Default` is folder "Default").
    name: folderName(row),
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

/**
 * The My Tokens page of a folder or program, a token's `computedUrl` (tokens.md: "https://app-abm.marketo.com/#MF1047C3").
 * Decision (README): `#MF<folder id>C3` for a folder's, `#PG<program id>C3` for a program's.
 */
export function tokensUrl(pod: string, owner: { folderId: number | null; programId: number | null }): string {
  return owner.folderId !== null
    ? `https://app-${pod}.marketo.com/#MF${owner.folderId}C3`
    : `https://app-${pod}.marketo.com/#PG${owner.programId}C3`;
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
    applicableProgramType: CHANNEL_PROGRAM_TYPES[row.applicable_program_type as ProgramType],
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
 * The folders and programs of `workspaceIds`, depth first from each root (the two tree roots, `/Marketing
 * Activities` and `/Design Studio`, or `root`), down to `maxDepth` levels below it; siblings by id, folders before
 * programs. Below a tree root, only the zones of `workspaceIds`.
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
    for (const child of children.get(node.row.id) ?? []) {
      visit(child, `${path}/${child.kind === 'Folder' ? folderName(child.row) : child.row.name}`, depth + 1);
    }
  };
  if (options.root) {
    const root = options.root;
    const path =
      root.kind === 'Folder'
        ? repo.folderPath(root.row)
        : `${repo.folderPath(repo.folder(root.row.folder_id)!)}/${root.row.name}`;
    visit(root, path, 0);
  } else {
    for (const row of folders) if (isTreeRoot(row)) visit({ kind: 'Folder', row }, `/${row.tree}`, 0);
  }
  return placed;
}
