import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MarketoError } from '../../domain/errors.js';
import { formatMessage, marketoMessage } from '../../domain/marketo-codes.js';
import type { PermissionKey } from '../../domain/permissions.js';
import type { AnyJobKind, Job } from '../../engines/jobs/kinds.js';
import type { FamilyRouteOptions } from '../../family.js';
import { successEnvelope } from '../../http/envelope.js';
import { envelopeOf } from '../../http/marketo-schemas.js';
import { DELIMITERS, IMPORT_FORMATS } from './file-reader.js';
import {
  checkImportFile,
  COMPLETE,
  FAILED,
  type ImportProgress,
  importStatus,
  isLive,
  MAX_QUEUED,
  newProgress,
  QUEUED,
  QUEUED_MS,
  queuedImports,
} from './import-job.js';
import { leadImportJob, type LeadImportOptions, leadTarget } from './lead-import.js';
import { acceptImportForms, type ImportForm, MAX_FILE_BYTES, UploadedFile } from './multipart-form.js';
import type { ImportRepository, ProblemKind } from './repository.js';

/** Every bulk import operation requires Read-Write Lead (swagger-mapi.json). */
const WRITE: readonly PermissionKey[] = ['read-write-lead'];
const tags = ['Marketo: Bulk Import Leads'];

/** RudderStack reads a failures or warnings file only when its Content-Type is exactly this (apiService.go). */
export const CSV_CONTENT_TYPE = 'text/csv;charset=UTF-8';

/** The extra column of each file, as RudderStack reads them from Marketo's (marketobulkupload.go). */
const REASON_COLUMNS: Readonly<Record<ProblemKind, string>> = {
  failure: 'Import Failure Reason',
  warning: 'Import Warning Reason',
};

/** "Accepts one of: CSV, SSV, TSV. The format defaults to CSV" (bulk-import.md), in any case. */
const formatParam = z
  .preprocess((value) => (typeof value === 'string' ? value.toLowerCase() : value), z.enum(IMPORT_FORMATS))
  .optional()
  .describe('csv (the default), tsv or ssv');

/** The import's parameters, in the query (as Adobe documents them) or as form fields (curl's -F, RudderStack). */
const importParams = z.object({
  format: formatParam,
  lookupField: z.string().min(1).optional().describe('The field rows are matched on (default email); id: update only'),
  listId: z.coerce.number().int().optional().describe('A static list the imported leads join'),
  partitionName: z.string().min(1).optional().describe('The partition new leads go to'),
});

const importBody = importParams
  .extend({
    file: z
      .custom<UploadedFile>((value) => value instanceof UploadedFile, 'must be a file')
      .optional()
      .meta({ type: 'string', format: 'binary', description: `The file to import, at most ${MAX_FILE_BYTES} bytes` }),
    access_token: z.string().optional().describe('The legacy token field (only with ACCESS_TOKEN_QUERY=accept)'),
  })
  .optional();

const importResult = z
  .object({
    batchId: z.number().int(),
    importId: z.string(),
    status: z.string().describe('Queued, Importing, Complete or Failed'),
    numOfLeadsProcessed: z.number().int().optional(),
    numOfRowsFailed: z.number().int().optional(),
    numOfRowsWithWarning: z.number().int().optional(),
    message: z.string().optional(),
  })
  .meta({
    id: 'ImportLeadResponse',
    example: {
      batchId: 1022,
      importId: '1022',
      status: 'Complete',
      numOfLeadsProcessed: 2,
      numOfRowsFailed: 1,
      numOfRowsWithWarning: 0,
      message: 'Import completed with errors, 2 records imported (2 members), 1 failed',
    },
  });
const importEnvelope = envelopeOf(importResult);
const batchParams = z.object({ batchId: z.coerce.number().int().describe('The batchId the import answered') });
const fileResponses = {
  200: z.string().describe(`The rows as the file had them, and a reason column; ${CSV_CONTENT_TYPE}`),
  404: z.string().describe('No such rows: the import completed without any'),
};

