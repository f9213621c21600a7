import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { requestIdValue } from '../../domain/record-ids.js';
import { MarketoError } from '../../domain/errors.js';
import { DETAIL_MESSAGES, formatMessage, marketoMessage } from '../../domain/marketo-codes.js';
import type { PermissionKey } from '../../domain/permissions.js';
import { envelopeOf } from '../../http/marketo-schemas.js';
import { assetEnvelope } from '../../http/wire-formats.js';
import { folderRef, pagingShape } from './params.js';
import type { AssetSegmentation } from './places.js';
import type { ApprovalMachine, VersionStatus } from './approval.js';
import type { AssetRow, AssetRowPlace, AssetRows, BrowsedRow } from './asset-rows.js';
import type { AssetPlaces, Tree } from './places.js';
import { type AssetScope, assertWritable, businessRule, canSee, notFound, READ, scopeOf, WRITE } from './scope.js';

/** What every versioned asset family's routes share: the status parameter, placing, finding, and approval routes. */

/** Approve Draft and Unapprove need Approve Assets (swagger-asset.json; endpoint-reference.md says otherwise). */
export const APPROVE: readonly PermissionKey[] = ['approve-assets'];

/** `status=approved|draft`, in any case (docs show "Approved", "Draft"). */
export const statusParam = z
  .preprocess((value) => (typeof value === 'string' ? value.toLowerCase() : value), z.enum(['approved', 'draft']))
  .optional()
  .describe('approved or draft');

/** The folder an email, template or snippet record names: `{"type":"Folder","value":15,"folderName":"Templates"}`. */
export function folderValue(row: AssetRowPlace & { folderName: string }) {
  return row.programId !== null
    ? { type: 'Program' as const, value: row.programId, folderName: row.folderName }
    : { type: 'Folder' as const, value: row.folderId!, folderName: row.folderName };
}

export const folderValueSchema = z.object({
  type: z.enum(['Folder', 'Program']),
  value: z.number().int(),
  folderName: z.string(),
});

/** Where a type's assets may go: programs or not, and folders of which trees. */
export interface PlacementRule {
  /** The type as messages name it, plural: "emails". */
  what: string;
  programs: boolean;
  trees: readonly Tree[];
}

/**
 * The place a create or clone names (`folder={"id":…,"type":"Folder"|"Program"}`): 710 when it does not exist, 603
 * when its workspace is not writable, 711 when the type does not go there.
 */
export function placeFor(
  places: AssetPlaces,
  scope: AssetScope,
  ref: { id: number; type: 'Folder' | 'Program' },
  rule: PlacementRule,
): AssetRowPlace {
  if (ref.type === 'Program') {
    const program = places.program(ref.id);
    if (!program) throw new MarketoError('710', marketoMessage('710'));
    assertWritable(scope, program.workspaceId);
    if (!rule.programs) {
      throw new MarketoError(
        '711',
        formatMessage(DETAIL_MESSAGES.assetNotInProgram, rule.what, rule.trees.join(' or ')),
      );
    }
    return { folderId: null, programId: program.id, workspaceId: program.workspaceId };
  }
  const folder = places.folder(ref.id);
  if (!folder) throw new MarketoError('710', marketoMessage('710'));
  // /Design Studio itself holds only the workspaces' zones (folders.md), as for static lists.
  if (folder.treeRoot) throw businessRule(DETAIL_MESSAGES.treeRootHoldsWorkspaces, folder.id, folder.tree);
  assertWritable(scope, folder.workspaceId);
  if (!rule.trees.includes(folder.tree)) {
    throw new MarketoError(
      '711',
      formatMessage(DETAIL_MESSAGES.assetInWrongTree, rule.what, folder.id, folder.tree, rule.trees.join(' or ')),
    );
  }
  return { folderId: folder.id, programId: null, workspaceId: folder.workspaceId };
}

/** The row a read names, if it exists in a workspace the caller can read. */
export function visibleRow<Meta>(rows: AssetRows<Meta, unknown>, scope: AssetScope, id: number) {
  const row = rows.find(id);
  return row && canSee(scope, row.workspaceId) ? row : undefined;
}

/** The row a write names: 702 when there is none, 603 when its workspace is not one the caller may change. */
export function writableRow<Meta>(
  rows: AssetRows<Meta, unknown>,
  scope: AssetScope,
  id: number,
  writable: ReadonlySet<number> = scope.writable,
): AssetRow<Meta> {
  const row = rows.find(id);
  if (!row) notFound(scope, rows.type, id, undefined);
  if (!writable.has(row!.workspaceId)) throw new MarketoError('603', marketoMessage('603'));
  return row!;
}

