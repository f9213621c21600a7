import type { FastifyRequest } from 'fastify';
import { requestIdValue } from '../../domain/record-ids.js';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MAX_TOKEN_NAME, TOKEN_TYPES, tokenValueProblem } from './rules.js';
import { MarketoError } from '../../domain/errors.js';
import { DETAIL_MESSAGES, formatMessage, marketoMessage } from '../../domain/marketo-codes.js';
import type { FamilyRouteOptions } from '../../family.js';
import { envelopeOf } from '../../http/marketo-schemas.js';
import { assetEnvelope } from '../../http/wire-formats.js';
import { type AssetRepository, folderName, isTreeRoot, type TokenOwner } from './repository.js';
import { folderRecord, programAsFolderRecord, programUrl, tokensUrl, type TreeNode, walkTree } from './support.js';
import {
  assertWritable,
  WRITE,
  type AssetScope,
  canSee,
  notFound,
  scopeOf,
  businessRule,
  READ,
} from '../../engines/assets/scope.js';
import {
  booleanParam,
  writeParams,
  pagingShape,
  folderRef,
  folderTypeParam,
  formBody,
} from '../../engines/assets/params.js';

const tags = ['Marketo: Folders'];
const tokenTags = ['Marketo: Tokens'];

const folderSchema = z.record(z.string(), z.unknown()).describe('Folder (FolderResponse)').meta({ id: 'AssetFolder' });
const folderEnvelope = envelopeOf(folderSchema);
const idResultEnvelope = envelopeOf(z.object({ id: z.number().int() }));
const contentEnvelope = envelopeOf(
  z
    .object({ id: z.number().int(), type: z.string().describe('Folder, Program, Static List …') })
    .meta({ id: 'FolderContent', description: 'FolderContentResponse' }),
);
const tokenEnvelope = envelopeOf(
  z
    .object({
      folder: z.object({ type: z.enum(['Folder', 'Program']), value: z.number().int(), id: z.number().int() }),
      tokens: z.array(z.object({ name: z.string(), type: z.string(), value: z.string(), computedUrl: z.string() })),
    })
    .meta({ id: 'Tokens', description: 'TokenResponse' }),
);

const idParams = z.object({ id: requestIdValue });

const browseQuery = z.object({
  root: folderRef.optional(),
  // folders.md: "A value of 0 returns only the folder specified by root. The default is 2."
  maxDepth: z.coerce.number().int().min(0).max(100).default(2).describe('Levels below the root; default 2'),
  workSpace: z.string().optional().describe('Workspace name'),
  ...pagingShape,
});
const byIdQuery = z.object({ type: folderTypeParam });
const byNameQuery = z.object({
  name: z.string().min(1),
  type: folderTypeParam.optional(),
  root: folderRef.optional(),
  workSpace: z.string().optional(),
});
const contentQuery = z.object({ type: folderTypeParam, ...pagingShape });

const createParams = z.object({
  name: z.string().trim().min(1).max(255),
  parent: folderRef,
  description: z.string().max(2000).optional(),
});
const updateParams = z.object({
  type: folderTypeParam.default('Folder'),
  name: z.string().trim().min(1).max(255).optional(),
  description: z.string().max(2000).optional(),
  isArchive: booleanParam.optional(),
});
const deleteParams = z.object({ type: folderTypeParam.default('Folder') });

const tokensQuery = z.object({ folderType: folderTypeParam.default('Folder') });
const tokenParams = z.object({
  folderType: folderTypeParam.default('Folder'),
  name: z.string().trim().min(1).max(MAX_TOKEN_NAME),
  type: z.enum(TOKEN_TYPES),
  value: z.string(),
});
const deleteTokenParams = z.object({
  folderType: folderTypeParam.default('Folder'),
  name: z.string().trim().min(1).max(MAX_TOKEN_NAME),
  type: z.enum(TOKEN_TYPES),
});

