import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requestIdValue, seedId } from '../../domain/record-ids.js';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ACTIVITY, type NewActivity } from '../../domain/activity-log.js';
import { MarketoError } from '../../domain/errors.js';
import { DETAIL_MESSAGES, formatMessage, marketoMessage, reason } from '../../domain/marketo-codes.js';
import { decodePageToken, encodePageToken, queryDigest } from '../../domain/paging.js';
import type { PermissionKey } from '../../domain/permissions.js';
import { MAX_BATCH, type RecordResult, skipped } from '../../domain/results.js';
import { successEnvelope } from '../../http/envelope.js';
import { commaList, envelopeOf, recordResultOf } from '../../http/marketo-schemas.js';
import { defineFamily, type FamilyInfra, type FamilyRouteOptions, type SeedLoadContext } from '../../family.js';
import type { StaticListMembers } from '../../ports.js';
import type { AssetFolder } from '../../engines/assets/places.js';
import { type ListPlace, ListRepository, type StaticList } from './repository.js';
import { staticListAssetRoutes } from './asset-routes.js';
import { migrations } from './migrations.js';
import { MARKETING_ACTIVITIES } from '../../engines/assets/places.js';
import { formatDatetime } from '../../domain/datetime.js';
import type { ClonedProgram } from '../../domain/core-events.js';

const READ: readonly PermissionKey[] = ['read-only-lead', 'read-write-lead'];
const WRITE: readonly PermissionKey[] = ['read-write-lead'];
const tags = ['Marketo: Static Lists'];

/**
 * Decisions (issue 15, README "Static lists"), in one place:
 * - a list is visible where the caller holds the route's permission in the list's workspace; elsewhere it is unknown
 *   (1013) to the reads, and a response-level 603 to add, remove and ismember;
 * - a lead the caller cannot read (unknown, or in a partition it cannot read) is skipped with 1004;
 * - removing a lead not in the list is skipped with 1015; the same lead twice in one call, the second with 1036.
 */
function visibleWorkspaces(request: FastifyRequest, key: PermissionKey): number[] {
  return request.access.workspacesHolding(key);
}

const listSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    description: z.string().optional(),
    programName: z.string().optional(),
    workspaceName: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({
    id: 'StaticList',
    example: {
      id: 1001,
      name: 'Newsletter',
      workspaceName: 'Default',
      createdAt: '2026-12-01T09:30:00Z',
      updatedAt: '2026-12-01T09:30:00Z',
    },
  });
const listEnvelope = envelopeOf(listSchema);
const leadEnvelope = envelopeOf(z.record(z.string(), z.unknown()));
const membershipResult = recordResultOf(['added', 'removed', 'skipped']);
const membershipEnvelope = envelopeOf(membershipResult);
const isMemberEnvelope = envelopeOf(recordResultOf(['memberof', 'notmemberof', 'skipped']));

const batchSize = z.coerce.number().int().min(1).max(MAX_BATCH).default(MAX_BATCH);
const listsQuery = z.object({
  id: commaList(requestIdValue).optional().describe('List ids, comma-separated'),
  name: commaList(z.string()).optional().describe('List names, comma-separated'),
  programName: commaList(z.string()).optional().describe('Program names: the lists in those programs'),
  workspaceName: commaList(z.string()).optional().describe('Workspace names, comma-separated'),
  batchSize,
  nextPageToken: z.string().optional(),
});
const listIdParams = z.object({ listId: requestIdValue });
const leadIdParams = z.object({ leadId: requestIdValue });
const listLeadsQuery = z.object({
  fields: commaList(z.string()).optional().describe('Comma-separated REST API field names'),
  batchSize,
  nextPageToken: z.string().optional(),
});
/**
 * node-marketo-rest's removeLeadsFromList and isMember join several ids with "&id=" inside one value, which its
 * query encoder escapes: `?id=101%26id%3D102` (lib/api/list.js). Adobe documents no answer to that shape.
 * Decision (issue 15, README "Static lists"): it is read as the ids the client meant, so the client's calls work.
 */
