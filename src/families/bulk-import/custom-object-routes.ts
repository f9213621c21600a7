import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MarketoError } from '../../domain/errors.js';
import { marketoMessage } from '../../domain/marketo-codes.js';
import type { PermissionKey } from '../../domain/permissions.js';
import type { Job } from '../../engines/jobs/kinds.js';
import type { FamilyRouteOptions } from '../../family.js';
import { successEnvelope } from '../../http/envelope.js';
import { envelopeOf } from '../../http/marketo-schemas.js';
import type { CustomObjectImport } from '../../ports.js';
import { customObjectImportJob, type CustomObjectImportOptions, customObjectTarget } from './custom-object-import.js';
import { type ImportProgress, importMessage, importTime } from './import-job.js';
import {
  createImport,
  formatParam,
  importBody,
  notFound,
  originOf,
  ownImport,
  paramsOf,
  batchRoutes,
} from './import-routes.js';
import type { ImportRepository } from './repository.js';
import { IMPORT_FORM } from './multipart-form.js';

/** Every bulk custom object import operation requires Read-Write Custom Object (swagger-mapi.json). */
const WRITE: readonly PermissionKey[] = ['read-write-custom-object'];
const tags = ['Marketo: Bulk Import Custom Objects'];

const apiName = z.string().min(1).describe('The API name of an approved custom object type');
const typeParams = z.object({ apiName });
const batchParams = z.object({
  apiName,
  batchId: z.coerce.number().int().describe('The batchId the import answered'),
});
const importParams = z.object({ format: formatParam });

/** ImportCustomObjectResponse (swagger-mapi.json), as bulk-custom-object-import.md shows it. */
const importResult = z
  .object({
    batchId: z.number().int(),
    operation: z.literal('import'),
    status: z.string().describe('Queued, Importing, Complete or Failed'),
    objectApiName: z.string(),
    numOfObjectsProcessed: z.number().int().optional(),
    numOfRowsFailed: z.number().int().optional(),
    numOfRowsWithWarning: z.number().int().optional(),
    importTime: z.string().optional().describe('How long it has been importing: "2 second(s)"'),
    message: z.string().optional(),
  })
  .meta({
    id: 'ImportCustomObjectResponse',
    example: {
      batchId: 1013,
      operation: 'import',
      status: 'Complete',
      objectApiName: 'car_c',
      numOfObjectsProcessed: 3,
      numOfRowsFailed: 0,
      numOfRowsWithWarning: 0,
      importTime: '2 second(s)',
      message: 'Import succeeded, 3 records imported (3 members)',
    },
  });
const importEnvelope = envelopeOf(importResult);

/**
 * The port that writes custom object records. Decision (README "Bulk import"): with no family providing it (a build
 * without custom objects), every custom object import route answers 1026 "Custom object not enabled", as Marketo
 * answers a subscription without custom objects.
 */
function customObjects(request: FastifyRequest): CustomObjectImport {
  const port = request.ctx.findPort('customObjectImport');
  if (!port) throw new MarketoError('1026', marketoMessage('1026'));
  return port;
}

/** The caller's import of the type the path names: another type's batch is not found (1013). */
function ownTypeImport(request: FastifyRequest, params: z.infer<typeof batchParams>) {
  const typeName = customObjects(request).typeName(params.apiName);
  const job = ownImport(request, customObjectImportJob, params.batchId);
  if (job.payload.options.apiName !== typeName) throw notFound();
  return job;
}

function statusOf(job: Job<ImportProgress<CustomObjectImportOptions>>, now: number) {
  const time = importTime(job, now);
  return {
    batchId: job.id,
    operation: 'import' as const,
    status: job.state,
    objectApiName: job.payload.options.apiName,
    numOfObjectsProcessed: job.payload.imported,
    numOfRowsFailed: job.payload.failed,
    numOfRowsWithWarning: job.payload.warned,
    ...(time !== undefined ? { importTime: time } : {}),
    message: importMessage(job),
  };
}

/** Bulk Import Custom Objects (bulk-custom-object-import.md): create an import, its status, failures and warnings. */
export const customObjectImportRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<ImportRepository>> = async (
  app,
  { repo },
) => {
  app.post(
    '/bulk/v1/customobjects/:apiName/import.json',
    {
      config: { permissions: WRITE, tokenInBody: true, ...IMPORT_FORM },
      schema: {
        tags,
        summary: 'Import Custom Objects',
        description:
          'multipart/form-data with the file in `file` (at most 10 MB); `format` in the query or as a form field. ' +
          'Each row is inserted or updated by the type’s dedupe fields. 1016 with ten imports queued or importing.',
        consumes: ['multipart/form-data'],
        params: typeParams,
        querystring: importParams,
        body: importBody(importParams),
        response: { 200: importEnvelope },
      },
    },
    async (request) => {
      const typeName = customObjects(request).typeName(request.params.apiName);
      const params = paramsOf(importParams, request.query, request.body);
      const options: CustomObjectImportOptions = {
        apiName: typeName,
        origin: originOf(request),
      };
      const job = await createImport(request, repo(request), {
        kind: customObjectImportJob,
        target: customObjectTarget,
        format: params.format,
        options,
      });
      return successEnvelope(request.marketoRequestId(), [
        { batchId: job.id, operation: 'import' as const, status: job.state, objectApiName: typeName },
      ]);
    },
  );

  batchRoutes(app, repo, {
    tags,
    permissions: WRITE,
    params: batchParams,
    status: {
      path: '/bulk/v1/customobjects/:apiName/import/:batchId/status.json',
      summary: 'Get Import Custom Object Status',
      envelope: importEnvelope,
      of: (request, job) => statusOf(job as Job<ImportProgress<CustomObjectImportOptions>>, request.ctx.clock.now()),
    },
    path: (file) => `/bulk/v1/customobjects/:apiName/import/:batchId/${file}.json`,
    summaries: { failure: 'Get Import Custom Object Failures', warning: 'Get Import Custom Object Warnings' },
    batch: ownTypeImport,
  });
};
