import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { formatAssetDatetime } from '../../domain/datetime.js';
import { MarketoError } from '../../domain/errors.js';
import { DETAIL_MESSAGES, formatMessage } from '../../domain/marketo-codes.js';
import type { PermissionKey } from '../../domain/permissions.js';
import { requestIdValue } from '../../domain/record-ids.js';
import { marketoErrorSchema } from '../../http/marketo-schemas.js';
import { assetEnvelope, NO_ASSETS } from '../../http/wire-formats.js';
import { type ApprovalMachine, type AssetRef, nameOf, type Version, type VersionStatus } from './approval.js';
import type { AssetRow, AssetRowPlace, AssetRows } from './asset-rows.js';
import { datetimeParam } from './params.js';
import { type AssetScope, businessRule, canSee, notFound, scopeOf } from './scope.js';
import {
  approvableWorkspaces,
  assertNameFree,
  type PlacementRule,
  placeFor,
  renameAsset,
  visibleRow,
  writableRow,
} from './versioned.js';

/**
 * The v2 Asset API (`/rest/asset/v2/…`, Adobe's "Emails (New)", "Email Templates (New)" and "Fragments (New)"): the
 * same eleven operations for each type, over the type's asset rows and approval machine, so that an email made here
 * is the email v1 shows. A type gives its records and its create and update bodies (`V2Type`); this module serves
 * the rest. Every choice Adobe leaves open is in README's "Decisions" ("Asset API v2").
 *
 * Answers: Adobe's v2 pages show the Asset API's envelope (`success`, `errors`, `warnings`, `requestId`, `result`),
 * and the asset path's wire format answers failures as v1 does. Ids are text ("51"), the same numbers as v1's.
 */

/**
 * Adobe's API permissions for v2: "Read-Only Assets" for reads, "Read-Write Assets" for writes (Read-Write implies
 * Read-Only). The Design Studio permissions it names beside them ("Access Design Studio, Edit Email") are UI
 * permissions, which do not apply to API-only users (custom-services.md): documented (`uiPermissions`), not checked.
 */
export const V2_READ: readonly PermissionKey[] = ['read-only-assets'];
export const V2_WRITE: readonly PermissionKey[] = ['read-write-assets'];

/** The `x-app-type` header every v2 operation requires (swagger-asset.json: required, enum `marketo`). */
const appType = z.string().transform((value) => value.trim().toLowerCase());
export const appTypeHeaders = z.looseObject({ 'x-app-type': appType.pipe(z.literal('marketo')) });
/** The bulk operations declare the header required without the enum. */
export const bulkAppTypeHeaders = z.looseObject({ 'x-app-type': appType.pipe(z.string().min(1)) });

/** A v2 id: text of a whole number (`"51"`), or a number. */
export const v2Id = z
  .unknown()
  .transform((value, context) => {
    // A missing id is 701 "cannot be blank", as any missing parameter (the union below would say 1003).
    if (value === undefined) {
      context.addIssue({
        code: 'invalid_type',
        expected: 'string',
        message: 'Invalid input: expected string, received undefined',
      });
      return z.NEVER;
    }
    return value;
  })
  .pipe(requestIdValue.pipe(z.number().int().positive()))
  .meta({ description: 'An asset id: text of a whole number ("51") or a number' });
export const v2IdParams = z.object({ id: v2Id });

const assetIds = (max: number) =>
  z
    .array(v2Id)
    .min(1)
    .max(max, `takes at most ${max} asset ids`)
    .describe(`Asset ids (text or numbers), at most ${max}`);
/** "Maximum 20 per request" (Bulk Get, Bulk Delete); "Maximum 50 per request" (Bulk Used By). */
export const bulkGetBody = z.object({ assetIds: assetIds(20) });
export const bulkDeleteBody = z.object({ assetIds: assetIds(20), ignoreUsedBy: z.boolean().optional() });
export const bulkUsedByBody = z.object({ assetIds: assetIds(50) });
export const cloneBody = z.object({
  assetId: v2Id,
  newAsset: z.object({ name: z.string().trim().min(1).max(255), description: z.string().max(2000).optional() }),
});
export const stateTransitionBody = z.object({
  contentId: v2Id,
  action: z.enum(['approve', 'unapprove', 'discard', 'create_draft']),
});
/** UsedByRequestDto; `type` keeps the users of one content type ("email"). */
const MAX_PAGE_SIZE = 50;
export const usedByBody = z.object({
  assetId: v2Id,
  pageIndex: z.number().int().min(0).default(0),
  pageSize: z.number().int().min(1).max(MAX_PAGE_SIZE).default(20),
  type: z.string().min(1).optional(),
});