const splitJoinedIds = (value: unknown): unknown =>
  typeof value === 'string'
    ? value.split('&id=')
    : Array.isArray(value)
      ? value.flatMap((part) => (typeof part === 'string' ? part.split('&id=') : [part]))
      : value;
const idsQuery = z.object({
  id: z.preprocess(splitJoinedIds, commaList(requestIdValue)).optional().describe('Lead ids: ?id=1,2 or ?id=1&id=2'),
});
const idsBody = z
  .object({ input: z.array(z.object({ id: requestIdValue })).min(1) })
  .meta({ example: { input: [{ id: 1 }, { id: 2 }] } })
  .nullish();
const pagingQuery = z.object({ batchSize, nextPageToken: z.string().optional() });

function listRecord(list: StaticList) {
  return {
    id: list.id,
    name: list.name,
    ...(list.description ? { description: list.description } : {}),
    ...(list.programName !== null ? { programName: list.programName } : {}),
    workspaceName: list.workspaceName,
    createdAt: formatDatetime(list.createdAt),
    updatedAt: formatDatetime(list.updatedAt),
  };
}

const notFound = (): MarketoError => new MarketoError('1013', marketoMessage('1013'));

/** A list the caller may read through a READ route; 1013 when unknown or in a workspace it cannot read. */
function readableList(lists: ListRepository, request: FastifyRequest, listId: number): StaticList {
  const list = lists.find(listId);
  if (!list || !visibleWorkspaces(request, 'read-only-lead').includes(list.workspaceId)) throw notFound();
  return list;
}

/** A list for add, remove and ismember: 1013 when unknown, 603 when in a workspace without Read-Write Lead. */
function writableList(lists: ListRepository, request: FastifyRequest, listId: number): StaticList {
  const list = lists.find(listId);
  if (!list) throw notFound();
  if (!visibleWorkspaces(request, 'read-write-lead').includes(list.workspaceId))
    throw new MarketoError('603', marketoMessage('603'));
  return list;
}

function idsOf(body: z.infer<typeof idsBody>, query: z.infer<typeof idsQuery>): number[] {
  const ids = body?.input?.map((item) => item.id) ?? query.id ?? [];
  if (ids.length === 0) throw new MarketoError('701', marketoMessage('701', 'id'));
  if (ids.length > MAX_BATCH) throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.tooManyRecords, MAX_BATCH));
  return ids;
}

type Change = 'add' | 'remove';

/** What a membership change records: Add to List (24) or Remove from List (25), the list as primary attribute. */
function membershipActivity(
  list: StaticList,
  lead: { id: number; partitionId: number },
  change: Change,
  at?: number,
): NewActivity {
  return {
    leadId: lead.id,
    partitionId: lead.partitionId,
    typeId: change === 'add' ? ACTIVITY.addToList : ACTIVITY.removeFromList,
    primaryAttributeValueId: list.id,
    primaryAttributeValue: list.name,
    attributes: [],
    ...(at !== undefined ? { activityDate: at } : {}),
  };
}

/**
 * The staticLists port: the repository's reads, single memberships a campaign flow changes, and members added by
 * another family's write (a bulk import's `listId`), with the Add to List activities the route records.
 */
function staticListsPort(repo: ListRepository, infra: FamilyInfra): StaticListMembers {
  return {
    workspaceOf: (listId) => repo.workspaceOf(listId),
    count: (listId) => repo.count(listId),
    leadIds: (listId) => repo.leadIds(listId),
    members: (listId, afterLeadId, limit) => repo.members(listId, afterLeadId, limit),
    byName: (name) => repo.byName(name),
    find: (listId) => repo.find(listId),
    isMember: (listId, leadId) => repo.isMember(listId, leadId),
    add: (listId, leadId) => repo.add(listId, leadId),
    remove: (listId, leadId) => repo.remove(listId, leadId),
    addMembers(listId, leads, at) {
      const list = repo.find(listId);
      if (!list) return 0;
      const logged: NewActivity[] = [];
      for (const lead of leads) {
        if (repo.isMember(listId, lead.id)) continue;
        repo.add(listId, lead.id, at);
        logged.push(membershipActivity(list, lead, 'add', at));
      }
      if (logged.length > 0) infra.port('activityLog').record(logged);
      return logged.length;
    },
  };
}

