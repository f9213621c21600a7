import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DETAIL_MESSAGES, formatMessage } from '../../domain/marketo-codes.js';
import { MarketoError } from '../../domain/errors.js';
import { requestIdValue, seedId } from '../../domain/record-ids.js';
import { MARKETING_ACTIVITIES } from '../../engines/assets/places.js';
import {
  folderRef,
  formBody,
  placedBrowseFilter,
  placedBrowseQuery,
  writeParams,
} from '../../engines/assets/params.js';
import { assertWritable, businessRule, canSee, notFound, READ, scopeOf, WRITE } from '../../engines/assets/scope.js';
import { placeSeed, seedPlaces } from '../../engines/assets/seed-places.js';
import { type PlacementRule, placeFor } from '../../engines/assets/versioned.js';
import { defineFamily, type FamilyRouteOptions } from '../../family.js';
import { envelopeOf } from '../../http/marketo-schemas.js';
import { assetEnvelope } from '../../http/wire-formats.js';
import {
  includeRulesQuery,
  smartListEnvelope,
  smartListRecord,
  smartListRecordWithRules,
  smartListWithRulesEnvelope,
} from './smart-list-records.js';
import { type SmartList, SmartListRepository } from './smart-list-repository.js';
import { declarationOf, EMPTY_RULES, qualifiedLeads, rulesOf, rulesSeedSchema } from './smart-list-rules.js';

const tags = ['Marketo: Smart Lists'];

/**
 * Smart lists on the Asset API (`/rest/asset/v1/smartList…`, smart-lists.md): browse, by id, by name, clone, delete,
 * and an email program's smart list; a smart campaign's is read in asset-routes.ts. Decisions (README "Smart lists"):
 * - browse and by name see users' smart lists (a campaign's own and a program's audience are reached by id, by their
 *   campaign or by their program); names are unique among users' smart lists, without regard to case (709);
 * - a smart list goes in a Marketing Activities folder or a program ("the parent must be a program or a smart list
 *   folder"): 710 for no such place, 711 for a Design Studio folder, 603 where the caller cannot write;
 * - a campaign's or a program's own smart list cannot be deleted (709): it goes with its campaign or program;
 * - by id, a smart list in a workspace the caller cannot read is absent (the "No assets found" warning), as every
 *   asset read; a write naming one is 702 when unknown, 603 where the caller cannot write.
 */

/** Where smart lists go (clone's `folder`, a seed's `folder`/`program`). */
const SMART_LIST_PLACES: PlacementRule = { what: 'smart lists', programs: true, trees: [MARKETING_ACTIVITIES] };

const idParams = z.object({ id: requestIdValue });
const programParams = z.object({ programId: requestIdValue });
const byNameQuery = z.object({ name: z.string().min(1) });
const cloneParams = z.object({
  name: z.string().trim().min(1).max(255),
  folder: folderRef,
  description: z.string().max(2000).optional(),
});
const idEnvelope = envelopeOf(z.object({ id: z.number().int() }));

/** Users' smart list names are unique in the subscription, without regard to case. */
function assertNameFree(repo: SmartListRepository, name: string): void {
  if (repo.byName(name)) throw businessRule(DETAIL_MESSAGES.duplicateSmartListName, name);
}

const smartListRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<SmartListRepository>> = async (app, { repo }) => {
  const visible = (request: FastifyRequest, list: SmartList | undefined) =>
    list && canSee(scopeOf(request), list.workspaceId) ? list : undefined;

  app.get(
    '/rest/asset/v1/smartLists.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Smart Lists',
        description:
          "Users' smart lists of the workspaces the caller can read, by id; `folder` " +
          '({"id":…,"type":"Folder"|"Program"}) keeps those directly in it; `earliestUpdatedAt`/`latestUpdatedAt`; ' +
          '`offset`/`maxReturn`.',
        querystring: placedBrowseQuery,
        response: { 200: smartListEnvelope },
      },
    },
    async (request) => {
      const q = request.query;
      const lists = repo(request).browse({
        workspaceIds: [...scopeOf(request).readable],
        ...placedBrowseFilter(q),
      });
      return assetEnvelope(
        request.marketoRequestId(),
        lists.map((list) => smartListRecord(request, list)),
      );
    },
  );

  app.get(
    '/rest/asset/v1/smartList/byName.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Smart List by Name',
        description: "A user's smart list of that name (without regard to case).",
        querystring: byNameQuery,
        response: { 200: smartListEnvelope },
      },
    },
    async (request) => {
      const list = visible(request, repo(request).byName(request.query.name));
      return assetEnvelope(request.marketoRequestId(), list ? [smartListRecord(request, list)] : []);
    },
  );

  app.get(
    '/rest/asset/v1/smartList/:id.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Smart List by Id',
        description: 'Any smart list (a campaign’s and a program’s too); `includeRules=true` adds its rules.',
        params: idParams,
        querystring: includeRulesQuery,
        response: { 200: smartListWithRulesEnvelope },
      },
    },
    async (request) => {
      const list = visible(request, repo(request).find(request.params.id));
      return assetEnvelope(
        request.marketoRequestId(),
        list ? [smartListRecordWithRules(request, list, request.query.includeRules)] : [],
      );
    },
  );

  app.get(
    '/rest/asset/v1/program/:programId/smartList.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Smart List by Program Id',
        description:
          "An email program's smart list (its audience); a program without one, or unseen, finds nothing. " +
          '`includeRules=true` adds its rules.',
        params: programParams,
        querystring: includeRulesQuery,
        response: { 200: smartListWithRulesEnvelope },
      },
    },
    async (request) => {
      const list = visible(request, repo(request).ofProgram(request.params.programId));
      return assetEnvelope(
        request.marketoRequestId(),
        list ? [smartListRecordWithRules(request, list, request.query.includeRules)] : [],
      );
    },
  );

  app.post(
    '/rest/asset/v1/smartList/:id/clone.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Clone Smart List',
        description:
          'Form parameters `name` (unique), `folder` ({"id":…,"type":"Folder"|"Program"}: a Marketing Activities ' +
          'folder or a program), `description`. The clone has the rules of the smart list cloned.',
        params: idParams,
        body: formBody(cloneParams),
        response: { 200: smartListEnvelope },
      },
    },
    async (request) => {
      const lists = repo(request);
      const input = writeParams(cloneParams, request);
      const scope = scopeOf(request);
      const source = lists.find(request.params.id);
      // The smart list cloned must be one the caller can read (else unknown, 702).
      if (!source || !canSee(scope, source.workspaceId))
        throw new MarketoError('702', formatMessage(DETAIL_MESSAGES.assetNotFound, 'Smart list', request.params.id));
      const place = placeFor(request.ctx.port('assetPlaces'), scope, input.folder, SMART_LIST_PLACES);
      const id = request.ctx.transaction(() => {
        assertNameFree(lists, input.name);
        return lists.insert({
          ...place,
          name: input.name,
          description: input.description ?? source.description,
          rules: source.rules,
        });
      });
      return assetEnvelope(request.marketoRequestId(), [smartListRecord(request, lists.find(id)!)]);
    },
  );

  app.post(
    '/rest/asset/v1/smartList/:id/delete.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Delete Smart List',
        description: "A user's smart list; a campaign's or a program's own is 709 (it goes with its owner).",
        params: idParams,
        response: { 200: idEnvelope },
      },
    },
    async (request) => {
      const lists = repo(request);
      const scope = scopeOf(request);
      const list = lists.find(request.params.id);
      if (!list) notFound(scope, 'Smart list', request.params.id, undefined);
      assertWritable(scope, list!.workspaceId);
      if (list!.campaignId !== null)
        throw businessRule(DETAIL_MESSAGES.smartListOfCampaign, list!.id, list!.campaignId);
      if (list!.programAudience) throw businessRule(DETAIL_MESSAGES.smartListOfProgram, list!.id, list!.programId!);
      lists.delete(list!.id);
      return assetEnvelope(request.marketoRequestId(), [{ id: list!.id }]);
    },
  );
};

const time = z.iso.datetime({ offset: true }).optional();

