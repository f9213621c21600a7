import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formatDatetime } from '../../domain/datetime.js';
import { MarketoError } from '../../domain/errors.js';
import { DETAIL_MESSAGES, formatMessage, marketoMessage } from '../../domain/marketo-codes.js';
import { decodePageToken, encodePageToken, queryDigest } from '../../domain/paging.js';
import type { FamilyRouteOptions } from '../../family.js';
import { successEnvelope } from '../../http/envelope.js';
import { commaList, envelopeOf } from '../../http/marketo-schemas.js';
import { type CreateBody, type ExportEntity, scopeOf } from './entities.js';
import { CONTENT_TYPE, FORMATS } from './file-format.js';
import { fileStream, requestedRange } from './file-stream.js';
import {
  EXPIRED,
  type ExportJob,
  type ExportState,
  exportJob,
  MAX_QUEUED,
  STATES,
  STATUS_RETENTION_MS,
  startWaiting,
} from './job.js';
import { centralDayStart } from './quota.js';
import { ENTITIES } from './registry.js';
import type { BulkExtractRepository } from './repository.js';

/**
 * The six operations of each entity's bulk extract (bulk-extract.md; swagger-mapi.json "Bulk Export …"): create,
 * enqueue, status, file, cancel and the list of jobs, under the entity's path. "Bulk Extract jobs are only accessible
 * to the API user which created them": another user's job id, or one of another entity, is not found.
 */

const exportStatus = z
  .object({
    exportId: z.string(),
    format: z.enum(FORMATS),
    status: z.enum(STATES).describe('Created, Queued, Processing, Completed, Failed or Cancelled'),
    createdAt: z.string(),
    queuedAt: z.string().optional(),
    startedAt: z.string().optional(),
    finishedAt: z.string().optional().describe('Once Completed or Failed'),
    numberOfRecords: z.number().int().optional().describe('Once Completed'),
    fileSize: z.number().int().optional().describe('Once Completed: bytes'),
    fileChecksum: z.string().optional().describe('Once Completed: sha256:<hex> of the file'),
    errorMsg: z.string().optional().describe('Once Failed'),
  })
  .meta({ id: 'ExportResponse' });
const statusEnvelope = envelopeOf(exportStatus);

const exportId = z.string();
const listQuery = z.object({
  status: commaList(z.string())
    .optional()
    .describe('Created, Queued, Processing, Cancelled, Completed, Failed: comma-separated or repeated'),
  batchSize: z.string().optional().describe('1–300, default 300'),
  nextPageToken: z.string().optional(),
});
const fileHeaders = z.object({ range: z.string().optional().describe('bytes=<first>-<last>') });
const fileAnswer = z.string().describe('The file (CSV, TSV or SSV), or a plain-text message');

/** "The batchSize has a maximum and default of 300" (bulk-extract.md). */
const MAX_BATCH = 300;
/** "These endpoints return a list of all jobs in the past seven days" (bulk-extract.md). */
const LISTED_FOR_MS = 7 * 24 * 3600 * 1000;
const MB = 1_000_000;

type Repo = FamilyRouteOptions<BulkExtractRepository>['repo'];

function statusOf(job: ExportJob, exportId: string): z.infer<typeof exportStatus> {
  const { payload } = job;
  const status: z.infer<typeof exportStatus> = {
    exportId,
    format: payload.format,
    status: job.state as ExportState,
    createdAt: formatDatetime(job.createdAt),
  };
  if (payload.queuedAt) status.queuedAt = payload.queuedAt;
  if (payload.startedAt) status.startedAt = payload.startedAt;
  if (job.state === 'Completed' || job.state === 'Failed') {
    status.finishedAt = payload.finishedAt ?? formatDatetime(job.updatedAt);
  }
  if (job.state === 'Completed' && payload.file) {
    status.numberOfRecords = payload.file.records;
    status.fileSize = payload.file.size;
    status.fileChecksum = payload.file.checksum;
  }
  // A step that threw carries the runner's error; a failJob fault or a list gone, the job's own.
  if (job.state === 'Failed') status.errorMsg = payload.error ?? job.error ?? 'Export failed';
  return status;
}

