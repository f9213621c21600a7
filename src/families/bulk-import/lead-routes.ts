import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MarketoError } from '../../domain/errors.js';
import { marketoMessage } from '../../domain/marketo-codes.js';
import type { PermissionKey } from '../../domain/permissions.js';
import type { FamilyRouteOptions } from '../../family.js';
import { successEnvelope } from '../../http/envelope.js';
import { importStatus } from './import-job.js';
import {
  batchParams,
  batchRoutes,
  createImport,
  fileOf,
  formatParam,
  importBody,
  leadScopeOf,
  notFound,
  originOf,
  ownImport,
  paramsOf,
  leadStatusEnvelope,
} from './import-routes.js';
import { leadImportJob, type LeadImportOptions, leadTarget } from './lead-import.js';
import type { ImportRepository } from './repository.js';
import { IMPORT_FORM } from './multipart-form.js';

/** Every bulk lead import operation requires Read-Write Lead (swagger-mapi.json). */
const WRITE: readonly PermissionKey[] = ['read-write-lead'];
const tags = ['Marketo: Bulk Import Leads'];

/** The import's parameters, in the query (as Adobe documents them) or as form fields (curl's -F, RudderStack). */
const importParams = z.object({
  format: formatParam,
  lookupField: z.string().min(1).optional().describe('The field rows are matched on (default email); id: update only'),
  listId: z.coerce.number().int().optional().describe('A static list the imported leads join'),
  partitionName: z.string().min(1).optional().describe('The partition new leads go to'),
});

const importEnvelope = leadStatusEnvelope('ImportLeadResponse', {
  batchId: 1022,
  importId: '1022',
  status: 'Complete',
  numOfLeadsProcessed: 2,
  numOfRowsFailed: 1,
  numOfRowsWithWarning: 0,
  message: 'Import completed with errors, 2 records imported (2 members), 1 failed',
});

/** A list the imported leads join: 1013 when unknown, 603 in a workspace without Read-Write Lead (as Add to List). */
function checkList(request: FastifyRequest, listId: number): void {
  const workspace = request.ctx.port('staticLists').workspaceOf(listId);
  if (workspace === undefined) throw notFound();
  if (!request.access.workspacesHolding('read-write-lead').includes(workspace)) {
    throw new MarketoError('603', marketoMessage('603'));
  }
}

/** Bulk Import Leads (bulk-lead-import.md): create an import, its status, its failures and its warnings. */
export const leadImportRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<ImportRepository>> = async (app, { repo }) => {
  app.post(
    '/bulk/v1/leads.json',
    {
      config: { permissions: WRITE, tokenInBody: true, ...IMPORT_FORM },
      schema: {
        tags,
        summary: 'Import Leads',
        description:
          'multipart/form-data with the file in `file` (at most 10 MB); the parameters in the query or as form ' +
          'fields. Each row is synced as Sync Leads syncs a record. 1016 with ten imports queued or importing.',
        consumes: ['multipart/form-data'],
        querystring: importParams,
        body: importBody(importParams),
        response: { 200: importEnvelope },
      },
    },
    async (request) => {
      const params = paramsOf(importParams, request.query, request.body);
      // No file is 701, before the parameters are looked at.
      fileOf(request);
      const lookupField = request.ctx.port('leadImport').lookupField(params.lookupField ?? 'email');
      if (params.listId !== undefined) checkList(request, params.listId);
      const options: LeadImportOptions = {
        lookupField,
        ...(params.listId !== undefined ? { listId: params.listId } : {}),
        ...(params.partitionName !== undefined ? { partitionName: params.partitionName } : {}),
        scope: leadScopeOf(request),
        origin: originOf(request),
      };
      const job = await createImport(request, repo(request), {
        kind: leadImportJob,
        target: leadTarget,
        format: params.format,
        options,
      });
      return successEnvelope(request.marketoRequestId(), [
        { batchId: job.id, importId: String(job.id), status: job.state },
      ]);
    },
  );

  batchRoutes(app, repo, {
    tags,
    permissions: WRITE,
    params: batchParams,
    status: {
      path: '/bulk/v1/leads/batch/:batchId.json',
      summary: 'Get Import Lead Status',
      envelope: importEnvelope,
      of: (_request, job) => importStatus(job),
    },
    path: (file) => `/bulk/v1/leads/batch/:batchId/${file}.json`,
    summaries: { failure: 'Get Import Lead Failures', warning: 'Get Import Lead Warnings' },
    batch: (request, { batchId }) => ownImport(request, leadImportJob, batchId),
  });
};