// Records --------------------------------------------------------------------------------------------------------

/** The asset's overall state (Decision: Adobe gives no values): its versions. */
export const V2_STATES = ['approved', 'draft', 'approvedWithDraft'] as const;
export type V2State = (typeof V2_STATES)[number];

export const metadataSchema = z
  .object({ createdAt: z.string(), modifiedAt: z.string() })
  .describe('ContentMetadataDTO: when the asset was made and last changed (who is not recorded)');
export const associatedStateSchema = z.object({
  contentId: z.string(),
  externalId: z.string(),
  state: z.enum(['approved', 'draft']),
});

/** What every v2 record has (EmailContentDTO, EmailTemplateContentDTO, FragmentContentDTO). */
export const v2RecordShape = {
  id: z.string(),
  name: z.string(),
  description: z.string(),
  appType: z.literal('marketo'),
  metadata: metadataSchema,
  status: z.enum(['approved', 'draft']).describe('The version shown'),
  state: z.enum(V2_STATES).describe('The versions the asset has'),
  virtualId: z.string(),
  associatedStates: z.array(associatedStateSchema),
  externalId: z.string().describe('The asset id, as v1 shows it'),
};

export const v2DataSchema = z.object({
  html: z.object({ body: z.string() }).optional(),
  text: z.object({ body: z.string(), syncFromHtml: z.boolean().optional() }).optional(),
});
/** DataDTO in a request: the HTML and text bodies. */
export const v2DataInput = z.object({
  html: z.object({ body: z.string() }).optional(),
  text: z.object({ body: z.string().optional(), syncFromHtml: z.boolean().optional() }).optional(),
});
export const editorContextSchema = z.object({ dynamicContent: z.record(z.string(), z.unknown()).optional() });

export function stateOf(statuses: readonly VersionStatus[]): V2State {
  const approved = statuses.includes('approved');
  const draft = statuses.includes('draft');
  return approved && draft ? 'approvedWithDraft' : approved ? 'approved' : 'draft';
}

/** The part every record shares, of `row` shown in `version`. */
export function v2Common(
  row: AssetRow<unknown>,
  version: { status: VersionStatus; updatedAt: number },
  statuses: readonly VersionStatus[],
) {
  const id = String(row.id);
  return {
    id,
    name: row.name,
    description: row.description,
    appType: 'marketo' as const,
    metadata: {
      createdAt: formatAssetDatetime(row.createdAt),
      modifiedAt: formatAssetDatetime(Math.max(row.updatedAt, version.updatedAt)),
    },
    status: version.status,
    state: stateOf(statuses),
    virtualId: id,
    // Decision: a version's contentId is the asset id (the fake keeps one asset with its versions).
    associatedStates: statuses.map((state) => ({ contentId: id, externalId: id, state })),
    externalId: id,
  };
}

/** Where a record says it is: the workspace and folder (or program), as text. */
export function v2AppData(row: AssetRowPlace) {
  return {
    workspaceId: String(row.workspaceId),
    ...(row.folderId !== null ? { folderId: String(row.folderId) } : {}),
  };
}

// Envelopes --------------------------------------------------------------------------------------------------------

const envelopeShape = {
  requestId: z.string(),
  success: z.boolean(),
  errors: z.array(marketoErrorSchema),
  warnings: z.array(z.string()),
};
export function v2Envelope<T extends z.ZodType>(item: T) {
  return z.object({ ...envelopeShape, result: z.array(item).optional() });
}
export const pageDetailsSchema = z.object({
  totalItems: z.number().int(),
  pageSize: z.number().int(),
  currentPage: z.number().int(),
});
export const v2DeleteEnvelope = z.object(envelopeShape).meta({ id: 'AssetV2DeleteResponse' });
const usedByItemSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  appData: z.object({ workspaceId: z.string(), folderId: z.string().optional() }).optional(),
  contentType: z.string(),
  externalId: z.string(),
});
export const v2UsedByEnvelope = z
  .object({ ...envelopeShape, result: z.array(usedByItemSchema).optional(), pageDetails: pageDetailsSchema.optional() })
  .meta({ id: 'AssetV2UsedByResponse' });