/** The workspaces where the caller holds Approve Assets: where it may approve and unapprove. */
export function approvableWorkspaces(request: FastifyRequest): ReadonlySet<number> {
  return new Set(request.access.workspacesHolding('approve-assets'));
}

/** Names are unique in a folder or program, without regard to case: 709 naming the clash. */
export function assertNameFree<Meta>(
  rows: AssetRows<Meta, unknown>,
  place: AssetRowPlace,
  name: string,
  except?: number,
): void {
  const clash = rows.nameInPlace(place, name);
  if (clash !== undefined && clash !== except) {
    throw new MarketoError(
      '709',
      formatMessage(DETAIL_MESSAGES.duplicateAssetName, rows.type, name, place.programId ?? place.folderId!),
    );
  }
}

export const idParams = z.object({ id: requestIdValue });
export const idResult = z.object({ id: z.number().int() });
export const idResultEnvelope = envelopeOf(idResult);

/** How one type's approval routes answer: the record (templates, snippets) or `{id}` (emails). */
export interface ApprovalRoutes<Meta> {
  /** The path segment: 'email' → /rest/asset/v1/email/{id}/approveDraft.json. */
  path: string;
  tags: string[];
  /** "Email", "Email Template": for summaries. */
  label: string;
  rows(request: FastifyRequest): AssetRows<Meta, unknown>;
  machine(
    request: FastifyRequest,
  ): Pick<ApprovalMachine<never, never>, 'approve' | 'unapprove' | 'discardDraft' | 'assertDeletable'>;
  /** The answer of approve and unapprove: the record of the version now shown, or the id. */
  answer?: { schema: z.ZodType; record(request: FastifyRequest, id: number): unknown };
  /** False for a type Adobe's spec gives no Unapprove operation (forms). */
  unapprove?: boolean;
  /** Deletes the asset (after the machine allowed it); the default deletes its row. */
  remove?(request: FastifyRequest, row: AssetRow<Meta>): void;
}

/**
 * Approve Draft, Unapprove, Discard Draft and Delete of one versioned type, on the approval machine: each names the
 * asset by id (702 when unknown, 603 outside the caller's workspaces) and answers 709 with the machine's reason.
 */
export function registerApprovalRoutes<Meta>(app: FastifyInstance, options: ApprovalRoutes<Meta>): void {
  const base = `/rest/asset/v1/${options.path}/:id`;
  const answered = options.answer;
  const recordEnvelope = answered ? envelopeOf(answered.schema) : idResultEnvelope;
  const answer = (request: FastifyRequest, id: number) =>
    assetEnvelope(request.marketoRequestId(), [answered ? answered.record(request, id) : { id }]);

  app.post(
    `${base}/approveDraft.json`,
    {
      config: { permissions: APPROVE },
      schema: {
        tags: options.tags,
        summary: `Approve ${options.label} Draft`,
        description:
          'The draft replaces the approved version. 709 when there is no draft, when the draft breaks the ' +
          "type's approval rules, or when an asset it uses is not approved (the message says which).",
        params: idParams,
        response: { 200: recordEnvelope },
      },
    },
    async (request) => {
      const { id } = request.params as { id: number };
      const row = writableRow(options.rows(request), scopeOf(request), id, approvableWorkspaces(request));
      request.ctx.transaction(() => options.machine(request).approve(row.id));
      return answer(request, row.id);
    },
  );

  if (options.unapprove !== false) registerUnapprove(app, options, recordEnvelope, answer);
  registerDiscardAndDelete(app, options);
}

function registerUnapprove<Meta>(
  app: FastifyInstance,
  options: ApprovalRoutes<Meta>,
  recordEnvelope: z.ZodType,
  answer: (request: FastifyRequest, id: number) => unknown,
): void {
  const base = `/rest/asset/v1/${options.path}/:id`;
  app.post(
    `${base}/unapprove.json`,
    {
      config: { permissions: APPROVE },
      schema: {
        tags: options.tags,
        summary: `Unapprove ${options.label}`,
        description:
          'The approved version becomes the draft (a draft there was is discarded). 709 when it is not approved ' +
          'or an approved asset uses it (the message names them).',
        params: idParams,
        response: { 200: recordEnvelope },
      },
    },
    async (request) => {
      const { id } = request.params as { id: number };
      const row = writableRow(options.rows(request), scopeOf(request), id, approvableWorkspaces(request));
      request.ctx.transaction(() => options.machine(request).unapprove(row.id));
      return answer(request, row.id);
    },
  );
}

