import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formatAssetDatetime } from '../../domain/datetime.js';
import { MarketoError, NotFoundError } from '../../domain/errors.js';
import { DETAIL_MESSAGES, formatMessage } from '../../domain/marketo-codes.js';
import { seedId } from '../../domain/record-ids.js';
import { assetDescription, assetName, iso, seedTime } from '../../engines/assets/asset-records.js';
import { booleanParam, folderRef, formBody, pagingShape, writeParams } from '../../engines/assets/params.js';
import { placeSeed, seedPlaces } from '../../engines/assets/seed-places.js';
import { assertWritable, businessRule, canSee, READ, scopeOf, WRITE } from '../../engines/assets/scope.js';
import { idParams, type PlacementRule, placeFor } from '../../engines/assets/versioned.js';
import { defineFamily, type FamilyRouteOptions } from '../../family.js';
import { envelopeOf } from '../../http/marketo-schemas.js';
import { oneFileForm, type UploadedFile, uploadedFileParam } from '../../http/multipart.js';
import { assetEnvelope } from '../../http/wire-formats.js';
import { migrations } from './migrations.js';
import { type FileRow, FileRepository } from './repository.js';

/**
 * Files (files.md): images, scripts, documents and style sheets in Design Studio folders, so in workspaces (the
 * asset rule: seen where the caller holds Read-Only or Read-Write Assets, changed where Read-Write). Uploaded as
 * multipart/form-data, each served back byte for byte with the MIME type its part was sent with, at its `url`.
 */

/**
 * "The maximum size per file is 100MB" (Marketo Engage's Add Images and Files to Marketo), read as 100 MiB as bulk
 * import's 10 MB is: one byte more is HTTP 413 and nothing is kept. Decision (README): the REST API's 1 MB body limit
 * (error-codes.md) is for JSON and form bodies; an upload's limit is the file's.
 */
export const MAX_FILE_BYTES = 100 * 1024 * 1024;

/** What Create File and Update File Content tell the plane's parser: one file, kept as bytes, at most 100 MiB. */
const UPLOAD = oneFileForm(MAX_FILE_BYTES);

/** Files go in Design Studio folders ("Images and Files"), not in programs (ours: README "Files"). */
const FILE_PLACES: PlacementRule = { what: 'Files', programs: false, trees: ['Design Studio'] };

const tags = ['Marketo: Files'];

const fileSchema = z
  .object({
    id: z.number().int(),
    size: z.number().int().describe('Bytes'),
    mimeType: z.string().describe('The Content-Type the file was uploaded with, which it is served with'),
    url: z.string().describe('Where the fake serves the file, without a token: <base>/rs/<Munchkin id>/images/<name>'),
    folder: z.object({ type: z.literal('Folder'), id: z.number().int(), name: z.string() }),
    name: z.string(),
    description: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'File' });
const fileEnvelope = envelopeOf(fileSchema);

const createParams = z.object({
  name: assetName,
  folder: folderRef,
  file: uploadedFileParam,
  description: assetDescription.optional(),
  insertOnly: booleanParam.optional(),
});
const contentParams = z.object({ file: uploadedFileParam });
const browseQuery = z.object({ folder: folderRef.optional(), ...pagingShape });
const byNameQuery = z.object({ name: z.string().min(1) });
const publicParams = z.object({ munchkinId: z.string(), name: z.string() });

/**
 * The file's public address, as Marketo's `/rs/<account>/images/<name>` under a landing page domain: here under the
 * server the call reached and the subscription's prefix (`/<Munchkin id>`, none for the root), so a client can fetch
 * it as it reads it (README "Files").
 */
function fileUrl(request: FastifyRequest, name: string): string {
  const { ctx } = request;
  const prefix = ctx === request.server.ctx ? '' : `/${ctx.munchkinId}`;
  return `${request.protocol}://${request.host}${prefix}/rs/${ctx.munchkinId}/images/${encodeURIComponent(name)}`;
}

function fileRecord(request: FastifyRequest, row: FileRow) {
  return {
    id: row.id,
    size: row.size,
    mimeType: row.mimeType,
    url: fileUrl(request, row.name),
    folder: { type: 'Folder' as const, id: row.folderId, name: row.folderName },
    name: row.name,
    description: row.description === '' ? null : row.description,
    createdAt: formatAssetDatetime(row.createdAt),
    updatedAt: formatAssetDatetime(row.updatedAt),
  };
}

/** Uploads are multipart/form-data (files.md): any other body is 612, before its parameters are read. */
function assertMultipart(request: FastifyRequest): void {
  if (!request.isMultipart()) throw new MarketoError('612', DETAIL_MESSAGES.fileNeedsMultipart);
}