function changeMembership(
  lists: ListRepository,
  request: FastifyRequest,
  list: StaticList,
  ids: readonly number[],
  change: Change,
): RecordResult<'added' | 'removed'>[] {
  const { ctx } = request;
  const leads = ctx.port('leads');
  const readable = request.access.partitions('read', 'lead');
  return ctx.transaction(() => {
    const seen = new Set<number>();
    const logged: NewActivity[] = [];
    const results = ids.map((id): RecordResult<'added' | 'removed'> => {
      if (seen.has(id)) return skipped(reason('1036'), id);
      seen.add(id);
      const lead = leads.find(id);
      if (!lead || !readable.has(lead.partitionId)) return skipped(reason('1004'), id);
      const member = lists.isMember(list.id, id);
      if (change === 'remove' && !member) return skipped(reason('1015'), id);
      if (change === 'add' && !member) lists.add(list.id, id);
      if (change === 'remove') lists.remove(list.id, id);
      if ((change === 'add') !== member) logged.push(membershipActivity(list, lead, change));
      return { id, status: change === 'add' ? 'added' : 'removed' };
    });
    if (logged.length > 0) ctx.port('activityLog').record(logged);
    return results;
  });
}

/** Static lists on the lead-database side: the lists, their members, and membership changes. */
const listRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<ListRepository>> = async (app, { repo }) => {
  app.get(
    '/rest/v1/lists.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Lists',
        description: 'Lists in workspaces where the caller holds Read-Only or Read-Write Lead.',
        querystring: listsQuery,
        response: { 200: listEnvelope },
      },
    },
    async (request) => {
      const { ctx } = request;
      const lists = repo(request);
      const { id, name, programName, workspaceName, batchSize: size, nextPageToken } = request.query;
      const digest = queryDigest(['lists', id, name, programName, workspaceName, size]);
      const afterId = nextPageToken ? decodePageToken(nextPageToken, digest, ctx.clock.now()) : 0;
      const page = lists.page(
        {
          workspaceIds: visibleWorkspaces(request, 'read-only-lead'),
          ...(id ? { ids: id } : {}),
          ...(name ? { names: name } : {}),
          ...(workspaceName ? { workspaceNames: workspaceName } : {}),
          ...(programName ? { programNames: programName } : {}),
        },
        afterId,
        size + 1,
      );
      const more = page.length > size;
      const rows = more ? page.slice(0, size) : page;
      return successEnvelope(
        request.marketoRequestId(),
        rows.map(listRecord),
        more ? { moreResult: true, nextPageToken: encodePageToken(rows.at(-1)!.id, digest, ctx.clock.now()) } : {},
      );
    },
  );

  app.get(
    '/rest/v1/lists/:listId.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get List by Id',
        description: 'An unknown list, or one in a workspace the caller cannot read, is response-level 1013.',
        params: listIdParams,
        response: { 200: listEnvelope },
      },
    },
    async (request) =>
      successEnvelope(request.marketoRequestId(), [
        listRecord(readableList(repo(request), request, request.params.listId)),
      ]),
  );

  const leadsOfList = async (
    request: FastifyRequest<{ Params: z.infer<typeof listIdParams>; Querystring: z.infer<typeof listLeadsQuery> }>,
  ) => {
    const { ctx } = request;
    const lists = repo(request);
    const leads = ctx.port('leads');
    const list = readableList(lists, request, request.params.listId);
    const fields = leads.readFields(request.query.fields);
    const size = request.query.batchSize;
    const digest = queryDigest(['listLeads', list.id, fields.map((f) => f.name), size]);
    const after = request.query.nextPageToken
      ? decodePageToken(request.query.nextPageToken, digest, ctx.clock.now())
      : 0;
    // Members in lead id order, leads in partitions the caller cannot read left out: one more than the page, to
    // tell whether more follow.
    const ids = lists.visibleMembers(list.id, after, [...request.access.partitions('read', 'lead')], size + 1);
    const more = ids.length > size;
    const page = more ? ids.slice(0, size) : ids;
    const found = page.map((leadId) => leads.record(leads.find(leadId)!, fields));
    const lastId = page.at(-1) ?? 0;
    return successEnvelope(
      request.marketoRequestId(),
      found,
      more ? { moreResult: true, nextPageToken: encodePageToken(lastId, digest, ctx.clock.now()) } : {},
    );
  };
  const leadsOfListSchema = {
    tags,
    params: listIdParams,
    querystring: listLeadsQuery,
    response: { 200: leadEnvelope },
  };

  app.get(
    '/rest/v1/lists/:listId/leads.json',
    { config: { permissions: READ }, schema: { ...leadsOfListSchema, summary: 'Get Leads By List Id' } },
    leadsOfList,
  );
  app.get(
    '/rest/v1/list/:listId/leads.json',
    { config: { permissions: READ }, schema: { ...leadsOfListSchema, summary: 'Get Leads By List Id (older path)' } },
    leadsOfList,
  );

  const membershipSchema = {
    tags,
    params: listIdParams,
    querystring: idsQuery,
    body: idsBody,
    response: { 200: membershipEnvelope },
  };

  app.post(
    '/rest/v1/lists/:listId/leads.json',
    {
      config: { permissions: WRITE },
      schema: {
        ...membershipSchema,
        summary: 'Add to List',
        description: 'Lead ids as ?id=1,2 or {"input":[{"id":1}]}; records Add to List (24) per lead added.',
      },
    },
    async (request) => {
      const lists = repo(request);
      const list = writableList(lists, request, request.params.listId);
      return successEnvelope(
        request.marketoRequestId(),
        changeMembership(lists, request, list, idsOf(request.body, request.query), 'add'),
      );
    },
  );

  app.delete(
    '/rest/v1/lists/:listId/leads.json',
    {
      config: { permissions: WRITE },
      schema: {
        ...membershipSchema,
        summary: 'Remove from List',
        description: 'Also POST with _method=DELETE; records Remove from List (25) per lead removed.',
      },
    },
    async (request) => {
      const lists = repo(request);
      const list = writableList(lists, request, request.params.listId);
      return successEnvelope(
        request.marketoRequestId(),
        changeMembership(lists, request, list, idsOf(request.body, request.query), 'remove'),
      );
    },
  );

  app.get(
    '/rest/v1/lists/:listId/leads/ismember.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Member of List',
        description:
          'Lead ids as ?id=1,2 or a JSON body {"input":[{"id":1}]} (marketorestpython, POST with _method=GET).',
        params: listIdParams,
        querystring: idsQuery,
        body: idsBody,
        response: { 200: isMemberEnvelope },
      },
    },
    async (request) => {
      const lists = repo(request);
      const leads = request.ctx.port('leads');
      const list = writableList(lists, request, request.params.listId);
      const readable = request.access.partitions('read', 'lead');
      const ids = idsOf(request.body, request.query);
      return successEnvelope(
        request.marketoRequestId(),
        ids.map((id): RecordResult<'memberof' | 'notmemberof'> => {
          const lead = leads.find(id);
          if (!lead || !readable.has(lead.partitionId)) return skipped(reason('1004'), id);
          return { id, status: lists.isMember(list.id, id) ? 'memberof' : 'notmemberof' };
        }),
      );
    },
  );

  app.get(
    '/rest/v1/leads/:leadId/listMembership.json',
    {
      config: { permissions: ['read-only-assets'] },
      schema: {
        tags,
        summary: 'Get Lists by Lead Id',
        description: 'Lists in workspaces where the caller holds Read-Only Assets; an unseen lead is 1004.',
        params: leadIdParams,
        querystring: pagingQuery,
        response: { 200: listEnvelope },
      },
    },
    async (request) => {
      const { ctx } = request;
      const lists = repo(request);
      const leads = request.ctx.port('leads');
      const lead = leads.find(request.params.leadId);
      if (!lead || !request.access.canRead(lead.partitionId, 'lead'))
        throw new MarketoError('1004', marketoMessage('1004'));
      const workspaces = new Set(visibleWorkspaces(request, 'read-only-assets'));
      const size = request.query.batchSize;
      const digest = queryDigest(['listMembership', lead.id, size]);
      const afterId = request.query.nextPageToken
        ? decodePageToken(request.query.nextPageToken, digest, ctx.clock.now())
        : 0;
      const all = lists.listsOf(lead.id).filter((list) => workspaces.has(list.workspaceId) && list.id > afterId);
      const rows = all.slice(0, size);
      const more = all.length > size;
      return successEnvelope(
        request.marketoRequestId(),
        rows.map(listRecord),
        more ? { moreResult: true, nextPageToken: encodePageToken(rows.at(-1)!.id, digest, ctx.clock.now()) } : {},
      );
    },
  );
};