/** The caller's job of this entity with that exportId; undefined when there is none (another user's included). */
function ownJob(request: FastifyRequest, repo: Repo, entity: ExportEntity, exportId: string): ExportJob | undefined {
  const jobId = repo(request).jobOf(exportId);
  const job = jobId === undefined ? undefined : request.ctx.jobs.get(exportJob, jobId);
  if (!job || job.state === EXPIRED) return undefined;
  if (job.ownerId !== request.principal!.user.id || !addresses(entity, job, request)) return undefined;
  return job;
}

/** Whether the job is of the entity whose path the request names (and, for custom objects, of its type). */
function addresses(entity: ExportEntity, job: ExportJob, request: FastifyRequest): boolean {
  const { definition } = job.payload;
  return definition.entity === entity.name && (entity.addresses?.(definition, request) ?? true);
}

/**
 * Decision (README): while no registered family provides the port an entity's records are read through (an app
 * built with fewer families), each of its operations answers 610, naming the port.
 */
function requireProvider(request: FastifyRequest, entity: ExportEntity): void {
  if (request.ctx.findPort(entity.port) === undefined) {
    throw new MarketoError('610', formatMessage(DETAIL_MESSAGES.exportEntityNotServed, entity.port, entity.noun));
  }
}

function foundJob(request: FastifyRequest, repo: Repo, entity: ExportEntity, exportId: string): ExportJob {
  requireProvider(request, entity);
  const job = ownJob(request, repo, entity, exportId);
  if (!job) throw new MarketoError('1013', formatMessage(DETAIL_MESSAGES.exportNotFound, exportId));
  return job;
}

/**
 * "When the quota is exceeded, you cannot Create or Enqueue another job until the daily quota resets at midnight
 * Central Time … an error "1029, Export daily quota exceeded"" (bulk-extract.md). Decision (README): the quota is
 * spent once the files completed today reach it.
 */
function checkQuota(request: FastifyRequest, repo: Repo): void {
  const { ctx } = request;
  const quotaMb = ctx.config.BULK_EXTRACT_DAILY_QUOTA_MB;
  if (repo(request).bytesSince(centralDayStart(ctx.clock.now())) >= quotaMb * MB) {
    throw new MarketoError('1029', formatMessage(DETAIL_MESSAGES.exportQuotaExceeded, quotaMb));
  }
}

/** Jobs whose status is past its 30 days go, a few per create, so the jobs table does not grow for ever. */
function removeExpired(request: FastifyRequest): void {
  for (const job of request.ctx.jobs.list(exportJob, { states: [EXPIRED], limit: 20 })) {
    request.ctx.jobs.remove(exportJob, job.id);
  }
}

/** `status` values as the list takes them; Adobe spells the cancelled state both ways (bulk-extract.md). */
function statusFilter(values: readonly string[] | undefined): ExportState[] {
  const states = new Set<ExportState>();
  for (const value of values ?? []) {
    const state = value === 'Canceled' ? 'Cancelled' : STATES.find((s) => s.toLowerCase() === value.toLowerCase());
    if (!state) throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.invalidParameter, 'status', value));
    states.add(state);
  }
  return [...states];
}

function batchSizeOf(value: string | undefined): number {
  if (value === undefined || value === '') return MAX_BATCH;
  const size = Number(value);
  if (!/^\d+$/.test(value) || size < 1 || size > MAX_BATCH) {
    throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.invalidParameter, 'batchSize', value));
  }
  return size;
}

function sendText(reply: FastifyReply, status: number, text: string): FastifyReply {
  return reply.code(status).type('text/plain; charset=utf-8').send(text);
}