/** A user's smart list, or (audience) an email program's own, as a seed declares it with its rules. */
const smartListSeed = z.strictObject({
  id: seedId.optional(),
  name: z.string().trim().min(1).max(255),
  description: z.string().max(2000).optional(),
  ...placeSeed,
  audience: z
    .boolean()
    .optional()
    .describe("The program's own smart list (Get Smart List by Program Id); needs `program`"),
  rules: rulesSeedSchema.optional(),
  createdAt: time,
  updatedAt: time,
});
type SmartListSeed = z.infer<typeof smartListSeed>;

/** Smart lists (issue 29): users' smart lists and email programs' audiences; campaigns' own come with campaigns. */
export const smartLists = defineFamily({
  key: 'smartLists',
  tables: ['smart_lists'],
  wireFormat: 'asset',
  // The table is created by the folder's migrations, which the campaigns family declares (it references campaigns).
  repository: ({ db, clock }) => new SmartListRepository(db, clock),
  provides: (repo, infra) => ({
    smartLists: {
      find: (id) => repo.find(id),
      byName: (name) => repo.byName(name),
      members(id, afterLeadId, limit) {
        const list = repo.find(id);
        const qualified = list && qualifiedLeads(infra, list.rules);
        return qualified?.filter((leadId) => leadId > afterLeadId).slice(0, limit);
      },
    },
  }),
  seed: {
    item: smartListSeed as unknown as z.ZodType<SmartListSeed>,
    load(repo, items, context) {
      const placeOf = seedPlaces(context, SMART_LIST_PLACES);
      const names = new Set<string>();
      items.forEach((item, i) => {
        const path = `[${i}]`;
        const place = placeOf(item, path);
        if (item.audience && place.programId === null)
          context.fail(`${path}.audience`, "a program's own smart list names its program");
        if (!item.audience) {
          const name = item.name.toLowerCase();
          if (names.has(name) || repo.byName(item.name))
            context.fail(`${path}.name`, `a smart list named "${item.name}" already exists`);
          names.add(name);
        }
        const createdAt = context.time(item.createdAt);
        context.unique(path, () =>
          repo.insert({
            ...place,
            id: item.id ?? null,
            name: item.name,
            ...(item.description !== undefined ? { description: item.description } : {}),
            programAudience: item.audience ?? false,
            rules: item.rules ? rulesOf(item.rules as z.output<typeof rulesSeedSchema>) : EMPTY_RULES,
            createdAt,
            updatedAt: context.time(item.updatedAt, createdAt),
          }),
        );
      });
    },
    snapshot: (repo) =>
      repo.all().map(
        (list): SmartListSeed =>
          ({
            id: list.id,
            name: list.name,
            ...(list.description ? { description: list.description } : {}),
            ...(list.programId !== null ? { program: list.programName! } : { folder: list.folderId! }),
            ...(list.programAudience ? { audience: true } : {}),
            rules: declarationOf(list.rules),
            createdAt: new Date(list.createdAt).toISOString(),
            updatedAt: new Date(list.updatedAt).toISOString(),
          }) as SmartListSeed,
      ),
    example: [
      {
        name: 'Webinar no-shows',
        folder: '/Marketing Activities/Contract/Webinars',
        rules: {
          filterMatchType: 'all',
          filters: [{ name: 'Member of List', operator: 'in', values: ['Webinar invitees'] }],
        },
      },
      {
        name: 'Spring Launch audience',
        program: 'Spring Launch',
        audience: true,
        rules: {
          filterMatchType: 'advanced',
          ruleLogic: '1 or 2',
          filters: [
            {
              name: 'Visited Web Page',
              ruleTypeId: 1,
              ruleType: 'Activity',
              operator: 'occurs',
              conditions: [
                { activityAttributeId: 1, activityAttributeName: 'Web Page', operator: 'is', values: ['Spring.LP'] },
                {
                  activityAttributeId: -101,
                  activityAttributeName: 'Date of Activity',
                  operator: 'in past',
                  values: ['30 days'],
                },
              ],
            },
            { name: 'Id', operator: 'is', values: ['40'] },
          ],
        },
      },
    ],
  },
  marketoRoutes: smartListRoutes,
});