/**
 * A static list in a seed: where it sits — a folder (`folder`: its id, or its path as the assets seed names
 * folders), a program (`program`: name), or by default its workspace's Marketing Activities root — its members, and
 * its timestamps (the load's time when absent). A snapshot names the folder by id: ids survive a restore, and a
 * workspace name may hold a "/".
 */
const listSeed = z.object({
  id: seedId.optional(),
  name: z.string().min(1),
  description: z.string().optional(),
  workspace: z.string().optional(),
  folder: z.union([seedId, z.string().min(1)]).optional(),
  program: z.string().min(1).optional(),
  createdAt: z.iso.datetime({ offset: true }).optional(),
  updatedAt: z.iso.datetime({ offset: true }).optional(),
  leads: z.array(seedId).optional(),
});
type ListSeed = z.infer<typeof listSeed>;

/** Where a seed's lists go: folders by id or path (the paths read once per load), programs by name. */
function placesFor(context: SeedLoadContext) {
  const places = context.port('assetPlaces');
  let byPath: ReadonlyMap<string, AssetFolder> | undefined;
  const folderAt = (folder: number | string): AssetFolder | undefined => {
    if (typeof folder === 'number') return places.folder(folder);
    byPath ??= places.folderPaths();
    return byPath.get(folder.replace(/\/+$/, '').toLowerCase());
  };
  /** A workspace named beside a folder or program must be that container's. */
  return (item: ListSeed, path: string): ListPlace => {
    if (item.folder !== undefined && item.program !== undefined)
      context.fail(path, 'a list sits in a folder or in a program, not both');
    let place: ListPlace;
    if (item.folder !== undefined) {
      const folder = folderAt(item.folder);
      if (!folder) context.fail(`${path}.folder`, `no folder at ${JSON.stringify(item.folder)}`);
      if (folder!.treeRoot)
        context.fail(`${path}.folder`, `${JSON.stringify(item.folder)} holds only the workspaces' folders`);
      if (folder!.tree !== MARKETING_ACTIVITIES)
        context.fail(`${path}.folder`, `folder ${JSON.stringify(item.folder)} is not in Marketing Activities`);
      place = { workspaceId: folder!.workspaceId, folderId: folder!.id };
    } else if (item.program !== undefined) {
      const program = places.programByName(item.program);
      if (!program) context.fail(`${path}.program`, `no program named "${item.program}"`);
      place = { workspaceId: program!.workspaceId, programId: program!.id };
    } else {
      const workspaceId = context.workspaceId(item.workspace ?? 'Default');
      if (workspaceId === undefined) context.fail(`${path}.workspace`, `no workspace named "${item.workspace}"`);
      return { workspaceId: workspaceId! };
    }
    if (item.workspace !== undefined && context.workspaceId(item.workspace) !== place.workspaceId)
      context.fail(`${path}.workspace`, `the list's folder or program is not in workspace "${item.workspace}"`);
    return place;
  };
}