/** The last segment of an uploaded part's filename (clients send a path: marketorestpython sends what it opened). */
const baseName = (filename: string | undefined) => (filename ?? '').split(/[/\\]/).pop() ?? '';

const fileRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<FileRepository>> = async (app, { repo }) => {
  app.get(
    '/rest/asset/v1/file/:id.json',
    {
      config: { permissions: READ },
      schema: { tags, summary: 'Get File by Id', params: idParams, response: { 200: fileEnvelope } },
    },
    async (request) => {
      const row = repo(request).find(request.params.id);
      const shown = row && canSee(scopeOf(request), row.workspaceId) ? [fileRecord(request, row)] : [];
      return assetEnvelope(request.marketoRequestId(), shown);
    },
  );

  app.get(
    '/rest/asset/v1/file/byName.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get File by Name',
        description: 'The file of that name (any case): names are unique in a subscription.',
        querystring: byNameQuery,
        response: { 200: fileEnvelope },
      },
    },
    async (request) => {
      const row = repo(request).byName(request.query.name);
      const shown = row && canSee(scopeOf(request), row.workspaceId) ? [fileRecord(request, row)] : [];
      return assetEnvelope(request.marketoRequestId(), shown);
    },
  );

  app.get(
    '/rest/asset/v1/files.json',
    {
      config: { permissions: READ },
      schema: {
        tags,
        summary: 'Get Files',
        description:
          'Files of the workspaces the caller can read, by id; `folder` ({"id":…,"type":"Folder"}) keeps those ' +
          'directly in it (a program holds none).',
        querystring: browseQuery,
        response: { 200: fileEnvelope },
      },
    },
    async (request) => {
      const { folder, offset, maxReturn } = request.query;
      const rows =
        folder?.type === 'Program'
          ? []
          : repo(request).browse({
              workspaceIds: request.access.workspaces('read', 'assets'),
              folderId: folder?.id,
              offset,
              limit: maxReturn,
            });
      return assetEnvelope(
        request.marketoRequestId(),
        rows.map((row) => fileRecord(request, row)),
      );
    },
  );

  app.post(
    '/rest/asset/v1/files.json',
    {
      config: { permissions: WRITE, ...UPLOAD },
      schema: {
        tags,
        summary: 'Create File',
        description:
          'multipart/form-data: `file` (a part with a filename equal to `name`, else 709, and the Content-Type the ' +
          `file is served with; at most ${MAX_FILE_BYTES} bytes, HTTP 413 past it), \`name\`, \`folder\` ` +
          '({"id":…,"type":"Folder"}, a Design Studio folder), `description`, `insertOnly`; parameters may come in ' +
          'the query (marketorestpython). A file of that name already there is replaced (its bytes, type and ' +
          'description; it stays in its folder), unless `insertOnly` is true (709).',
        consumes: ['multipart/form-data'],
        body: formBody(createParams),
        response: { 200: fileEnvelope },
      },
    },
    async (request) => {
      assertMultipart(request);
      const input = writeParams(createParams, request);
      const scope = scopeOf(request);
      const place = placeFor(request.ctx.port('assetPlaces'), scope, input.folder, FILE_PLACES);
      const upload: UploadedFile = input.file;
      if (baseName(upload.filename) !== input.name) throw businessRule(DETAIL_MESSAGES.fileNameMismatch);
      const files = repo(request);
      const id = request.ctx.transaction(() => {
        const existing = files.byName(input.name);
        if (existing === undefined) {
          return files.insert({
            name: input.name,
            description: input.description ?? '',
            folderId: place.folderId!,
            workspaceId: place.workspaceId,
            mimeType: upload.contentType,
            content: upload.data,
          });
        }
        if (input.insertOnly === true) {
          throw businessRule(DETAIL_MESSAGES.fileExists, existing.name, existing.id);
        }
        assertWritable(scope, existing.workspaceId);
        files.replaceContent(existing, {
          mimeType: upload.contentType,
          content: upload.data,
          description: input.description,
        });
        return existing.id;
      });
      return assetEnvelope(request.marketoRequestId(), [fileRecord(request, files.find(id)!)]);
    },
  );

  app.post(
    '/rest/asset/v1/file/:id/content.json',
    {
      config: { permissions: WRITE, ...UPLOAD },
      schema: {
        tags,
        summary: 'Update File Content',
        description:
          'multipart/form-data `file`: the new bytes, served with the part’s Content-Type from then on; the name ' +
          'and the url stay. 702 for no such file, 603 in a workspace the caller cannot change.',
        consumes: ['multipart/form-data'],
        params: idParams,
        body: formBody(contentParams.extend({ id: z.string().optional().describe('Ignored (Blackbird sends it)') })),
        response: { 200: fileEnvelope },
      },
    },
    async (request) => {
      assertMultipart(request);
      const files = repo(request);
      const scope = scopeOf(request);
      const row = files.find(request.params.id);
      if (!row) {
        throw new MarketoError('702', formatMessage(DETAIL_MESSAGES.assetNotFound, 'File', request.params.id));
      }
      assertWritable(scope, row.workspaceId);
      const { file } = writeParams(contentParams, request);
      request.ctx.transaction(() => files.replaceContent(row, { mimeType: file.contentType, content: file.data }));
      return assetEnvelope(request.marketoRequestId(), [fileRecord(request, files.find(row.id)!)]);
    },
  );
};