export const v2BulkUsedByEnvelope = v2Envelope(
  z.object({ id: z.string(), name: z.string(), count: z.number().int(), used: z.boolean() }),
).meta({ id: 'AssetV2BulkUsedByResponse' });
function filterEnvelope<T extends z.ZodType>(item: T) {
  return z.object({ ...envelopeShape, result: pageDetailsSchema.extend({ items: z.array(item) }) });
}

const done = (requestId: string) => ({ requestId, success: true as const, errors: [], warnings: [] });

// Filter -----------------------------------------------------------------------------------------------------------

/** `status=approved&status=draft` (repeated), or one value; any case. */
const statusList = z.preprocess(
  (value) => (Array.isArray(value) ? value : value === undefined ? undefined : [value]),
  z
    .array(
      z
        .string()
        .transform((value) => value.toLowerCase())
        .pipe(z.enum(['approved', 'draft'])),
    )
    .optional(),
);
const flag = z.preprocess(
  (value) => (value === 'true' ? true : value === 'false' ? false : value),
  z.boolean().optional(),
);
export const filterShape = {
  workspaceId: v2Id.describe('Required: the workspace searched'),
  folderId: v2Id.optional(),
  folderType: z.enum(['Folder', 'Program']).default('Folder'),
  status: statusList,
  pageIndex: z.coerce.number().int().min(0).default(0).describe('Zero-based'),
  pageSize: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(20).describe('Maximum value is 50'),
  createdAtStart: datetimeParam,
  createdAtEnd: datetimeParam,
  modifiedAtStart: datetimeParam,
  modifiedAtEnd: datetimeParam,
  name: z.string().min(1).optional().describe('A part of the name, any case'),
  sortKey: z.enum(['id', 'name', 'createdAt', 'modifiedAt']).default('id'),
  sortOrder: z.enum(['ASC', 'DESC']).default('ASC'),
  // Decision (README): who made or changed an asset is not recorded, so "mine" cannot be answered truthfully.
  isCreatedByMe: flag.refine((value) => value !== true, 'is not supported: the fake does not record who made assets'),
  isModifiedByMe: flag.refine(
    (value) => value !== true,
    'is not supported: the fake does not record who changed assets',
  ),
  // Decision (README): no asset has a script engine or an archived state here; these narrow nothing.
  scriptEngine: z.string().optional(),
  isValueNonNullable: z.string().optional(),
  includeArchived: flag,
};

// The type ---------------------------------------------------------------------------------------------------------

/** The UI permissions Adobe names beside the API ones, per operation kind (documented, not checked). */
export interface V2UiPermissions {
  access: string;
  edit: string;
  approve: string;
  delete: string;
}

/** What a type gives the v2 routes. */
export interface V2Type<Fields, Content, Create extends { name: string; description?: string | undefined }, Update> {
  /** The path segment: `email` → /rest/asset/v2/email/…. */
  segment: string;
  /** Adobe's names in summaries: "Email", "Emails". */
  label: string;
  plural: string;
  tags: string[];
  ui: V2UiPermissions;
  placement: PlacementRule;
  rows(request: FastifyRequest): AssetRows<Record<string, never>, Fields>;
  machine(request: FastifyRequest): ApprovalMachine<Fields, Content>;
  summarySchema: z.ZodType;
  detailSchema: z.ZodType;
  summary(
    request: FastifyRequest,
    row: AssetRow<unknown>,
    version: Version<Fields, unknown>,
    statuses: VersionStatus[],
  ): unknown;
  detail(
    request: FastifyRequest,
    row: AssetRow<unknown>,
    version: Version<Fields, Content>,
    statuses: VersionStatus[],
  ): unknown;
  create: {
    body: z.ZodType<Create>;
    description: string;
    /** The place the body names (its appData). */
    place(request: FastifyRequest, input: Create): AssetRowPlace;
    /** The first version's fields and content. */
    version(request: FastifyRequest, input: Create, place: AssetRowPlace): { fields: Fields; content: Content };
  };
  update: {
    body: z.ZodType<Update>;
    description: string;
    /** The name and description it sets (the asset's own, no draft made). */
    rename(input: Update): { name?: string | undefined; description?: string | undefined };
    /** The change of the draft, or undefined when the body changes no version. */
    edit(
      request: FastifyRequest,
      row: AssetRow<unknown>,
      input: Update,
    ): ((current: { fields: Fields; content: Content }) => { fields: Fields; content: Content }) | undefined;
  };
  /** One more filter parameter, on a record field of the shown version (templateId, fragmentType). */
  filterField?: { name: string; schema: z.ZodType<string | number | undefined>; path: string };
  /** The user of an asset, as usedBy lists it (its name and place when its type is known). */
  user(request: FastifyRequest, ref: AssetRef): V2UsedByItem | undefined;
}