const notFound = () => new MarketoError('1013', marketoMessage('1013'));

/**
 * An import of the caller's: only the API user who made an import sees it (decision, README "Bulk import", as
 * Marketo's bulk extract jobs), and not past its seven days; else 1013.
 */
function ownImport<P>(request: FastifyRequest, kind: AnyJobKind<P>, batchId: number): Job<P> {
  const job = request.ctx.jobs.get(kind, batchId);
  if (!job || job.ownerId !== request.principal!.user.id || !isLive(job, request.ctx.clock.now())) throw notFound();
  return job;
}

/** The form's fields where the query does not give them, checked as the query is. */
function paramsOf(query: z.infer<typeof importParams>, form: ImportForm | undefined): z.infer<typeof importParams> {
  const fields = Object.fromEntries(Object.entries(form ?? {}).filter(([, value]) => typeof value === 'string'));
  const parsed = importParams.safeParse(fields);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new MarketoError('1003', `Invalid value for ${issue.path.join('.')}: ${issue.message}`);
  }
  const defined = Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined));
  return { ...parsed.data, ...defined };
}

/** A list the imported leads join: 1013 when unknown, 603 in a workspace without Read-Write Lead (as Add to List). */
function checkList(request: FastifyRequest, listId: number): void {
  const workspace = request.ctx.port('staticLists').workspaceOf(listId);
  if (workspace === undefined) throw notFound();
  if (!request.access.workspacesHolding('read-write-lead').includes(workspace)) {
    throw new MarketoError('603', marketoMessage('603'));
  }
}

