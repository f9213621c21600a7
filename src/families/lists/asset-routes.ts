import type { FastifyRequest } from 'fastify';
import { requestIdValue } from '../../domain/record-ids.js';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MarketoError } from '../../domain/errors.js';
import { DETAIL_MESSAGES, formatMessage, marketoMessage } from '../../domain/marketo-codes.js';
import type { FamilyRouteOptions } from '../../family.js';
import { envelopeOf } from '../../http/marketo-schemas.js';
import { assetEnvelope } from '../../http/wire-formats.js';
import type { ListPlace, ListRepository, StaticList } from './repository.js';
import type { AssetPlaces } from '../../engines/assets/places.js';
import {
  formBody,
  writeParams,
  folderRef,
  placedBrowseFilter,
  placedBrowseQuery,
} from '../../engines/assets/params.js';
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
import { formatAssetDatetime } from '../../domain/datetime.js';
import { MARKETING_ACTIVITIES } from '../../engines/assets/places.js';

const tags = ['Marketo: Static Lists'];

const staticListSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    description: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    url: z.string(),
    computedUrl: z.string(),
    folder: z.object({ id: z.number().int(), type: z.enum(['Folder', 'Program']) }),
    workspace: z.string(),
  })
  .meta({
    id: 'StaticListAsset',
    example: {
      id: 1159,
      name: 'Webinar attendees',
      description: '',
      createdAt: '2026-12-01T09:30:00Z+0000',
      updatedAt: '2026-12-01T09:30:00Z+0000',
      url: 'https://app-ab39.marketo.com/#ST1159A1',
      computedUrl: 'https://app-ab39.marketo.com/#ST1159A1',
      folder: { id: 12, type: 'Folder' },
      workspace: 'Default',
    },
  });
const staticListEnvelope = envelopeOf(staticListSchema);
const idResultEnvelope = envelopeOf(z.object({ id: z.number().int() }));

const idParams = z.object({ id: requestIdValue });
const byNameQuery = z.object({ name: z.string().min(1) });
const createParams = z.object({
  name: z.string().trim().min(1).max(255),
  folder: folderRef,
  description: z.string().max(2000).optional(),
});
const updateParams = z.object({
  name: z.string().trim().min(1).max(255).optional(),
  description: z.string().max(2000).optional(),
});

/** A list's page in the Marketo UI: `#ST<id>A1` (marketo-reference.md §8, a real Create Static List answer). */
function listUrl(pod: string, id: number): string {
  return `https://app-${pod}.marketo.com/#ST${id}A1`;
}

/**
 * Static lists on the Asset API side (`/rest/asset/v1/staticList…`): browse, by id, by name, create, update, delete.
 * A list is an asset of its folder's workspace (README "Static lists", and the per-workspace rule of the assets family's support.ts).
 */