const MESSAGES = DETAIL_MESSAGES;

/** The asset's place for a create: appData's folder (or program), else its workspace's Design Studio folder. */
export function placeOfAppData(
  request: FastifyRequest,
  appData: { folderId?: number | undefined; programId?: number | undefined; workspaceId?: number | undefined },
  rule: PlacementRule,
): AssetRowPlace {
  const places = request.ctx.port('assetPlaces');
  const scope = scopeOf(request);
  let place: AssetRowPlace;
  if (appData.programId !== undefined) {
    place = placeFor(places, scope, { id: appData.programId, type: 'Program' }, rule);
  } else if (appData.folderId !== undefined) {
    place = placeFor(places, scope, { id: appData.folderId, type: 'Folder' }, rule);
  } else if (appData.workspaceId !== undefined) {
    const workspace = request.ctx.repos.workspaces.find(appData.workspaceId);
    if (!workspace)
      throw new MarketoError('702', formatMessage(MESSAGES.assetNotFound, 'Workspace', appData.workspaceId));
    const zone = places.folderPaths().get(`/design studio/${workspace.name.toLowerCase()}`);
    if (!zone) throw new MarketoError('702', formatMessage(MESSAGES.assetNotFound, 'Workspace', appData.workspaceId));
    place = placeFor(places, scope, { id: zone.id, type: 'Folder' }, rule);
  } else {
    throw new MarketoError('1003', MESSAGES.v2AppDataPlace);
  }
  if (appData.workspaceId !== undefined && place.workspaceId !== appData.workspaceId) {
    throw new MarketoError('1003', formatMessage(MESSAGES.v2AppDataWorkspace, place.workspaceId, appData.workspaceId));
  }
  return place;
}

/** Every v2 operation of one type. */
export function registerV2Routes<
  Fields,
  Content,
  Create extends { name: string; description?: string | undefined },
  Update,