function registerDiscardAndDelete<Meta>(app: FastifyInstance, options: ApprovalRoutes<Meta>): void {
  const base = `/rest/asset/v1/${options.path}/:id`;
  app.post(
    `${base}/discardDraft.json`,
    {
      config: { permissions: WRITE },
      schema: {
        tags: options.tags,
        summary: `Discard ${options.label} Draft`,
        description: 'The draft of an approved asset goes; a draft-only asset is 709 (delete it instead).',
        params: idParams,
        response: { 200: idResultEnvelope },
      },
    },
    async (request) => {
      const { id } = request.params as { id: number };
      const row = writableRow(options.rows(request), scopeOf(request), id);
      request.ctx.transaction(() => options.machine(request).discardDraft(row.id));
      return assetEnvelope(request.marketoRequestId(), [{ id: row.id }]);
    },
  );

  app.post(
    `${base}/delete.json`,
    {
      config: { permissions: WRITE },
      schema: {
        tags: options.tags,
        summary: `Delete ${options.label}`,
        description: '709 while it is approved (unapprove it first) or used by another asset (the message names them).',
        params: idParams,
        response: { 200: idResultEnvelope },
      },
    },
    async (request) => {
      const { id } = request.params as { id: number };
      const rows = options.rows(request);
      const row = writableRow(rows, scopeOf(request), id);
      request.ctx.transaction(() => {
        options.machine(request).assertDeletable(row.id);
        if (options.remove) options.remove(request, row);
        else rows.delete(row.id);
      });
      return assetEnvelope(request.marketoRequestId(), [{ id: row.id }]);
    },
  );
}

/** What a create or a clone of a versioned asset needs: its rows, its machine, where it may go. */
export interface VersionedType<Fields, Content> {
  rows: AssetRows<Record<string, never>, unknown>;
  machine: Pick<ApprovalMachine<Fields, Content>, 'create' | 'shown'>;
}

/** A new asset of the type, as a draft: its name checked free in its place, its row, its first version. */
export function insertDraft<Fields, Content>(
  request: FastifyRequest,
  type: VersionedType<Fields, Content>,
  row: { name: string; description: string; place: AssetRowPlace },
  version: { fields: Fields; content: Content },
): number {
  return request.ctx.transaction(() => {
    assertNameFree(type.rows, row.place, row.name);
    const id = type.rows.insert({ ...row, meta: {} });
    type.machine.create(id, version.fields, version.content);
    return id;
  });
}

/**
 * Clone: the source (one the caller can read: else 702) copied into a new draft in `folder`; the approved version
 * is cloned, else the draft ("If no approved version exists, then the draft version is cloned", emails.md).
 */
export function cloneDraft<Fields, Content>(
  request: FastifyRequest,
  type: VersionedType<Fields, Content>,
  rule: PlacementRule,
  sourceId: number,
  input: { name: string; folder: { id: number; type: 'Folder' | 'Program' }; description?: string | undefined },
  adjust: (fields: Fields) => Fields = (fields) => fields,
): number {
  const scope = scopeOf(request);
  const source = visibleRow(type.rows, scope, sourceId) ?? notFound(scope, type.rows.type, sourceId, undefined);
  const place = placeFor(request.ctx.port('assetPlaces'), scope, input.folder, rule);
  const version = type.machine.shown(source.id)!;
  return insertDraft(
    request,
    type,
    { name: input.name, description: input.description ?? source.description, place },
    { fields: adjust(version.fields), content: version.content },
  );
}

/** Update Metadata's `name` and `description`: the asset's own (no draft is made); the name checked free. */
export function renameAsset<Meta>(
  rows: AssetRows<Meta, unknown>,
  row: AssetRow<Meta>,
  input: { name?: string | undefined; description?: string | undefined },
): void {
  if (input.name === undefined && input.description === undefined) return;
  if (input.name !== undefined) assertNameFree(rows, row, input.name, row.id);
  rows.update(row.id, {
    name: input.name ?? row.name,
    description: input.description ?? row.description,
    meta: row.meta,
  });
}

/** What every versioned asset's record has (EmailResponse, EmailTemplateResponse, SnippetResponse …). */
export const versionedRecordShape = {
  id: z.number().int(),
  name: z.string(),
  description: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  url: z.string(),
  folder: folderValueSchema,
  status: z.enum(['approved', 'draft']),
  workspace: z.string(),
};