function entityRoutes(entity: ExportEntity): FastifyPluginAsyncZod<FamilyRouteOptions<BulkExtractRepository>> {
  const { noun, path } = entity;
  const tags = [entity.tag];
  const config = { permissions: entity.permissions };
  /** A route's options: the entity's permissions and tag, Adobe's summary, what the fake answers. */
  const operation = <Schema extends object>(summary: string, description: string, schema: Schema) => ({
    config,
    schema: { tags, summary, description, ...schema },
  });
  /** The path's parameters: the entity's (custom objects' apiName), and the job's exportId where it has one. */
  const pathParams = entity.pathParams ? { params: entity.pathParams } : {};
  const exportParams = (entity.pathParams ?? z.object({})).extend({ exportId });
  return async (app, { repo }) => {
    app.post(
      `${path}/export/create.json`,
      operation(
        `Create Export ${noun} Job`,
        'A job in state Created, for the calling API user; enqueue it to run. 1003 for a bad definition, ' +
          '1035 for a filter this subscription does not have, 1029 once the daily quota is spent.',
        { ...pathParams, body: entity.body, response: { 200: statusEnvelope } },
      ),
      async (request) => {
        const { ctx } = request;
        requireProvider(request, entity);
        const defined = entity.define((request.body ?? {}) as CreateBody, request);
        checkQuota(request, repo);
        const exportId = ctx.ids.uuid();
        const job = ctx.transaction(() => {
          removeExpired(request);
          const scheduled = ctx.jobs.schedule(exportJob, {
            state: 'Created',
            dueAt: null,
            payload: { ...defined, partitionIds: scopeOf(request, entity.scopeObject) },
            ownerId: request.principal!.user.id,
          });
          repo(request).insert(scheduled.id, exportId);
          startWaiting(ctx.jobs, ctx.clock.now());
          return scheduled;
        });
        return successEnvelope(request.marketoRequestId(), [statusOf(job, exportId)]);
      },
    );

    app.post(
      `${path}/export/:exportId/enqueue.json`,
      operation(
        `Enqueue Export ${noun} Job`,
        'A Created job becomes Queued, then Processing when one of the 2 slots is free. 1029 when 10 jobs are ' +
          'queued or processing, when the job is already queued, or once the daily quota is spent.',
        { params: exportParams, response: { 200: statusEnvelope } },
      ),
      async (request) => {
        const { ctx } = request;
        const { exportId } = request.params;
        const job = foundJob(request, repo, entity, exportId);
        if (job.state === 'Queued' || job.state === 'Processing')
          throw new MarketoError('1029', DETAIL_MESSAGES.jobAlreadyQueued);
        if (job.state !== 'Created') {
          throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.exportNotCreated, exportId, job.state));
        }
        checkQuota(request, repo);
        // One queue for every entity (bulk-extract.md, "Queue").
        if (ctx.jobs.list(exportJob, { states: ['Queued', 'Processing'] }).length >= MAX_QUEUED)
          throw new MarketoError('1029', marketoMessage('1029'));
        const now = ctx.clock.now();
        const queuedMs = ctx.config.BULK_EXTRACT_QUEUED_SECONDS * 1000;
        const updated = ctx.transaction(() =>
          ctx.jobs.update(exportJob, job.id, {
            state: 'Queued',
            dueAt: now + queuedMs,
            payload: {
              ...job.payload,
              queuedAt: formatDatetime(now),
              queuedMs,
              processingMs: ctx.config.BULK_EXTRACT_PROCESSING_SECONDS * 1000,
              // A `failJob` fault on this call: the job fails when it would begin processing (README, faults).
              ...(request.injectedJobFailure !== undefined ? { failWith: request.injectedJobFailure } : {}),
            },
          }),
        )!;
        return successEnvelope(request.marketoRequestId(), [statusOf(updated, exportId)]);
      },
    );

    app.get(
      `${path}/export/:exportId/status.json`,
      operation(
        `Get Export ${noun} Job Status`,
        'Once Completed: numberOfRecords, fileSize and fileChecksum. Available for 30 days after the job ' +
          'finished; another API user’s job is not found (1013).',
        { params: exportParams, response: { 200: statusEnvelope } },
      ),
      async (request) => {
        const job = foundJob(request, repo, entity, request.params.exportId);
        startWaiting(request.ctx.jobs, request.ctx.clock.now());
        return successEnvelope(request.marketoRequestId(), [statusOf(job, request.params.exportId)]);
      },
    );

    app.post(
      `${path}/export/:exportId/cancel.json`,
      operation(
        `Cancel Export ${noun} Job`,
        'A Created, Queued or Processing job becomes Cancelled; its file, if begun, is dropped.',
        { params: exportParams, response: { 200: statusEnvelope } },
      ),
      async (request) => {
        const { ctx } = request;
        const { exportId } = request.params;
        const job = foundJob(request, repo, entity, exportId);
        // Decision (README): a finished job cannot be cancelled.
        if (job.state === 'Completed' || job.state === 'Failed' || job.state === 'Cancelled') {
          throw new MarketoError('1003', formatMessage(DETAIL_MESSAGES.exportFinished, exportId, job.state));
        }
        const now = ctx.clock.now();
        const cancelled = ctx.transaction(() => {
          repo(request).dropFile(job.id);
          const updated = ctx.jobs.update(exportJob, job.id, {
            state: 'Cancelled',
            dueAt: now + STATUS_RETENTION_MS,
            payload: { ...job.payload, progress: undefined, file: undefined },
          })!;
          if (job.state === 'Processing') startWaiting(ctx.jobs, now);
          return updated;
        });
        return successEnvelope(request.marketoRequestId(), [statusOf(cancelled, exportId)]);
      },
    );

    app.get(
      `${path}/export/:exportId/file.json`,
      operation(
        `Get Export ${noun} File`,
        'The file of a Completed job, streamed; `Range: bytes=…` answers 206 with Content-Range. Before it is ' +
          'completed, past its 7 days, or for an unknown job: 404 with a plain-text message.',
        {
          params: exportParams,
          headers: fileHeaders,
          response: { 200: fileAnswer, 206: fileAnswer, 404: fileAnswer, 416: fileAnswer },
        },
      ),
      async (request, reply) => {
        const { exportId } = request.params;
        requireProvider(request, entity);
        const job = ownJob(request, repo, entity, exportId);
        // "If a job has not completed, or a bad job id is passed, file endpoints respond with a status of 404 Not
        // Found, and a plaintext error message as the payload" (bulk-extract.md).
        if (!job) return sendText(reply, 404, `Export job ${exportId} not found`);
        const file = job.payload.file;
        if (job.state !== 'Completed' || !file) {
          return sendText(reply, 404, `Export job ${exportId} is ${job.state}: its file is not available`);
        }
        if (job.payload.fileDeleted) {
          return sendText(reply, 404, `Export job ${exportId}: its file is past its 7 days and was deleted`);
        }
        const range = requestedRange(request.headers.range, file.size);
        reply.header('accept-ranges', 'bytes').type(CONTENT_TYPE[job.payload.format]);
        if (range === 'unsatisfiable') {
          reply.header('content-range', `bytes */${file.size}`);
          return sendText(reply, 416, `Range not satisfiable: the file has ${file.size} bytes`);
        }
        const bytes = range ?? { start: 0, end: file.size - 1 };
        reply.header('content-length', bytes.end - bytes.start + 1);
        if (range) reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${file.size}`);
        // A stream is sent as it is read (the schema documents the text it carries).
        return reply.send(fileStream(repo(request), job.id, bytes) as unknown as string);
      },
    );

    app.get(
      `${path}/export.json`,
      operation(
        `Get Export ${noun} Jobs`,
        'The calling API user’s jobs created in the past 7 days, oldest first, `status` filtering; ' +
          'nextPageToken while more follow.',
        { ...pathParams, querystring: listQuery, response: { 200: statusEnvelope } },
      ),
      async (request) => {
        const { ctx } = request;
        requireProvider(request, entity);
        const states = statusFilter(request.query.status);
        const batchSize = batchSizeOf(request.query.batchSize);
        const now = ctx.clock.now();
        // A token is for this entity (and custom object type) and these states only.
        const pathValues = Object.values(request.params as Record<string, string>).map((v) => v.toLowerCase());
        const digest = queryDigest([entity.name, [...states].sort(), ...pathValues]);
        const token = request.query.nextPageToken;
        let afterId = token === undefined || token === '' ? 0 : decodePageToken(token, digest, now);
        const found: ExportJob[] = [];
        const ownerId = request.principal!.user.id;
        // One more than the batch, to know whether more follow.
        while (found.length <= batchSize) {
          const page = ctx.jobs.list(exportJob, {
            ownerId,
            states: states.length > 0 ? states : STATES,
            afterId,
            limit: MAX_BATCH,
          });
          for (const job of page) {
            if (addresses(entity, job, request) && job.createdAt >= now - LISTED_FOR_MS) found.push(job);
          }
          if (page.length < MAX_BATCH) break;
          afterId = page.at(-1)!.id;
        }
        const result = found.slice(0, batchSize);
        const records = result.map((job) => statusOf(job, repo(request).exportIdOf(job.id)!));
        const more = found.length > batchSize;
        return successEnvelope(
          request.marketoRequestId(),
          records,
          more ? { nextPageToken: encodePageToken(result.at(-1)!.id, digest, now) } : {},
        );
      },
    );
  };
}

/** Every entity's operations. */
export const bulkExtractRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<BulkExtractRepository>> = async (
  app,
  options,
) => {
  for (const entity of ENTITIES) await app.register(entityRoutes(entity), options);
};