>(app: FastifyInstance, type: V2Type<Fields, Content, Create, Update>): void {
  const base = `/rest/asset/v2/${type.segment}`;
  const { tags } = type;
  const design = 'Access Design Studio';
  const ui = {
    read: [design, type.ui.access],
    edit: [design, type.ui.edit],
    approve: [design, type.ui.approve],
    delete: [design, type.ui.delete],
    usedBy: [design],
  };
  const detailEnvelope = v2Envelope(type.detailSchema);
  const filterQuery = z.object({
    ...filterShape,
    ...(type.filterField ? { [type.filterField.name]: type.filterField.schema } : {}),
  });

  const detailOf = (request: FastifyRequest, row: AssetRow<unknown>, status?: VersionStatus) => {
    const machine = type.machine(request);
    const version = machine.shown(row.id, status);
    return version ? type.detail(request, row, version, machine.statuses(row.id)) : undefined;
  };
  const answerDetail = (request: FastifyRequest, id: number, status?: VersionStatus) => {
    const row = type.rows(request).find(id)!;
    return assetEnvelope(request.marketoRequestId(), [detailOf(request, row, status)!]);
  };
  /** An asset the caller can read, or none: unknown and unseen are alike. */
  const readable = (request: FastifyRequest, scope: AssetScope, id: number) =>
    visibleRow(type.rows(request), scope, id);

  app.post(
    base,
    {
      config: { permissions: V2_WRITE, uiPermissions: ui.edit },
      schema: {
        tags,
        summary: `Create ${type.label}`,
        description: type.create.description,
        headers: appTypeHeaders,
        body: type.create.body,
        response: { 200: detailEnvelope },
      },
    },
    async (request) => {
      const input = request.body as Create;
      const place = type.create.place(request, input);
      const version = type.create.version(request, input, place);
      const rows = type.rows(request);
      const id = request.ctx.transaction(() => {
        assertNameFree(rows, place, input.name);
        const created = rows.insert({ name: input.name, description: input.description ?? '', place, meta: {} });
        type.machine(request).create(created, version.fields, version.content);
        return created;
      });
      return answerDetail(request, id);
    },
  );

  app.get(
    `${base}/:id`,
    {
      config: { permissions: V2_READ, uiPermissions: ui.read },
      schema: {
        tags,
        summary: `Get ${type.label} by Id`,
        description: 'The approved version if there is one, else the draft, with its content (`data`).',
        headers: appTypeHeaders,
        params: v2IdParams,
        response: { 200: detailEnvelope },
      },
    },
    async (request) => {
      const { id } = request.params as { id: number };
      const row = readable(request, scopeOf(request), id);
      const record = row && detailOf(request, row);
      return assetEnvelope(request.marketoRequestId(), record ? [record] : []);
    },
  );

  app.post(
    `${base}/:id/update`,
    {
      config: { permissions: V2_WRITE, uiPermissions: ui.edit },
      schema: {
        tags,
        summary: `Update ${type.label}`,
        description: type.update.description,
        headers: appTypeHeaders,
        params: v2IdParams,
        body: type.update.body,
        response: { 200: detailEnvelope },
      },
    },
    async (request) => {
      const { id } = request.params as { id: number };
      const input = (request.body ?? {}) as Update;
      const rows = type.rows(request);
      const row = writableRow(rows, scopeOf(request), id);
      const edit = type.update.edit(request, row, input);
      request.ctx.transaction(() => {
        renameAsset(rows, row, type.update.rename(input));
        if (edit) type.machine(request).edit(row.id, edit);
      });
      // The record shows the version the update changed: the draft after a content or settings change.
      return answerDetail(request, row.id, edit ? 'draft' : undefined);
    },
  );

  const remove = (request: FastifyRequest, ids: readonly number[], ignoreUsedBy = false) => {
    const rows = type.rows(request);
    const scope = scopeOf(request);
    const machine = type.machine(request);
    request.ctx.transaction(() => {
      for (const id of new Set(ids)) {
        const row = writableRow(rows, scope, id);
        machine.assertDeletable(row.id, { ignoreDraftUsers: ignoreUsedBy });
        rows.delete(row.id);
      }
    });
    return done(request.marketoRequestId());
  };

  app.post(
    `${base}/:id/delete`,
    {
      config: { permissions: V2_WRITE, uiPermissions: ui.delete },
      schema: {
        tags,
        summary: `Delete ${type.label}`,
        description: '709 while it is approved (unapprove it first) or used by another asset (the message names them).',
        headers: appTypeHeaders,
        params: v2IdParams,
        response: { 200: v2DeleteEnvelope },
      },
    },
    async (request) => remove(request, [(request.params as { id: number }).id]),
  );

  app.post(
    `${base}/clone`,
    {
      config: { permissions: V2_WRITE, uiPermissions: ui.edit },
      schema: {
        tags,
        summary: `Clone ${type.label}`,
        description:
          '`assetId` and `newAsset` {name, description}: the approved version, else the draft, as a new draft in ' +
          'the same folder or program (the request names no other place).',
        headers: appTypeHeaders,
        body: cloneBody,
        response: { 200: detailEnvelope },
      },
    },
    async (request) => {
      const input = request.body as z.infer<typeof cloneBody>;
      const rows = type.rows(request);
      const scope = scopeOf(request);
      const source = readable(request, scope, input.assetId) ?? notFound(scope, rows.type, input.assetId, undefined);
      const machine = type.machine(request);
      const version = machine.shown(source.id)!;
      const place = placeFor(
        request.ctx.port('assetPlaces'),
        scope,
        source.programId !== null
          ? { id: source.programId, type: 'Program' }
          : { id: source.folderId!, type: 'Folder' },
        type.placement,
      );
      const id = request.ctx.transaction(() => {
        assertNameFree(rows, place, input.newAsset.name);
        const created = rows.insert({
          name: input.newAsset.name,
          description: input.newAsset.description ?? source.description,
          place,
          meta: {},
        });
        machine.create(created, version.fields, version.content);
        return created;
      });
      return answerDetail(request, id);
    },
  );

  app.get(
    `${base}/filter`,
    {
      config: { permissions: V2_READ, uiPermissions: ui.read },
      schema: {
        tags,
        summary: `List ${type.plural}`,
        description:
          'The assets of `workspaceId` (none when the caller cannot read it), narrowed by folder or program ' +
          '(`folderId`, `folderType`), `status` (repeated), `name` (a part, any case), created and modified ' +
          'ranges; sorted by `sortKey` (id, name, createdAt, modifiedAt) and `sortOrder`; page `pageIndex` (from 0) ' +
          'of `pageSize` (≤ 50). `totalItems` counts every match.',
        headers: appTypeHeaders,
        querystring: filterQuery,
        response: { 200: filterEnvelope(type.summarySchema) },
      },
    },
    async (request) => {
      const q = request.query as z.infer<typeof filterQuery> & Record<string, unknown>;
      const scope = scopeOf(request);
      const extra = type.filterField && q[type.filterField.name];
      const page =
        canSee(scope, q.workspaceId) && (q.status === undefined || q.status.length > 0)
          ? type.rows(request).filter({
              workspaceId: q.workspaceId,
              ...(q.folderId !== undefined && q.folderType === 'Folder' ? { folderId: q.folderId } : {}),
              ...(q.folderId !== undefined && q.folderType === 'Program' ? { programId: q.folderId } : {}),
              statuses: q.status,
              nameContains: q.name,
              createdFrom: q.createdAtStart,
              createdTo: q.createdAtEnd,
              modifiedFrom: q.modifiedAtStart,
              modifiedTo: q.modifiedAtEnd,
              ...(type.filterField && extra !== undefined
                ? { field: { path: type.filterField.path, value: extra as string | number } }
                : {}),
              sortKey: q.sortKey,
              descending: q.sortOrder === 'DESC',
              offset: q.pageIndex * q.pageSize,
              limit: q.pageSize,
            })
          : { total: 0, rows: [] };
      const machine = type.machine(request);
      const items = page.rows.map((row) =>
        type.summary(
          request,
          row,
          {
            status: row.status,
            fields: row.fields,
            content: undefined,
            createdAt: row.createdAt,
            updatedAt: row.versionUpdatedAt,
          },
          machine.statuses(row.id),
        ),
      );
      return {
        requestId: request.marketoRequestId(),
        success: true as const,
        errors: [],
        warnings: items.length === 0 ? [NO_ASSETS] : [],
        result: { totalItems: page.total, pageSize: q.pageSize, currentPage: q.pageIndex, items },
      };
    },
  );

  app.post(
    `${base}/state/transition`,
    {
      config: { permissions: V2_WRITE, uiPermissions: ui.approve },
      schema: {
        tags,
        summary: `Update ${type.label} Status`,
        description:
          '`contentId` (the asset id) and `action`: approve (the draft replaces the approved version), unapprove, ' +
          'discard (the draft of an approved asset), create_draft (a draft copied from the approved version). ' +
          'approve and unapprove also need Approve Assets in the asset’s workspace, as v1’s do; 709 with the ' +
          'machine’s reason. The record of the version now shown.',
        headers: appTypeHeaders,
        body: stateTransitionBody,
        response: { 200: detailEnvelope },
      },
    },
    async (request) => {
      const { contentId, action } = request.body as z.infer<typeof stateTransitionBody>;
      const rows = type.rows(request);
      const scope = scopeOf(request);
      const machine = type.machine(request);
      // Decision (README): approving through v2 needs what approving through v1 needs.
      const approving = action === 'approve' || action === 'unapprove';
      const row = writableRow(rows, scope, contentId, approving ? approvableWorkspaces(request) : scope.writable);
      request.ctx.transaction(() => {
        if (action === 'approve') machine.approve(row.id);
        else if (action === 'unapprove') machine.unapprove(row.id);
        else if (action === 'discard') machine.discardDraft(row.id);
        else {
          if (machine.statuses(row.id).includes('draft')) {
            throw businessRule(MESSAGES.v2DraftExists, nameOf({ type: rows.type, id: row.id }));
          }
          machine.edit(row.id, (current) => current);
        }
      });
      return answerDetail(request, row.id, action === 'create_draft' ? 'draft' : undefined);
    },
  );

  app.post(
    `${base}/usedby`,
    {
      config: { permissions: V2_READ, uiPermissions: ui.usedBy },
      schema: {
        tags,
        summary: `Get ${type.label} Used By`,
        description:
          'The assets whose versions use it (each once), by type then id; `type` keeps one content type ' +
          '(email, emailtemplate, fragment, snippet …); `pageIndex` (from 0), `pageSize` (≤ 50).',
        headers: appTypeHeaders,
        body: usedByBody,
        response: { 200: v2UsedByEnvelope },
      },
    },
    async (request) => {
      const input = request.body as z.infer<typeof usedByBody>;
      const row = readable(request, scopeOf(request), input.assetId);
      if (!row) return assetEnvelope(request.marketoRequestId(), []);
      const users = type
        .machine(request)
        .usedBy(row.id)
        .map((use) => type.user(request, use.user))
        .filter((user): user is V2UsedByItem => user !== undefined)
        .filter((user) => input.type === undefined || user.contentType === input.type.toLowerCase());
      const start = input.pageIndex * input.pageSize;
      return {
        requestId: request.marketoRequestId(),
        success: true as const,
        errors: [],
        warnings: [],
        result: users.slice(start, start + input.pageSize),
        pageDetails: { totalItems: users.length, pageSize: input.pageSize, currentPage: input.pageIndex },
      };
    },
  );

  app.post(
    `${base}/bulk/get`,
    {
      config: { permissions: V2_READ, uiPermissions: ui.read },
      schema: {
        tags,
        summary: `Bulk Get ${type.plural}`,
        description:
          '`assetIds` (≤ 20): each asset the caller can read, in full, in the order asked (each once); the others ' +
          'are left out.',
        headers: bulkAppTypeHeaders,
        body: bulkGetBody,
        response: { 200: detailEnvelope },
      },
    },
    async (request) => {
      const { assetIds } = request.body as z.infer<typeof bulkGetBody>;
      const scope = scopeOf(request);
      const records = [...new Set(assetIds)].flatMap((id) => {
        const row = readable(request, scope, id);
        const record = row && detailOf(request, row);
        return record ? [record] : [];
      });
      return assetEnvelope(request.marketoRequestId(), records);
    },
  );

  app.post(
    `${base}/bulk/delete`,
    {
      config: { permissions: V2_WRITE, uiPermissions: ui.delete },
      schema: {
        tags,
        summary: `Bulk Delete ${type.plural}`,
        description:
          '`assetIds` (≤ 20), all or none: 702 for an unknown one, 603 outside the caller’s workspaces, 709 for ' +
          'an approved one or one in use. `ignoreUsedBy`: drafts that use them do not keep them (an approved ' +
          'user still does).',
        headers: bulkAppTypeHeaders,
        body: bulkDeleteBody,
        response: { 200: v2DeleteEnvelope },
      },
    },
    async (request) => {
      const { assetIds, ignoreUsedBy } = request.body as z.infer<typeof bulkDeleteBody>;
      return remove(request, assetIds, ignoreUsedBy === true);
    },
  );

  app.post(
    `${base}/bulk/usedby`,
    {
      config: { permissions: V2_READ, uiPermissions: ui.usedBy },
      schema: {
        tags,
        summary: `Bulk Get ${type.plural} Used By`,
        description:
          '`assetIds` (≤ 50): for each asset the caller can read, whether it is used and by how many assets.',
        headers: bulkAppTypeHeaders,
        body: bulkUsedByBody,
        response: { 200: v2BulkUsedByEnvelope },
      },
    },
    async (request) => {
      const { assetIds } = request.body as z.infer<typeof bulkUsedByBody>;
      const scope = scopeOf(request);
      const machine = type.machine(request);
      const items = [...new Set(assetIds)].flatMap((id) => {
        const row = readable(request, scope, id);
        if (!row) return [];
        const count = machine.usedBy(row.id).length;
        return [{ id: String(row.id), name: row.name, count, used: count > 0 }];
      });
      return assetEnvelope(request.marketoRequestId(), items);
    },
  );
}

/**
 * A user of an asset as usedBy lists it, from the rows of its type when the caller's family knows them (with its name
 * and place); undefined for one in a workspace the caller cannot read, which is left out.
 */
export function usedByItem(
  ref: AssetRef,
  rows: AssetRows<unknown, unknown> | undefined,
  scope: AssetScope,
): V2UsedByItem | undefined {
  const contentType = ref.type.toLowerCase().replace(/\s+/g, '');
  const id = String(ref.id);
  if (!rows) return { id, contentType, externalId: id };
  const row = rows.find(ref.id);
  if (!row || !canSee(scope, row.workspaceId)) return undefined;
  return { id, name: row.name, appData: v2AppData(row), contentType, externalId: id };
}

export type V2UsedByItem = z.infer<typeof usedByItemSchema>;