export const statusQuery = z.object({ status: statusParam });

/** Get … by Id of a versioned type: the version `status` names (else the default) of an asset the caller can read. */
export function registerGetById<Meta>(
  app: FastifyInstance,
  options: {
    path: string;
    tags: string[];
    summary: string;
    envelope: z.ZodType;
    rows(request: FastifyRequest): AssetRows<Meta, unknown>;
    records(request: FastifyRequest, row: AssetRow<Meta> | undefined, status: VersionStatus | undefined): unknown[];
  },
): void {
  app.get(
    `/rest/asset/v1/${options.path}/:id.json`,
    {
      config: { permissions: READ },
      schema: {
        tags: options.tags,
        summary: options.summary,
        params: idParams,
        querystring: statusQuery,
        response: { 200: options.envelope },
      },
    },
    async (request) => {
      const { id } = request.params as { id: number };
      const { status } = request.query as { status?: VersionStatus };
      const row = visibleRow(options.rows(request), scopeOf(request), id);
      return assetEnvelope(request.marketoRequestId(), options.records(request, row, status));
    },
  );
}

const browseQuery = z.object({ status: statusParam, folder: folderRef.optional(), ...pagingShape });
const byNameQuery = z.object({ name: z.string().min(1), status: statusParam });

/**
 * Get … (browse) of a versioned type: the assets of the workspaces the caller can read, by id, each once in the
 * version it shows (or the versions `status` names); `folder` keeps those directly in that folder or program.
 */
export function registerBrowse<Fields>(
  app: FastifyInstance,
  options: {
    path: string;
    tags: string[];
    summary: string;
    envelope: z.ZodType;
    rows(request: FastifyRequest): AssetRows<Record<string, never>, Fields>;
    record(request: FastifyRequest, row: BrowsedRow<Record<string, never>, Fields>): unknown;
  },
): void {
  app.get(
    `/rest/asset/v1/${options.path}.json`,
    {
      config: { permissions: READ },
      schema: {
        tags: options.tags,
        summary: options.summary,
        description:
          'Of the workspaces the caller can read, by id: without `status` each once (approved version, else ' +
          'draft); `status=approved|draft` lists those versions; `folder` keeps those directly in it.',
        querystring: browseQuery,
        response: { 200: options.envelope },
      },
    },
    async (request) => {
      const { status, folder, offset, maxReturn } = request.query as z.infer<typeof browseQuery>;
      const rows = options.rows(request).browse({
        workspaceIds: request.access.workspaces('read', 'assets'),
        status,
        ...(folder?.type === 'Folder' ? { folderId: folder.id } : {}),
        ...(folder?.type === 'Program' ? { programId: folder.id } : {}),
        offset,
        limit: maxReturn,
      });
      return assetEnvelope(
        request.marketoRequestId(),
        rows.map((row) => options.record(request, row)),
      );
    },
  );
}

/** Get … by Name of a versioned type: the assets of that name (any case) the caller can read. */
export function registerGetByName<Meta>(
  app: FastifyInstance,
  options: {
    path: string;
    tags: string[];
    summary: string;
    envelope: z.ZodType;
    rows(request: FastifyRequest): AssetRows<Meta, unknown>;
    records(request: FastifyRequest, row: AssetRow<Meta>, status: VersionStatus | undefined): unknown[];
  },
): void {
  app.get(
    `/rest/asset/v1/${options.path}/byName.json`,
    {
      config: { permissions: READ },
      schema: {
        tags: options.tags,
        summary: options.summary,
        querystring: byNameQuery,
        response: { 200: options.envelope },
      },
    },
    async (request) => {
      const { name, status } = request.query as z.infer<typeof byNameQuery>;
      const scope = scopeOf(request);
      const rows = options
        .rows(request)
        .byName(name)
        .filter((row) => scope.readable.has(row.workspaceId));
      return assetEnvelope(
        request.marketoRequestId(),
        rows.flatMap((row) => options.records(request, row, status)),
      );
    },
  );
}

/** The segmentation dynamic content varies by: 702 when there is none the caller can see. */
export function segmentationFor(request: FastifyRequest, id: number): AssetSegmentation {
  const segmentation = request.ctx.findPort('segmentations')?.segmentation(id);
  if (!segmentation || !scopeOf(request).readable.has(segmentation.workspaceId)) {
    throw new MarketoError('702', formatMessage(DETAIL_MESSAGES.assetNotFound, 'Segmentation', id));
  }
  return segmentation;
}