/** One line of a CSV, TSV or SSV file: a value quoted when it holds the delimiter, a quote or a line break. */
function delimitedLine(values: readonly string[], delimiter: string): string {
  const quoted = values.map((value) =>
    value.includes(delimiter) || /["\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value,
  );
  return `${quoted.join(delimiter)}\n`;
}

/** A failures or warnings file, line by line: the header and a reason column, then each row, read a page at a time. */
function* problemLines(
  repo: ImportRepository,
  job: Job<ImportProgress<unknown>>,
  kind: ProblemKind,
): Generator<string> {
  const delimiter = DELIMITERS[job.payload.format];
  const header = job.payload.header ?? [];
  yield delimitedLine([...header, REASON_COLUMNS[kind]], delimiter);
  for (const problem of repo.problems(job.id, kind)) {
    // The reason in its column: a short row padded, a long row's extra values left out (its reason counts them).
    const values = header.map((_, i) => problem.values[i] ?? '');
    yield delimitedLine([...values, problem.reason], delimiter);
  }
}

/**
 * A failures or warnings file (bulk-lead-import.md): the file's rows that failed, or were imported with a warning,
 * with one extra column saying why, in the import's format. HTTP 404 when there are none (Segment relies on it:
 * "The file 404s when numOfRowsFailed is 0"); 1019 Import in progress until the import has finished (ours).
 */
function sendProblems(
  request: FastifyRequest,
  reply: FastifyReply,
  repo: ImportRepository,
  job: Job<ImportProgress<unknown>>,
  kind: ProblemKind,
) {
  if (job.state !== COMPLETE && job.state !== FAILED) throw new MarketoError('1019', marketoMessage('1019'));
  const count = kind === 'failure' ? job.payload.failed : job.payload.warned;
  if (count === 0) {
    return reply
      .code(404)
      .type('text/plain; charset=utf-8')
      .send(kind === 'failure' ? 'No rows failed' : 'No rows have warnings');
  }
  return reply.type(CSV_CONTENT_TYPE).send(Readable.from(problemLines(repo, job, kind)));
}

/** Bulk Import Leads (bulk-lead-import.md): create an import, its status, its failures and its warnings. */
export const bulkImportRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<ImportRepository>> = async (app, { repo }) => {
  await acceptImportForms(app);

  app.post(
    '/bulk/v1/leads.json',
    {
      config: { permissions: WRITE, tokenInBody: true },
      schema: {
        tags,
        summary: 'Import Leads',
        description:
          'multipart/form-data with the file in `file` (at most 10 MB); the parameters in the query or as form ' +
          'fields. Each row is synced as Sync Leads syncs a record. 1016 with ten imports queued or importing.',
        consumes: ['multipart/form-data'],
        querystring: importParams,
        body: importBody,
        response: { 200: importEnvelope },
      },
    },
    async (request) => {
      const { ctx } = request;
      const form = request.body as ImportForm | undefined;
      const params = paramsOf(request.query, form);
      const file = form?.file;
      if (!(file instanceof UploadedFile)) throw new MarketoError('701', marketoMessage('701', 'file'));
      const lookupField = ctx.port('leadImport').lookupField(params.lookupField ?? 'email');
      if (params.listId !== undefined) checkList(request, params.listId);
      const options: LeadImportOptions = {
        lookupField,
        ...(params.listId !== undefined ? { listId: params.listId } : {}),
        ...(params.partitionName !== undefined ? { partitionName: params.partitionName } : {}),
        scope: {
          readable: [...request.access.partitions('read', 'lead')],
          writable: [...request.access.partitions('write', 'lead')],
        },
        origin: { requestId: request.marketoRequestId(), user: request.principal!.user.email },
      };
      const format = params.format ?? 'csv';
      if (queuedImports(ctx.jobs) >= MAX_QUEUED) throw new MarketoError('1016', marketoMessage('1016'));
      const checked = await checkImportFile(file.data, format, leadTarget, { port: ctx.port, at: ctx.clock.now() });
      // The job and its file together: what is answered Queued is there after a kill -9. A file refused by its check
      // is not kept: its import fails when its turn comes.
      const job = ctx.transaction(() => {
        // Again: other imports may have come while the file was checked.
        if (queuedImports(ctx.jobs) >= MAX_QUEUED) throw new MarketoError('1016', marketoMessage('1016'));
        const scheduled = ctx.jobs.schedule(leadImportJob, {
          state: QUEUED,
          dueAt: ctx.clock.now() + QUEUED_MS,
          payload: newProgress(format, file.data.length, checked, options),
          ownerId: request.principal!.user.id,
        });
        if (!('failure' in checked)) repo(request).storeFile(scheduled.id, file.data);
        return scheduled;
      });
      return successEnvelope(request.marketoRequestId(), [
        { batchId: job.id, importId: String(job.id), status: job.state },
      ]);
    },
  );

  app.get(
    '/bulk/v1/leads/batch/:batchId.json',
    {
      config: { permissions: WRITE },
      schema: {
        tags,
        summary: 'Get Import Lead Status',
        description: 'Queued, Importing, then Complete or Failed, on the fake’s clock; a batch lives seven days.',
        params: batchParams,
        response: { 200: importEnvelope },
      },
    },
    async (request) =>
      successEnvelope(request.marketoRequestId(), [
        importStatus(ownImport(request, leadImportJob, request.params.batchId)),
      ]),
  );

  for (const [kind, path, summary] of [
    ['failure', 'failures', 'Get Import Lead Failures'],
    ['warning', 'warnings', 'Get Import Lead Warnings'],
  ] as const) {
    app.get(
      `/bulk/v1/leads/batch/:batchId/${path}.json`,
      {
        config: { permissions: WRITE },
        schema: {
          tags,
          summary,
          description: formatMessage(
            'The rows with a %s, and a column `%s`, as %s; HTTP 404 when there are none.',
            kind,
            REASON_COLUMNS[kind],
            CSV_CONTENT_TYPE,
          ),
          params: batchParams,
          produces: [CSV_CONTENT_TYPE],
          response: fileResponses,
        },
      },
      async (request, reply) =>
        sendProblems(request, reply, repo(request), ownImport(request, leadImportJob, request.params.batchId), kind),
    );
  }
};
