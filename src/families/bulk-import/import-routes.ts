import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { MarketoError } from '../../domain/errors.js';
import { formatMessage, marketoMessage } from '../../domain/marketo-codes.js';
import type { PermissionKey } from '../../domain/permissions.js';
import { successEnvelope } from '../../http/envelope.js';
import { envelopeOf } from '../../http/marketo-schemas.js';
import type { Job } from '../../engines/jobs/kinds.js';
import { DELIMITERS, type ImportFormat, IMPORT_FORMATS } from './file-reader.js';
import {
  checkImportFile,
  COMPLETE,
  FAILED,
  type ImportJobKind,
  type ImportProgress,
  type ImportTarget,
  isLive,
  MAX_QUEUED,
  newProgress,
  QUEUED,
  QUEUED_MS,
  queuedImports,
} from './import-job.js';
import { UploadedFile, uploadedFileParam } from '../../http/multipart.js';
import { type ImportForm, MAX_FILE_BYTES } from './multipart-form.js';
import type { ImportRepository, ProblemKind } from './repository.js';

/**
 * What the routes of every kind of import share (bulk-import.md): the form and its parameters, the making of an
 * import (its file checked, then the job and the file stored together), who sees a batch, and the failures and
 * warnings files.
 */

/** RudderStack reads a failures or warnings file only when its Content-Type is exactly this (apiService.go). */
export const CSV_CONTENT_TYPE = 'text/csv;charset=UTF-8';

/** The extra column of each file, as RudderStack reads them from Marketo's (marketobulkupload.go). */
export const REASON_COLUMNS: Readonly<Record<ProblemKind, string>> = {
  failure: 'Import Failure Reason',
  warning: 'Import Warning Reason',
};

/** "Accepts one of: CSV, SSV, TSV. The format defaults to CSV" (bulk-import.md), in any case. */
export const formatParam = z
  .preprocess((value) => (typeof value === 'string' ? value.toLowerCase() : value), z.enum(IMPORT_FORMATS))
  .optional()
  .describe('csv (the default), tsv or ssv');

/** The form's file part and the legacy token field, beside a kind's parameters (which may be form fields too). */
export function importBody<Shape extends z.ZodRawShape>(params: z.ZodObject<Shape>) {
  return params
    .extend({
      file: uploadedFileParam
        .optional()
        .meta({ type: 'string', format: 'binary', description: `The file to import, at most ${MAX_FILE_BYTES} bytes` }),
      access_token: z.string().optional().describe('The legacy token field (only with ACCESS_TOKEN_QUERY=accept)'),
    })
    .optional();
}

export const batchParams = z.object({ batchId: z.coerce.number().int().describe('The batchId the import answered') });

const fileResponses = {
  200: z.string().describe(`The rows as the file had them, and a reason column; ${CSV_CONTENT_TYPE}`),
  404: z.string().describe('No such rows: the import completed without any'),
};

export const notFound = () => new MarketoError('1013', marketoMessage('1013'));

/**
 * An import of the caller's: only the API user who made an import sees it (decision, README "Bulk import", as
 * Marketo's bulk extract jobs), and not past its seven days; else 1013.
 */
export function ownImport<P>(request: FastifyRequest, kind: ImportJobKind<P>, batchId: number): Job<ImportProgress<P>> {
  const job = request.ctx.jobs.get(kind, batchId);
  if (!job || job.ownerId !== request.principal!.user.id || !isLive(job, request.ctx.clock.now())) throw notFound();
  return job;
}

/** The request's parameters: the form's fields where the query does not give them, checked as the query is. */
export function paramsOf<T extends Record<string, unknown>>(schema: z.ZodType<T>, query: T, body: unknown): T {
  const form = (body ?? {}) as ImportForm;
  const fields = Object.fromEntries(Object.entries(form).filter(([, value]) => typeof value === 'string'));
  const parsed = schema.safeParse(fields);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new MarketoError('1003', `Invalid value for ${issue.path.join('.')}: ${issue.message}`);
  }
  const defined = Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined));
  return { ...parsed.data, ...defined };
}

/** Who makes an import: its rows' activities name this request and user. */
export const originOf = (request: FastifyRequest) => ({
  requestId: request.marketoRequestId(),
  user: request.principal!.user.email,
});

/** The caller's lead partitions, which an import's rows are written with (README "Bulk import"). */
export const leadScopeOf = (request: FastifyRequest) => ({
  readable: [...request.access.partitions('read', 'lead')],
  writable: [...request.access.partitions('write', 'lead')],
});

/** The form's file: 701 when there is none. */
export function fileOf(request: FastifyRequest): UploadedFile {
  const file = (request.body as ImportForm | undefined)?.file;
  if (!(file instanceof UploadedFile)) throw new MarketoError('701', marketoMessage('701', 'file'));
  return file;
}

