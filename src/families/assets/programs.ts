import type { FastifyRequest } from 'fastify';
import { requestIdValue } from '../../domain/record-ids.js';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CHANNEL_PROGRAM_TYPES, initialStatus, type ProgramType, programType } from './rules.js';
import { MarketoError } from '../../domain/errors.js';
import { DETAIL_MESSAGES, formatMessage, marketoMessage } from '../../domain/marketo-codes.js';
import type { FamilyRouteOptions } from '../../family.js';
import { commaList, envelopeOf } from '../../http/marketo-schemas.js';
import { assetEnvelope } from '../../http/wire-formats.js';
import { type AssetRepository, type FolderRow, isTreeRoot, type ProgramRow } from './repository.js';
import { channelRecord, programRecord, tagTypeRecord } from './support.js';
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
  objectParam,
  pagingShape,
  datetimeParam,
  folderRef,
  formBody,
} from '../../engines/assets/params.js';
import { MARKETING_ACTIVITIES } from '../../engines/assets/places.js';

const tags = ['Marketo: Programs'];
const catalogTags = ['Marketo: Channels and tags'];

const programSchema = z.record(z.string(), z.unknown()).describe('Program (ProgramResponse)').meta({ id: 'Program' });
const programEnvelope = envelopeOf(programSchema);
const idResultEnvelope = envelopeOf(z.object({ id: z.number().int() }));
const channelSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    applicableProgramType: z.enum(Object.values(CHANNEL_PROGRAM_TYPES) as [string, ...string[]]),
    progressionStatuses: z.array(
      z.object({
        name: z.string(),
        step: z.number().int(),
        description: z.string().nullable(),
        hidden: z.boolean(),
        success: z.boolean(),
      }),
    ),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Channel', description: 'Channel (ChannelResponse)' });
const channelEnvelope = envelopeOf(channelSchema);
const tagTypeEnvelope = envelopeOf(z.record(z.string(), z.unknown()).describe('Tag type'));

const idParams = z.object({ id: requestIdValue });

const browseQuery = z.object({
  filterType: z.enum(['id', 'programId', 'folderId', 'workspace']).optional(),
  filterValues: commaList(z.string()).optional(),
  earliestUpdatedAt: datetimeParam,
  latestUpdatedAt: datetimeParam,
  status: z.enum(['locked', 'unlocked', 'on', 'off']).optional(),
  ...pagingShape,
});
const byNameQuery = z.object({
  name: z.string().min(1),
  includeTags: booleanParam.optional(),
  includeCosts: booleanParam.optional(),
});
const byTagQuery = z.object({ tagType: z.string().min(1), tagValue: z.string().min(1), ...pagingShape });
const nameQuery = z.object({ name: z.string().min(1) });
// Adobe's spec names Get Channel by Name's parameter `Name`; clients (marketorestpython) send `name`: both are read.
const channelNameQuery = z.object({ name: z.string().min(1).optional(), Name: z.string().min(1).optional() });
const catalogQuery = z.object({ ...pagingShape });

const tagList = objectParam(z.array(z.object({ tagType: z.string().min(1), tagValue: z.string() })));
const costList = objectParam(
  z.array(
    z.object({
      startDate: z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'must be yyyy-mm-dd'),
      cost: z.coerce.number().int(),
      note: z.string().optional(),
    }),
  ),
);

const createParams = z.object({
  name: z.string().trim().min(1).max(255),
  folder: folderRef,
  type: z.string().refine((value) => programType(value) !== undefined, 'must be a program type'),
  channel: z.string().min(1),
  description: z.string().max(2000).optional(),
  tags: tagList.optional(),
  costs: costList.optional(),
});
const updateParams = z.object({
  name: z.string().trim().min(1).max(255).optional(),
  description: z.string().max(2000).optional(),
  tags: tagList.optional(),
  costs: costList.optional(),
  costsDestructiveUpdate: booleanParam.optional(),
  startDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}/, 'must be yyyy-mm-dd')
    .optional(),
  endDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}/, 'must be yyyy-mm-dd')
    .optional(),
});
const cloneParams = z.object({
  name: z.string().trim().min(1).max(255),
  folder: folderRef,
  description: z.string().max(2000).optional(),
});