/** Folders and their My Tokens (Asset API; marketo-reference.md §8). */
export const folderRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<AssetRepository>> = async (
  app,
  { repo: assetsOf },
) => {
  /** A folder or a program as a tree node, if it exists and the caller may see it. */
  const visibleNode = (
    assets: AssetRepository,
    scope: AssetScope,
    id: number,
    type: 'Folder' | 'Program',
  ): TreeNode | undefined => {
    if (type === 'Folder') {
      const row = assets.folder(id);
      // The tree roots are above every workspace: visible to every caller with an asset permission (issue 23).
      return row && (isTreeRoot(row) || canSee(scope, row.workspace_id)) ? { kind: 'Folder', row } : undefined;
    }
    const row = assets.program(id);
    return row && canSee(scope, row.workspace_id) ? { kind: 'Program', row } : undefined;
  };

  const nodeRecord = (pod: string, node: TreeNode, path: string) =>
    node.kind === 'Folder'
      ? folderRecord(node.row, path)
      : programAsFolderRecord(node.row, path, programUrl(pod, node.row.id));

  const pathOf = (assets: AssetRepository, node: TreeNode): string =>
    node.kind === 'Folder'
      ? assets.folderPath(node.row)
      : `${assets.folderPath(assets.folder(node.row.folder_id)!)}/${node.row.name}`;

  /** The workspaces a browse looks in: the readable ones, narrowed to `workSpace` when named. */
  const browseWorkspaces = (request: FastifyRequest, scope: AssetScope, workSpace: string | undefined): number[] => {
    if (workSpace === undefined) return [...scope.readable];
    const named = request.ctx.repos.workspaces.list().find((w) => w.name.toLowerCase() === workSpace.toLowerCase());
    return named && canSee(scope, named.id) ? [named.id] : [];
  };

  app.get(
    '/rest/asset/v1/folders.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Folders (browse)',
        description:
          'The folders and programs below `root` (default: every workspace root), `maxDepth` levels deep, in the ' +
          'workspaces the caller can read.',
        querystring: browseQuery,
        response: { 200: folderEnvelope },
      },
    },
    async (request) => {
      const pod = request.ctx.config.POD;
      const assets = assetsOf(request);
      const { root, maxDepth, workSpace, offset, maxReturn } = request.query;
      const scope = scopeOf(request);
      const workspaceIds = browseWorkspaces(request, scope, workSpace);
      // A workspace the caller cannot read (or none of that name): nothing of it, not even the roots above it.
      if (workSpace !== undefined && workspaceIds.length === 0) return assetEnvelope(request.marketoRequestId(), []);
      let rootNode: TreeNode | undefined;
      if (root) {
        rootNode = visibleNode(assets, scope, root.id, root.type);
        const aboveWorkspaces = rootNode?.kind === 'Folder' && isTreeRoot(rootNode.row);
        if (!rootNode || !(aboveWorkspaces || workspaceIds.includes(rootNode.row.workspace_id))) {
          return assetEnvelope(request.marketoRequestId(), []);
        }
      }
      const placed = walkTree(assets, workspaceIds, { ...(rootNode ? { root: rootNode } : {}), maxDepth });
      const page = placed.slice(offset, offset + maxReturn);
      return assetEnvelope(
        request.marketoRequestId(),
        page.map(({ node, path }) => nodeRecord(pod, node, path)),
      );
    },
  );

  app.get(
    '/rest/asset/v1/folder/byName.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Folder by Name',
        description:
          'Folders and programs named `name` (any case), optionally of `type`, below `root`, in `workSpace`.',
        querystring: byNameQuery,
        response: { 200: folderEnvelope },
      },
    },
    async (request) => {
      const pod = request.ctx.config.POD;
      const assets = assetsOf(request);
      const { name, type, root, workSpace } = request.query;
      const scope = scopeOf(request);
      const workspaceIds = browseWorkspaces(request, scope, workSpace);
      if (workSpace !== undefined && workspaceIds.length === 0) return assetEnvelope(request.marketoRequestId(), []);
      let rootNode: TreeNode | undefined;
      if (root) {
        rootNode = visibleNode(assets, scope, root.id, root.type);
        if (!rootNode) return assetEnvelope(request.marketoRequestId(), []);
      }
      // "Name performs an exact string match against the name field of folders" (folders.md); "Marketing
      // Activities and Design Studio are root folders. Retrieve either root by name" (the tree roots).
      const wanted = name;
      const found = walkTree(assets, workspaceIds, {
        ...(rootNode ? { root: rootNode } : {}),
        maxDepth: Number.MAX_SAFE_INTEGER,
      }).filter(({ node }) => {
        if (type !== undefined && node.kind !== type) return false;
        return (node.kind === 'Folder' ? folderName(node.row) : node.row.name) === wanted;
      });
      return assetEnvelope(
        request.marketoRequestId(),
        found.map(({ node, path }) => nodeRecord(pod, node, path)),
      );
    },
  );

  app.get(
    '/rest/asset/v1/folder/:id.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Folder by Id',
        params: idParams,
        querystring: byIdQuery,
        response: { 200: folderEnvelope },
      },
    },
    async (request) => {
      const pod = request.ctx.config.POD;
      const assets = assetsOf(request);
      const node = visibleNode(assets, scopeOf(request), request.params.id, request.query.type);
      return assetEnvelope(request.marketoRequestId(), node ? [nodeRecord(pod, node, pathOf(assets, node))] : []);
    },
  );

  app.get(
    '/rest/asset/v1/folder/:id/content.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Folder Contents',
        description:
          'What is directly in the folder or program, as {id, type}: folders, programs, then the other assets ' +
          '(Static List).',
        params: idParams,
        querystring: contentQuery,
        response: { 200: contentEnvelope },
      },
    },
    async (request) => {
      const assets = assetsOf(request);
      const { type, offset, maxReturn } = request.query;
      const scope = scopeOf(request);
      const node = visibleNode(assets, scope, request.params.id, type);
      // A program holds no folders or programs, but the assets in it (static lists).
      const items = node
        ? assets.contents({ kind: node.kind, id: node.row.id }, [...scope.readable], maxReturn, offset)
        : [];
      return assetEnvelope(request.marketoRequestId(), items);
    },
  );

  app.post(
    '/rest/asset/v1/folders.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Create Folder',
        description:
          'Form parameters `name`, `parent` ({"id":…,"type":"Folder"}; JSON or Python repr) and `description`; ' +
          'marketorestpython sends them in the query string.',
        body: formBody(createParams),
        response: { 200: folderEnvelope },
      },
    },
    async (request) => {
      const assets = assetsOf(request);
      const input = writeParams(createParams, request);
      const scope = scopeOf(request);
      if (input.parent.type === 'Program') {
        const program = assets.program(input.parent.id);
        if (!program) throw new MarketoError('710', marketoMessage('710'));
        assertWritable(scope, program.workspace_id);
        throw new MarketoError('711', formatMessage(DETAIL_MESSAGES.folderInProgram, 'Program', program.id));
      }
      const parent = assets.folder(input.parent.id);
      // Decision (README): a parent the caller cannot read is still there: creating into it is 603.
      if (!parent) throw new MarketoError('710', marketoMessage('710'));
      // Decision (README): a tree root holds the workspaces' zones only; folders go into a zone or below.
      if (isTreeRoot(parent)) throw businessRule(DETAIL_MESSAGES.treeRootHoldsWorkspaces, parent.id, parent.tree);
      assertWritable(scope, parent.workspace_id);
      if (assets.childByName(parent.id, input.name) !== undefined) {
        throw businessRule(DETAIL_MESSAGES.duplicateFolderName, input.name, parent.id);
      }
      const id = assets.insertFolder({
        workspaceId: parent.workspace_id,
        parentId: parent.id,
        tree: parent.tree,
        name: input.name,
        description: input.description ?? null,
      });
      const row = assets.folder(id)!;
      return assetEnvelope(request.marketoRequestId(), [folderRecord(row, assets.folderPath(row))]);
    },
  );

  app.post(
    '/rest/asset/v1/folder/:id.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Update Folder',
        description: 'Form parameters `type` (Folder), `name`, `description`, `isArchive`.',
        params: idParams,
        body: formBody(updateParams),
        response: { 200: folderEnvelope },
      },
    },
    async (request) => {
      const pod = request.ctx.config.POD;
      const assets = assetsOf(request);
      const input = writeParams(updateParams, request);
      const scope = scopeOf(request);
      const { id } = request.params;
      if (input.type === 'Program') {
        const program = assets.program(id);
        if (!program) notFound(scope, 'Program', id, undefined);
        assertWritable(scope, program!.workspace_id);
        if (input.name !== undefined && input.name.toLowerCase() !== program!.name.toLowerCase()) {
          if (assets.programByName(input.name)) throw businessRule(DETAIL_MESSAGES.duplicateProgramName, input.name);
        }
        assets.updateProgram(id, {
          name: input.name ?? program!.name,
          description: input.description ?? program!.description,
          tags: program!.tags,
          costs: program!.costs,
          startDate: program!.start_date,
          endDate: program!.end_date,
        });
        const node: TreeNode = { kind: 'Program', row: assets.program(id)! };
        return assetEnvelope(request.marketoRequestId(), [nodeRecord(pod, node, pathOf(assets, node))]);
      }
      const folder = assets.folder(id);
      if (!folder) notFound(scope, 'Folder', id, undefined);
      assertWritable(scope, folder!.workspace_id);
      if (folder!.is_system === 1) throw businessRule(DETAIL_MESSAGES.systemFolder, id);
      const name = input.name ?? folder!.name;
      if (name.toLowerCase() !== folder!.name.toLowerCase()) {
        const clash = assets.childByName(folder!.parent_id!, name);
        if (clash !== undefined) throw businessRule(DETAIL_MESSAGES.duplicateFolderName, name, folder!.parent_id!);
      }
      assets.updateFolder(id, {
        name,
        description: input.description ?? folder!.description,
        isArchive: input.isArchive ?? folder!.is_archive === 1,
      });
      const row = assets.folder(id)!;
      return assetEnvelope(request.marketoRequestId(), [folderRecord(row, assets.folderPath(row))]);
    },
  );

  app.post(
    '/rest/asset/v1/folder/:id/delete.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Delete Folder',
        description: 'Empty folders only (709 otherwise); its tokens go with it.',
        params: idParams,
        body: formBody(deleteParams),
        response: { 200: idResultEnvelope },
      },
    },
    async (request) => {
      const assets = assetsOf(request);
      const input = writeParams(deleteParams, request);
      const scope = scopeOf(request);
      const { id } = request.params;
      if (input.type === 'Program') {
        throw new MarketoError('711', formatMessage(DETAIL_MESSAGES.folderInProgram, 'Program', id));
      }
      const folder = assets.folder(id);
      if (!folder) notFound(scope, 'Folder', id, undefined);
      assertWritable(scope, folder!.workspace_id);
      // folders.md: only an empty folder (no assets, no subfolders) can be deleted, never a system folder or a program.
      // Decision (README): the refusal is 709 with a message naming why.
      if (folder!.is_system === 1) throw businessRule(DETAIL_MESSAGES.systemFolder, id);
      const counts = assets.childCounts(id);
      if (counts.folders > 0) throw businessRule(DETAIL_MESSAGES.folderNotEmpty, id);
      if (counts.programs > 0) throw businessRule(DETAIL_MESSAGES.folderHoldsPrograms, id);
      const held = assets.heldAssets(id);
      if (held.length > 0) throw businessRule(DETAIL_MESSAGES.folderHoldsAssets, id, held.join(', '));
      assets.deleteFolder(id);
      return assetEnvelope(request.marketoRequestId(), [{ id }]);
    },
  );

  // Tokens ------------------------------------------------------------------------------------------------------

  /** The owner of tokens a call names, with the folder whose ancestors it inherits from and its workspace. */
  const tokenOwner = (assets: AssetRepository, id: number, type: 'Folder' | 'Program') => {
    if (type === 'Folder') {
      const row = assets.folder(id);
      return (
        row && {
          owner: { folderId: id, programId: null },
          folderId: id,
          workspaceId: row.workspace_id,
          treeRoot: isTreeRoot(row),
        }
      );
    }
    const row = assets.program(id);
    return (
      row && {
        owner: { folderId: null, programId: id },
        folderId: row.folder_id,
        workspaceId: row.workspace_id,
        treeRoot: false,
      }
    );
  };

  /**
   * tokens.md shows the folder as `{"type": "Folder", "value": 416}`, Adobe's spec as `{"id": 1001, "type":
   * "Program"}`. Decision (README): both members, the same number, so a client written to either reads it.
   */
  const tokenResult = (
    request: FastifyRequest,
    id: number,
    type: 'Folder' | 'Program',
    owner: TokenOwner,
    folderId: number,
  ) => [
    {
      folder: { type, value: id, id },
      tokens: assetsOf(request)
        .tokensWithInherited(owner, folderId)
        .map(({ holder, ...token }) => ({ ...token, computedUrl: tokensUrl(request.ctx.config.POD, holder) })),
    },
  ];

  app.get(
    '/rest/asset/v1/folder/:id/tokens.json',
    {
      config: { permissions: READ },
      schema: {
        tags: tokenTags,
        summary: 'Get Tokens by Folder Id',
        description: "The folder's or program's own tokens and those inherited from the folders above it.",
        params: idParams,
        querystring: tokensQuery,
        response: { 200: tokenEnvelope },
      },
    },
    async (request) => {
      const assets = assetsOf(request);
      const { id } = request.params;
      const { folderType } = request.query;
      const found = tokenOwner(assets, id, folderType);
      if (!found || !(found.treeRoot || canSee(scopeOf(request), found.workspaceId))) {
        return assetEnvelope(request.marketoRequestId(), []);
      }
      return assetEnvelope(
        request.marketoRequestId(),
        tokenResult(request, id, folderType, found.owner, found.folderId),
      );
    },
  );

  app.post(
    '/rest/asset/v1/folder/:id/tokens.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags: tokenTags,
        summary: 'Create Token',
        description:
          'Creates the token, or updates the one of that name. Form parameters `folderType`, `name`, ' +
          '`type`, `value`.',
        params: idParams,
        body: formBody(tokenParams),
        response: { 200: tokenEnvelope },
      },
    },
    async (request) => {
      const assets = assetsOf(request);
      const input = writeParams(tokenParams, request);
      const scope = scopeOf(request);
      const { id } = request.params;
      const found = tokenOwner(assets, id, input.folderType);
      if (!found) notFound(scope, input.folderType, id, undefined);
      // A tree root's tokens would reach every workspace's programs: none are kept there (issue 23).
      if (found!.treeRoot) throw businessRule(DETAIL_MESSAGES.treeRootHoldsWorkspaces, id, assets.folder(id)!.tree);
      assertWritable(scope, found!.workspaceId);
      const problem = tokenValueProblem(input.type, input.value);
      if (problem) throw new MarketoError('1003', `Invalid value for value: ${problem}`);
      assets.upsertToken(found!.owner, { name: input.name, type: input.type, value: input.value });
      return assetEnvelope(
        request.marketoRequestId(),
        tokenResult(request, id, input.folderType, found!.owner, found!.folderId),
      );
    },
  );

  app.post(
    '/rest/asset/v1/folder/:id/tokens/delete.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags: tokenTags,
        summary: 'Delete Token by Name',
        description: 'Form parameters `folderType`, `name`, `type`; only the folder’s own tokens.',
        params: idParams,
        body: formBody(deleteTokenParams),
        response: { 200: idResultEnvelope },
      },
    },
    async (request) => {
      const assets = assetsOf(request);
      const input = writeParams(deleteTokenParams, request);
      const scope = scopeOf(request);
      const { id } = request.params;
      const found = tokenOwner(assets, id, input.folderType);
      if (!found) notFound(scope, input.folderType, id, undefined);
      assertWritable(scope, found!.workspaceId);
      if (!assets.deleteToken(found!.owner, input.name, input.type)) {
        throw new MarketoError(
          '702',
          formatMessage(DETAIL_MESSAGES.tokenNotFound, input.name, input.type, input.folderType.toLowerCase(), id),
        );
      }
      return assetEnvelope(request.marketoRequestId(), [{ id }]);
    },
  );
};