export const staticListAssetRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<ListRepository>> = async (
  app,
  { repo },
) => {
  const record = (request: FastifyRequest, list: StaticList) => {
    const url = listUrl(request.ctx.config.POD, list.id);
    return {
      id: list.id,
      name: list.name,
      description: list.description,
      createdAt: formatAssetDatetime(list.createdAt),
      updatedAt: formatAssetDatetime(list.updatedAt),
      url,
      computedUrl: url,
      folder:
        list.programId !== null
          ? { id: list.programId, type: 'Program' as const }
          : { id: list.folderId!, type: 'Folder' as const },
      workspace: list.workspaceName,
    };
  };

  /** The list as one record, or none when it does not exist or sits in a workspace the caller cannot read. */
  const visibleRecord = (request: FastifyRequest, list: StaticList | undefined) =>
    list && canSee(scopeOf(request), list.workspaceId) ? [record(request, list)] : [];

  /** The list a write names: 702 when there is none, 603 when its workspace is not writable. */
  const writableList = (lists: ListRepository, scope: AssetScope, id: number): StaticList => {
    const list = lists.find(id);
    if (!list) notFound(scope, 'Static list', id, undefined);
    assertWritable(scope, list!.workspaceId);
    return list!;
  };

  /**
   * Where a new list goes. Decision (README "Static lists"): a folder of the Marketing Activities tree or a program;
   * 710 when it does not exist, 711 for a Design Studio folder, 603 when its workspace is not writable.
   */
  const placeFor = (
    places: AssetPlaces,
    scope: AssetScope,
    ref: { id: number; type: 'Folder' | 'Program' },
  ): ListPlace => {
    if (ref.type === 'Program') {
      const program = places.program(ref.id);
      if (!program) throw new MarketoError('710', marketoMessage('710'));
      assertWritable(scope, program.workspaceId);
      return { workspaceId: program.workspaceId, programId: program.id };
    }
    const folder = places.folder(ref.id);
    if (!folder) throw new MarketoError('710', marketoMessage('710'));
    if (folder.treeRoot) throw businessRule(DETAIL_MESSAGES.treeRootHoldsWorkspaces, folder.id, folder.tree);
    assertWritable(scope, folder.workspaceId);
    if (folder.tree !== MARKETING_ACTIVITIES) {
      throw new MarketoError(
        '711',
        formatMessage(DETAIL_MESSAGES.listOutsideMarketingActivities, folder.id, folder.tree),
      );
    }
    return { workspaceId: folder.workspaceId, folderId: folder.id };
  };

  /** static-lists.md: "The name must be unique" (in the whole subscription, without regard to case). */
  const checkNameFree = (lists: ListRepository, name: string, except?: number) => {
    const clash = lists.byName(name);
    if (clash && clash.id !== except) throw businessRule(DETAIL_MESSAGES.duplicateListName, name);
  };

  app.get(
    '/rest/asset/v1/staticLists.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Static Lists',
        description:
          'Lists of the workspaces the caller can read, by id; `folder` ({"id":…,"type":"Folder"|"Program"}) keeps ' +
          'those directly in it; `earliestUpdatedAt`/`latestUpdatedAt`; `offset`/`maxReturn`.',
        querystring: placedBrowseQuery,
        response: { 200: staticListEnvelope },
      },
    },
    async (request) => {
      const lists = repo(request);
      const q = request.query;
      const rows = lists.browse({
        workspaceIds: request.access.workspaces('read', 'assets'),
        ...placedBrowseFilter(q),
      });
      return assetEnvelope(
        request.marketoRequestId(),
        rows.map((list) => record(request, list)),
      );
    },
  );

  app.get(
    '/rest/asset/v1/staticList/byName.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Static List by Name',
        querystring: byNameQuery,
        response: { 200: staticListEnvelope },
      },
    },
    async (request) => {
      const lists = repo(request);
      return assetEnvelope(request.marketoRequestId(), visibleRecord(request, lists.byName(request.query.name)));
    },
  );

  app.get(
    '/rest/asset/v1/staticList/:id.json',
    {
      config: { permissions: READ },
      schema: { tags, summary: 'Get Static List by Id', params: idParams, response: { 200: staticListEnvelope } },
    },
    async (request) => {
      const lists = repo(request);
      return assetEnvelope(request.marketoRequestId(), visibleRecord(request, lists.find(request.params.id)));
    },
  );

  app.post(
    '/rest/asset/v1/staticLists.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Create Static List',
        description: 'Form parameters `name`, `folder` ({"id":…,"type":"Folder"|"Program"}), `description`.',
        body: formBody(createParams),
        response: { 200: staticListEnvelope },
      },
    },
    async (request) => {
      const lists = repo(request);
      const input = writeParams(createParams, request);
      const place = placeFor(request.ctx.port('assetPlaces'), scopeOf(request), input.folder);
      const id = request.ctx.transaction(() => {
        checkNameFree(lists, input.name);
        return lists.insert({
          ...place,
          name: input.name,
          ...(input.description !== undefined ? { description: input.description } : {}),
        });
      });
      return assetEnvelope(request.marketoRequestId(), [record(request, lists.find(id)!)]);
    },
  );

  app.post(
    '/rest/asset/v1/staticList/:id.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Update Static List Metadata',
        description: 'Form parameters `name`, `description`.',
        params: idParams,
        body: formBody(updateParams),
        response: { 200: staticListEnvelope },
      },
    },
    async (request) => {
      const lists = repo(request);
      const input = writeParams(updateParams, request);
      const list = writableList(lists, scopeOf(request), request.params.id);
      request.ctx.transaction(() => {
        if (input.name !== undefined) checkNameFree(lists, input.name, list.id);
        lists.update(list.id, input.name ?? list.name, input.description ?? list.description);
      });
      return assetEnvelope(request.marketoRequestId(), [record(request, lists.find(list.id)!)]);
    },
  );

  app.post(
    '/rest/asset/v1/staticList/:id/delete.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Delete Static List',
        description: 'Its memberships go with it (no Remove from List activities are recorded).',
        params: idParams,
        response: { 200: idResultEnvelope },
      },
    },
    async (request) => {
      const lists = repo(request);
      const list = writableList(lists, scopeOf(request), request.params.id);
      lists.delete(list.id);
      return assetEnvelope(request.marketoRequestId(), [{ id: list.id }]);
    },
  );
};