type Tag = { tagType: string; tagValue: string };

/** Programs, and the channel and tag type catalogs they draw on (Asset API; marketo-reference.md §8). */
export const programRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<AssetRepository>> = async (
  app,
  { repo: assetsOf },
) => {
  const record = (request: FastifyRequest, row: ProgramRow) => programRecord(row, request.ctx.config.POD);

  const visibleProgram = (assets: AssetRepository, scope: AssetScope, id: number): ProgramRow | undefined => {
    const row = assets.program(id);
    return row && canSee(scope, row.workspace_id) ? row : undefined;
  };

  /** The program a write names: 702 when there is none, 603 when its workspace is not writable. */
  const writableProgram = (assets: AssetRepository, scope: AssetScope, id: number): ProgramRow => {
    const row = assets.program(id);
    if (!row) notFound(scope, 'Program', id, undefined);
    assertWritable(scope, row!.workspace_id);
    return row!;
  };

  /**
   * The folder a program goes into. Decision (README): 710 when it is absent, 711 when it is a program or outside
   * Marketing Activities (documented codes), 603 when its workspace is not writable.
   */
  const targetFolder = (
    assets: AssetRepository,
    scope: AssetScope,
    ref: { id: number; type: 'Folder' | 'Program' },
  ): FolderRow => {
    if (ref.type === 'Program') {
      const program = assets.program(ref.id);
      if (!program) throw new MarketoError('710', marketoMessage('710'));
      assertWritable(scope, program.workspace_id);
      throw new MarketoError('711', formatMessage(DETAIL_MESSAGES.folderInProgram, 'Program', ref.id));
    }
    const folder = assets.folder(ref.id);
    if (!folder) throw new MarketoError('710', marketoMessage('710'));
    if (isTreeRoot(folder)) throw businessRule(DETAIL_MESSAGES.treeRootHoldsWorkspaces, folder.id, folder.tree);
    assertWritable(scope, folder.workspace_id);
    if (folder.tree !== MARKETING_ACTIVITIES) {
      throw new MarketoError(
        '711',
        formatMessage(DETAIL_MESSAGES.programOutsideMarketingActivities, folder.id, folder.tree),
      );
    }
    return folder;
  };

  /** Tags must name known tag types, with allowed values, and cover the type's required ones. */
  const checkTags = (assets: AssetRepository, type: ProgramType, tags: readonly Tag[]) => {
    for (const tag of tags) {
      const tagType = assets.tagTypeByName(tag.tagType);
      if (!tagType) throw businessRule(DETAIL_MESSAGES.unknownTagType, tag.tagType);
      const allowed = JSON.parse(tagType.allowable_values) as string[];
      if (allowed.length > 0 && !allowed.includes(tag.tagValue)) {
        throw businessRule(DETAIL_MESSAGES.tagValueNotAllowed, tag.tagValue, tag.tagType);
      }
    }
    for (const tagType of assets.allTagTypes()) {
      const applies = tagType.applicable_program_types.split(',').map((t) => t.trim());
      if (tagType.required === 1 && applies.includes(type) && !tags.some((t) => t.tagType === tagType.name)) {
        throw businessRule(DETAIL_MESSAGES.tagRequired, tagType.name, type);
      }
    }
  };

  const checkChannel = (assets: AssetRepository, type: ProgramType, channelName: string): string => {
    const channel = assets.channelByName(channelName);
    if (!channel) throw businessRule(DETAIL_MESSAGES.unknownChannel, channelName);
    if (channel.applicable_program_type !== type) {
      throw businessRule(DETAIL_MESSAGES.channelNotForType, channel.name, channel.applicable_program_type, type);
    }
    return channel.name;
  };

  const checkNameFree = (assets: AssetRepository, name: string, except?: number) => {
    const clash = assets.programByName(name);
    if (clash && clash.id !== except) throw businessRule(DETAIL_MESSAGES.duplicateProgramName, name);
  };

  app.get(
    '/rest/asset/v1/programs.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Programs (browse)',
        description:
          'Programs of the workspaces the caller can read, by id; `filterType` id, programId, folderId or ' +
          'workspace (name) with `filterValues`; `earliestUpdatedAt`/`latestUpdatedAt`; `status`.',
        querystring: browseQuery,
        response: { 200: programEnvelope },
      },
    },
    async (request) => {
      const assets = assetsOf(request);
      const q = request.query;
      let workspaceIds = request.access.workspaces('read', 'assets');
      let ids: string | null = null;
      let folders: string | null = null;
      if (q.filterType !== undefined) {
        const values = q.filterValues ?? [];
        if (values.length === 0) throw new MarketoError('701', 'filterValues cannot be blank');
        if (q.filterType === 'workspace') {
          const named = new Set(values.map((v) => v.toLowerCase()));
          const wanted = new Set(
            request.ctx.repos.workspaces
              .list()
              .filter((w) => named.has(w.name.toLowerCase()))
              .map((w) => w.id),
          );
          workspaceIds = workspaceIds.filter((id) => wanted.has(id));
        } else {
          const numbers = values.map(Number);
          if (numbers.some((n) => !Number.isSafeInteger(n))) {
            throw new MarketoError('1003', `Invalid value for filterValues: ${q.filterType} takes integers`);
          }
          if (q.filterType === 'folderId') folders = JSON.stringify(numbers);
          else ids = JSON.stringify(numbers);
        }
      }
      const rows = assets.browsePrograms({
        workspaces: JSON.stringify(workspaceIds),
        ids,
        folders,
        earliest: q.earliestUpdatedAt ?? null,
        latest: q.latestUpdatedAt ?? null,
        status: q.status ?? null,
        limit: q.maxReturn,
        offset: q.offset,
      });
      return assetEnvelope(
        request.marketoRequestId(),
        rows.map((row) => record(request, row)),
      );
    },
  );

  app.get(
    '/rest/asset/v1/program/byName.json',
    {
      config: { permissions: READ },
      schema: { tags, summary: 'Get Program by Name', querystring: byNameQuery, response: { 200: programEnvelope } },
    },
    async (request) => {
      const assets = assetsOf(request);
      const row = assets.programByName(request.query.name);
      const visible = row && canSee(scopeOf(request), row.workspace_id) ? [record(request, row)] : [];
      return assetEnvelope(request.marketoRequestId(), visible);
    },
  );

  app.get(
    '/rest/asset/v1/program/byTag.json',
    {
      config: { permissions: READ },
      schema: { tags, summary: 'Get Programs by Tag', querystring: byTagQuery, response: { 200: programEnvelope } },
    },
    async (request) => {
      const assets = assetsOf(request);
      const { tagType, tagValue, maxReturn, offset } = request.query;
      const workspaceIds = request.access.workspaces('read', 'assets');
      const rows = assets.programsByTag(workspaceIds, tagType, tagValue, maxReturn, offset);
      return assetEnvelope(
        request.marketoRequestId(),
        rows.map((row) => record(request, row)),
      );
    },
  );

  app.get(
    '/rest/asset/v1/program/:id.json',
    {
      config: { permissions: READ },
      schema: { tags, summary: 'Get Program by Id', params: idParams, response: { 200: programEnvelope } },
    },
    async (request) => {
      const assets = assetsOf(request);
      const row = visibleProgram(assets, scopeOf(request), request.params.id);
      return assetEnvelope(request.marketoRequestId(), row ? [record(request, row)] : []);
    },
  );

  app.post(
    '/rest/asset/v1/programs.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Create Program',
        description:
          'Form parameters `name`, `folder` ({"id":…,"type":"Folder"}), `type`, `channel`, `description`, ' +
          '`tags` ([{"tagType":…,"tagValue":…}]), `costs`; JSON or Python repr for the objects.',
        body: formBody(createParams),
        response: { 200: programEnvelope },
      },
    },
    async (request) => {
      const assets = assetsOf(request);
      const input = writeParams(createParams, request);
      const scope = scopeOf(request);
      const folder = targetFolder(assets, scope, input.folder);
      const type = programType(input.type)!;
      const channel = checkChannel(assets, type, input.channel);
      const tags = input.tags ?? [];
      checkTags(assets, type, tags);
      checkNameFree(assets, input.name);
      const now = assets.now();
      const id = assets.insertProgram({
        folderId: folder.id,
        workspaceId: folder.workspace_id,
        name: input.name,
        description: input.description ?? '',
        type,
        channel,
        status: initialStatus(type),
        tags: JSON.stringify(tags),
        costs: JSON.stringify(input.costs ?? []),
        createdAt: now,
        updatedAt: now,
      });
      return assetEnvelope(request.marketoRequestId(), [record(request, assets.program(id)!)]);
    },
  );

  app.post(
    '/rest/asset/v1/program/:id.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Update Program',
        description:
          'Form parameters `name`, `description`, `tags` (replace the values of the tag types named), `costs` ' +
          '(appended, or replacing all with costsDestructiveUpdate=true), `startDate`, `endDate`.',
        params: idParams,
        body: formBody(updateParams),
        response: { 200: programEnvelope },
      },
    },
    async (request) => {
      const assets = assetsOf(request);
      const input = writeParams(updateParams, request);
      const scope = scopeOf(request);
      const program = writableProgram(assets, scope, request.params.id);
      const name = input.name ?? program.name;
      checkNameFree(assets, name, program.id);
      let tags = JSON.parse(program.tags) as Tag[];
      if (input.tags) {
        const named = new Set(input.tags.map((t) => t.tagType.toLowerCase()));
        tags = [...tags.filter((t) => !named.has(t.tagType.toLowerCase())), ...input.tags];
        checkTags(assets, program.type, tags);
      }
      let costs = JSON.parse(program.costs) as unknown[];
      if (input.costsDestructiveUpdate) costs = input.costs ?? [];
      else if (input.costs) costs = [...costs, ...input.costs];
      assets.updateProgram(program.id, {
        name,
        description: input.description ?? program.description,
        tags: JSON.stringify(tags),
        costs: JSON.stringify(costs),
        startDate: input.startDate ?? program.start_date,
        endDate: input.endDate ?? program.end_date,
      });
      return assetEnvelope(request.marketoRequestId(), [record(request, assets.program(program.id)!)]);
    },
  );

  app.post(
    '/rest/asset/v1/program/:id/delete.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Delete Program',
        description: 'Its tokens and the static lists in it go with it.',
        params: idParams,
        response: { 200: idResultEnvelope },
      },
    },
    async (request) => {
      const assets = assetsOf(request);
      const program = writableProgram(assets, scopeOf(request), request.params.id);
      assets.deleteProgram(program.id);
      return assetEnvelope(request.marketoRequestId(), [{ id: program.id }]);
    },
  );

  app.post(
    '/rest/asset/v1/program/:id/clone.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Clone Program',
        description:
          'Form parameters `name`, `folder`, `description`: a new program of the same type, channel, tags and ' +
          'costs, with copies of its tokens and its static lists (without members). The source must be readable; ' +
          'the target folder writable.',
        params: idParams,
        body: formBody(cloneParams),
        response: { 200: programEnvelope },
      },
    },
    async (request) => {
      const assets = assetsOf(request);
      const input = writeParams(cloneParams, request);
      const scope = scopeOf(request);
      const source = visibleProgram(assets, scope, request.params.id);
      if (!source)
        throw new MarketoError('702', formatMessage(DETAIL_MESSAGES.assetNotFound, 'Program', request.params.id));
      const folder = targetFolder(assets, scope, input.folder);
      checkNameFree(assets, input.name);
      const id = request.ctx.transaction(() => {
        const now = assets.now();
        const cloneId = assets.insertProgram({
          folderId: folder.id,
          workspaceId: folder.workspace_id,
          name: input.name,
          description: input.description ?? source.description,
          type: source.type,
          channel: source.channel,
          status: initialStatus(source.type),
          tags: source.tags,
          costs: source.costs,
          createdAt: now,
          updatedAt: now,
        });
        for (const token of assets.tokensOf({ folderId: null, programId: source.id })) {
          assets.upsertToken({ folderId: null, programId: cloneId }, token);
        }
        // The other asset families copy what they keep in the program (static lists).
        request.ctx.events.programCloned({
          sourceId: source.id,
          cloneId,
          cloneName: input.name,
          workspaceId: folder.workspace_id,
        });
        return cloneId;
      });
      return assetEnvelope(request.marketoRequestId(), [record(request, assets.program(id)!)]);
    },
  );

  for (const [action, from, to, refusal] of [
    ['approve', 'unlocked', 'locked', DETAIL_MESSAGES.alreadyApproved],
    ['unapprove', 'locked', 'unlocked', DETAIL_MESSAGES.notApproved],
  ] as const) {
    app.post(
      `/rest/asset/v1/program/:id/${action}.json`,
      {
        config: { permissions: WRITE },
        schema: {
          tags,
          summary: action === 'approve' ? 'Approve Program' : 'Unapprove Program',
          description: 'Email programs only (709 otherwise): status unlocked ↔ locked.',
          params: idParams,
          response: { 200: idResultEnvelope },
        },
      },
      async (request) => {
        const assets = assetsOf(request);
        const program = writableProgram(assets, scopeOf(request), request.params.id);
        if (program.type !== 'Email') {
          throw businessRule(DETAIL_MESSAGES.notAnEmailProgram, program.id, program.type);
        }
        if (program.status !== from) throw businessRule(refusal, program.id);
        assets.setStatus(program.id, to);
        return assetEnvelope(request.marketoRequestId(), [{ id: program.id }]);
      },
    );
  }

  // Channels and tag types: subscription-wide catalogs, read-only on the API ------------------------------------------

  app.get(
    '/rest/asset/v1/channels.json',
    {
      config: { permissions: READ },
      schema: {
        tags: catalogTags,
        summary: 'Get Channels',
        querystring: catalogQuery,
        response: { 200: channelEnvelope },
      },
    },
    async (request) =>
      assetEnvelope(
        request.marketoRequestId(),
        assetsOf(request).channels(request.query.maxReturn, request.query.offset).map(channelRecord),
      ),
  );

  app.get(
    '/rest/asset/v1/channel/byName.json',
    {
      config: { permissions: READ },
      schema: {
        tags: catalogTags,
        summary: 'Get Channel by Name',
        querystring: channelNameQuery,
        response: { 200: channelEnvelope },
      },
    },
    async (request) => {
      const assets = assetsOf(request);
      const name = request.query.name ?? request.query.Name;
      if (name === undefined) throw new MarketoError('701', marketoMessage('701', 'name'));
      const row = assets.channelByName(name);
      return assetEnvelope(request.marketoRequestId(), row ? [channelRecord(row)] : []);
    },
  );

  app.get(
    '/rest/asset/v1/tagTypes.json',
    {
      config: { permissions: READ },
      schema: {
        tags: catalogTags,
        summary: 'Get Tag Types',
        querystring: catalogQuery,
        response: { 200: tagTypeEnvelope },
      },
    },
    async (request) =>
      assetEnvelope(
        request.marketoRequestId(),
        assetsOf(request).tagTypes(request.query.maxReturn, request.query.offset).map(tagTypeRecord),
      ),
  );

  app.get(
    '/rest/asset/v1/tagType/byName.json',
    {
      config: { permissions: READ },
      schema: {
        tags: catalogTags,
        summary: 'Get Tag Type by Name',
        querystring: nameQuery,
        response: { 200: tagTypeEnvelope },
      },
    },
    async (request) => {
      const assets = assetsOf(request);
      const row = assets.tagTypeByName(request.query.name);
      return assetEnvelope(request.marketoRequestId(), row ? [tagTypeRecord(row)] : []);
    },
  );
};