/**
 * Clone Program copies the static lists in the program. Decision (README "Static lists"): each copy is empty (a
 * clone copies the assets, not who is in them) and is named as Marketo shows a program's local asset,
 * "<clone>.<list>", since list names are unique in the subscription; a name already taken refuses the clone (709).
 */
function copyListsOf(repo: ListRepository, clone: ClonedProgram): void {
  for (const list of repo.inProgram(clone.sourceId)) {
    const name = `${clone.cloneName}.${list.name}`;
    if (repo.byName(name)) throw new MarketoError('709', formatMessage(DETAIL_MESSAGES.duplicateListName, name));
    repo.insert({
      workspaceId: clone.workspaceId,
      programId: clone.cloneId,
      name,
      description: list.description,
    });
  }
}

/** Static lists and their members (issue 15): the lead-database routes here, the Asset API's in asset-routes.ts. */
export const lists = defineFamily({
  key: 'lists',
  tables: ['static_lists', 'static_list_members'],
  wireFormat: ['lead-database', 'asset'],
  migrations,
  repository: ({ db, clock }) => new ListRepository(db, clock),
  provides: (repo, infra) => ({ staticLists: staticListsPort(repo, infra) }),
  onCoreEvents: (repo) => ({
    leadMerging: (loserId, winnerId) => repo.moveMembers(loserId, winnerId),
    programCloned: (clone) => copyListsOf(repo, clone),
  }),
  seed: {
    item: listSeed as z.ZodType<ListSeed>,
    load(repo, items, context) {
      const leads = context.port('leads');
      const placeOf = placesFor(context);
      items.forEach((item, i) => {
        const path = `[${i}]`;
        const place = placeOf(item, path);
        // The API's rule (checkNameFree, asset-routes.ts): names are unique as SQLite's NOCASE compares them.
        if (repo.byName(item.name)) context.fail(`${path}.name`, `a list named "${item.name}" comes earlier`);
        const createdAt = context.time(item.createdAt);
        const id = context.unique(path, () =>
          repo.insert({
            ...place,
            id: item.id ?? null,
            name: item.name,
            createdAt,
            updatedAt: context.time(item.updatedAt, createdAt),
            ...(item.description !== undefined ? { description: item.description } : {}),
          }),
        );
        (item.leads ?? []).forEach((leadId, j) => {
          if (!leads.find(leadId)) context.fail(`${path}.leads[${j}]`, `no lead with id ${leadId}`);
          repo.add(id, leadId);
        });
      });
    },
    snapshot: (repo, context) =>
      repo.all().map((list): ListSeed => ({
        id: list.id,
        name: list.name,
        ...(list.description ? { description: list.description } : {}),
        workspace: context.workspaceName(list.workspaceId),
        ...(list.programName !== null ? { program: list.programName } : { folder: list.folderId! }),
        createdAt: new Date(list.createdAt).toISOString(),
        updatedAt: new Date(list.updatedAt).toISOString(),
        leads: repo.leadIds(list.id),
      })),
    example: [
      { name: 'Newsletter', workspace: 'Default' },
      { id: 1200, name: 'Contract customers', workspace: 'Contract', leads: [40] },
      { name: 'Webinar invitees', folder: '/Marketing Activities/Contract/Webinars' },
      { name: 'Spring Launch attendees', program: 'Spring Launch', description: 'Scanned at the booth' },
    ],
  },
  marketoRoutes: async (app, options) => {
    await listRoutes(app, options);
    await staticListAssetRoutes(app, options);
  },
});