/**
 * A file at its public URL, byte for byte with its MIME type, with no token (files.md: "Publically accessible URL";
 * Blackbird downloads it so). 404 for a name the subscription has no file of.
 */
const publicRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<FileRepository>> = async (app, { repo }) => {
  app.get(
    '/rs/:munchkinId/images/:name',
    {
      schema: {
        tags,
        summary: 'A file, as its url serves it',
        description: 'No token: the bytes as uploaded, with the Content-Type they were uploaded with.',
        params: publicParams,
        response: {
          200: z.custom<Buffer>((value) => Buffer.isBuffer(value)).meta({ type: 'string', format: 'binary' }),
        },
      },
    },
    async (request, reply) => {
      const { munchkinId, name } = request.params;
      const files = repo(request);
      const row = munchkinId === request.ctx.munchkinId ? files.byName(name) : undefined;
      const stored = row && files.content(row.id);
      if (!stored) throw new NotFoundError('File', name);
      return reply.type(stored.mimeType).send(stored.content);
    },
  );
};

/** A file in a seed: text (`content`) or any bytes (`contentBase64`); the snapshot writes base64. */
const fileSeed = z
  .strictObject({
    id: seedId.optional(),
    name: assetName,
    description: assetDescription.optional(),
    folder: placeSeed.folder.unwrap(),
    mimeType: z.string().min(1).optional().describe('Default application/octet-stream'),
    content: z.string().optional(),
    contentBase64: z.base64().optional(),
    createdAt: seedTime,
    updatedAt: seedTime,
  })
  .refine((item) => (item.content === undefined) !== (item.contentBase64 === undefined), {
    message: 'a file has content (text) or contentBase64 (bytes): give one of the two',
  });
type FileSeed = z.infer<typeof fileSeed>;

export const files = defineFamily({
  key: 'files',
  tables: ['files'],
  wireFormat: 'asset',
  migrations,
  repository: ({ db, clock }) => new FileRepository(db, clock),
  seed: {
    item: fileSeed as z.ZodType<FileSeed>,
    load(repo, items, context) {
      const placeOf = seedPlaces(context, FILE_PLACES);
      items.forEach((item, i) => {
        const path = `[${i}]`;
        const place = placeOf(item, path);
        const content =
          item.contentBase64 !== undefined
            ? Buffer.from(item.contentBase64, 'base64')
            : Buffer.from(item.content!, 'utf8');
        if (content.length > MAX_FILE_BYTES) context.fail(path, `a file is at most ${MAX_FILE_BYTES} bytes`);
        const createdAt = context.time(item.createdAt);
        context.unique(path, () =>
          repo.insert({
            id: item.id ?? null,
            name: item.name,
            description: item.description ?? '',
            folderId: place.folderId!,
            workspaceId: place.workspaceId,
            mimeType: item.mimeType ?? 'application/octet-stream',
            content,
            createdAt,
            updatedAt: context.time(item.updatedAt, createdAt),
          }),
        );
      });
    },
    // One file's bytes at a time.
    *snapshot(repo) {
      for (const row of repo.all()) {
        yield {
          id: row.id,
          name: row.name,
          ...(row.description ? { description: row.description } : {}),
          folder: row.folderId,
          mimeType: row.mimeType,
          contentBase64: repo.content(row.id)!.content.toString('base64'),
          createdAt: iso(row.createdAt),
          updatedAt: iso(row.updatedAt),
        } satisfies FileSeed;
      }
    },
    example: [
      {
        name: 'logo.svg',
        folder: '/Design Studio/Contract',
        mimeType: 'image/svg+xml',
        content: '<svg xmlns="http://www.w3.org/2000/svg"/>',
      },
    ],
  },
  marketoRoutes: fileRoutes,
  publicRoutes,
});
