import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MarketoError } from '../../domain/errors.js';
import { DETAIL_MESSAGES, marketoMessage } from '../../domain/marketo-codes.js';
import type { PermissionKey } from '../../domain/permissions.js';
import type { FamilyRouteOptions } from '../../family.js';
import { successEnvelope } from '../../http/envelope.js';
import { importStatus } from './import-job.js';
import {
  batchParams,
  batchRoutes,
  createImport,
  formatParam,
  importBody,
  leadScopeOf,
  originOf,
  ownImport,
  paramsOf,
  leadStatusEnvelope,
} from './import-routes.js';
import {
  programMemberImportJob,
  type ProgramMemberImportOptions,
  programMemberTarget,
} from './program-member-import.js';
import type { ImportRepository } from './repository.js';
import { IMPORT_FORM } from './multipart-form.js';

/** Every bulk program member import operation requires Read-Write Lead (swagger-mapi.json). */
const WRITE: readonly PermissionKey[] = ['read-write-lead'];
const tags = ['Marketo: Bulk Import Program Members'];

const programParams = z.object({ programId: z.coerce.number().int().describe('The program the members join') });
const importParams = z.object({
  format: formatParam,
  programMemberStatus: z.string().min(1).optional().describe('The status the members get (required)'),
});

/** ImportProgramMemberResponse (swagger-mapi.json), with the counts and message of bulk-program-member-import.md. */
const importEnvelope = leadStatusEnvelope('ImportProgramMemberResponse', {
  batchId: 1041,
  importId: '1041',
  status: 'Complete',
  numOfLeadsProcessed: 1,
  numOfRowsFailed: 0,
  numOfRowsWithWarning: 1,
  message: 'Import succeeded, 1 records imported (1 members), 1 warning.',
});

/** Bulk Import Program Members (bulk-program-member-import.md): create an import, its status, failures, warnings. */
export const programMemberImportRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<ImportRepository>> = async (
  app,
  { repo },
) => {
  app.post(
    '/bulk/v1/program/:programId/members/import.json',
    {
      config: { permissions: WRITE, tokenInBody: true, ...IMPORT_FORM },
      schema: {
        tags,
        summary: 'Import Program Members',
        description:
          'multipart/form-data with the file in `file` (at most 10 MB); `format` and `programMemberStatus` in the ' +
          'query or as form fields. Each row’s lead (by email) becomes a member with the status.',
        consumes: ['multipart/form-data'],
        params: programParams,
        querystring: importParams,
        body: importBody(importParams),
        response: { 200: importEnvelope },
      },
    },
    async (request) => {
      // Decision (README "Bulk import"): with no family providing program members, 610 saying so.
      const members = request.ctx.findPort('programMemberImport');
      if (!members) throw new MarketoError('610', DETAIL_MESSAGES.noProgramMemberImport);
      const params = paramsOf(importParams, request.query, request.body);
      if (params.programMemberStatus === undefined) {
        throw new MarketoError('701', marketoMessage('701', 'programMemberStatus'));
      }
      const statusName = members.check({
        programId: request.params.programId,
        statusName: params.programMemberStatus,
        workspaces: request.access.workspacesHolding('read-write-lead'),
      });
      const options: ProgramMemberImportOptions = {
        programId: request.params.programId,
        statusName,
        scope: leadScopeOf(request),
        origin: originOf(request),
      };
      const job = await createImport(request, repo(request), {
        kind: programMemberImportJob,
        target: programMemberTarget,
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
      path: '/bulk/v1/program/members/import/:batchId/status.json',
      summary: 'Get Import Program Member Status',
      envelope: importEnvelope,
      of: (_request, job) => importStatus(job),
    },
    path: (file) => `/bulk/v1/program/members/import/:batchId/${file}.json`,
    summaries: { failure: 'Get Import Program Member Failures', warning: 'Get Import Program Member Warnings' },
    batch: (request, { batchId }) => ownImport(request, programMemberImportJob, batchId),
  });
};