/**
 * Makes an import of `file` into `target`: 1016 with ten imports queued or importing; the file checked whole (a
 * malformed one or a bad header makes an import that fails when its turn comes); the job and its file stored in one
 * transaction, so that what is answered Queued is there after a kill -9.
 */
export async function createImport<Options>(
  request: FastifyRequest,
  repo: ImportRepository,
  make: {
    kind: ImportJobKind<Options>;
    target: ImportTarget<Options>;
    format: ImportFormat | undefined;
    options: Options;
  },
): Promise<Job<ImportProgress<Options>>> {
  const { ctx } = request;
  const file = fileOf(request);
  const format = make.format ?? 'csv';
  if (queuedImports(ctx.jobs) >= MAX_QUEUED) throw new MarketoError('1016', marketoMessage('1016'));
  const checked = await checkImportFile(file.data, format, make.target, make.options, {
    port: ctx.port,
    at: ctx.clock.now(),
  });
  return ctx.transaction(() => {
    // Again: other imports may have come while the file was checked.
    if (queuedImports(ctx.jobs) >= MAX_QUEUED) throw new MarketoError('1016', marketoMessage('1016'));
    const scheduled = ctx.jobs.schedule(make.kind, {
      state: QUEUED,
      dueAt: ctx.clock.now() + QUEUED_MS,
      payload: newProgress(format, file.data.length, checked, make.options),
      ownerId: request.principal!.user.id,
    });
    // A file refused by its check is not kept.
    if (!('failure' in checked)) repo.storeFile(scheduled.id, file.data);
    return scheduled;
  });
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
  const { header } = job.payload;
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
 * "The file 404s when numOfRowsFailed is 0"; bulk-custom-object-import.md: "If no failure file exists, an HTTP 404
 * status code is returned"); 1019 Import in progress until the import has finished (ours).
 */
export function sendProblems(
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

/** The batch routes of one kind of import: its status (`status`), its failures and its warnings (`path(file)`). */
export function batchRoutes<P extends z.ZodObject>(
  app: FastifyInstance,
  repo: (request: FastifyRequest) => ImportRepository,
  routes: {
    tags: string[];
    permissions: readonly PermissionKey[];
    params: P;
    status: {
      path: string;
      summary: string;
      envelope: z.ZodType;
      of(request: FastifyRequest, job: Job<ImportProgress<unknown>>): unknown;
    };
    path: (file: 'failures' | 'warnings') => string;
    summaries: Readonly<Record<ProblemKind, string>>;
    /** The batch the request names, the caller's (1013 otherwise). */
    batch: (request: FastifyRequest, params: z.infer<P>) => Job<ImportProgress<unknown>>;
  },
): void {
  app.get(
    routes.status.path,
    {
      config: { permissions: routes.permissions },
      schema: {
        tags: routes.tags,
        summary: routes.status.summary,
        description: 'Queued, Importing, then Complete or Failed, on the fake’s clock; a batch lives seven days.',
        params: routes.params,
        response: { 200: routes.status.envelope },
      },
    },
    async (request) => {
      const job = routes.batch(request, request.params as z.infer<P>);
      return successEnvelope(request.marketoRequestId(), [routes.status.of(request, job)]);
    },
  );
  for (const [kind, file] of [
    ['failure', 'failures'],
    ['warning', 'warnings'],
  ] as const) {
    app.get(
      routes.path(file),
      {
        config: { permissions: routes.permissions },
        schema: {
          tags: routes.tags,
          summary: routes.summaries[kind],
          description: formatMessage(
            'The rows with a %s, and a column `%s`, as %s; HTTP 404 when there are none.',
            kind,
            REASON_COLUMNS[kind],
            CSV_CONTENT_TYPE,
          ),
          params: routes.params,
          produces: [CSV_CONTENT_TYPE],
          response: fileResponses,
        },
      },
      async (request, reply) =>
        sendProblems(reply, repo(request), routes.batch(request, request.params as z.infer<P>), kind),
    );
  }
}

/**
 * The status of a lead or program member import (ImportLeadResponse, ImportProgramMemberResponse in
 * swagger-mapi.json): the same fields, each operation its own component.
 */
export function leadStatusEnvelope(id: string, example: Record<string, unknown>) {
  return envelopeOf(
    z
      .object({
        batchId: z.number().int(),
        importId: z.string(),
        status: z.string().describe('Queued, Importing, Complete or Failed'),
        numOfLeadsProcessed: z.number().int().optional(),
        numOfRowsFailed: z.number().int().optional(),
        numOfRowsWithWarning: z.number().int().optional(),
        message: z.string().optional(),
      })
      .meta({ id, example }),
  );
}
