import { z } from 'zod';
import { formatDatetime } from '../../domain/datetime.js';
import {
  defineJob,
  type DueJob,
  type Job,
  type Jobs,
  type JobStep,
  type JobStepContext,
} from '../../engines/jobs/kinds.js';
import { entityNamed, exportDefinition } from './registry.js';
import { FORMATS, SEPARATOR } from './file-format.js';
import type { BulkExtractRepository } from './repository.js';

/**
 * An export job on the fake's clock (bulk-extract.md): Created → (enqueue) Queued → Processing → Completed, or Failed,
 * or Cancelled. When it begins processing it writes its file in steps, a chunk each, from the records as they are
 * then; it is Completed once its processing time (BULK_EXTRACT_PROCESSING_SECONDS) has passed. Its file is kept 7
 * days, its status 30 days after it finished.
 */

/** "A maximum of two jobs can run concurrently (status is "Processing")" (bulk-extract.md), across all entities. */
export const MAX_PROCESSING = 2;
/** "Max Queued Export Jobs (inclusive of currently exporting jobs): 10" (bulk-extract.md). */
export const MAX_QUEUED = 10;
const DAY_MS = 24 * 3600 * 1000;
/** "File Retention Period: seven days" (bulk-extract.md). */
export const FILE_RETENTION_MS = 7 * DAY_MS;
/** "Job status is available for 30 days after Completed or Failed status was reached" (swagger-mapi.json). */
export const STATUS_RETENTION_MS = 30 * DAY_MS;

/** A step writes about this much of the file (then goes on in the next step), so it stays a few milliseconds. */
const CHUNK_BYTES = 128 * 1024;
/** And reads at most this many times (each read scans a bounded run of records, matching or not). */
const READS_PER_STEP = 8;
/** A step that hashes a file again (after a restart) reads at most this much of it. */
const REHASH_BYTES_PER_STEP = 16 * 1024 * 1024;

/** The states a client sees; `Expired` (status past its 30 days) is found by no call. */
export const STATES = ['Created', 'Queued', 'Processing', 'Completed', 'Failed', 'Cancelled'] as const;
export type ExportState = (typeof STATES)[number];
export const EXPIRED = 'Expired';

const datetime = z.iso.datetime();

export const exportPayload = z.strictObject({
  definition: exportDefinition,
  format: z.enum(FORMATS),
  columns: z.array(z.string().min(1)).min(1),
  headers: z.array(z.string()).min(1),
  /** The partitions whose records it holds; null: all (BULK_EXTRACT_SCOPE). */
  partitionIds: z.array(z.number().int()).nullable(),
  /** Set at enqueue, from BULK_EXTRACT_QUEUED_SECONDS and BULK_EXTRACT_PROCESSING_SECONDS then. */
  queuedMs: z.number().int().min(0).optional(),
  processingMs: z.number().int().min(0).optional(),
  /** A `failJob` fault matched its enqueue: it fails with this error when it would begin processing. */
  failWith: z.string().optional(),
  queuedAt: datetime.optional(),
  startedAt: datetime.optional(),
  finishedAt: datetime.optional(),
  /** The file written so far: where the reads go on (null: all read), chunks, bytes and records. */
  progress: z
    .strictObject({
      /** The entity's own (JSON: numbers and objects of them), read back by the entity's read; null: all read. */
      cursor: z.unknown().refine((cursor) => cursor !== undefined, 'null, or where the reads go on'),
      chunks: z.number().int().min(0),
      bytes: z.number().int().min(0),
      records: z.number().int().min(0),
      /** Chunks hashed again so far, when the running hash was lost (a restart, a load). */
      rehashed: z.number().int().min(0).optional(),
    })
    .optional(),
  file: z
    .strictObject({
      records: z.number().int().min(0),
      size: z.number().int().min(0),
      checksum: z.string().regex(/^sha256:[0-9a-f]{64}$/),
    })
    .optional(),
  /** Its file is past its 7 days. */
  fileDeleted: z.literal(true).optional(),
  /** Why it failed. */
  error: z.string().optional(),
});
export type ExportPayload = z.infer<typeof exportPayload>;
export type ExportJob = Job<ExportPayload>;

type Context = JobStepContext<BulkExtractRepository>;
type Step = JobStep<ExportPayload>;

const iso = formatDatetime;

export const exportJob = defineJob({
  payload: exportPayload,
  step(job, context: Context): Step {
    switch (job.state) {
      case 'Queued':
        return queued(job, context);
      case 'Processing':
        return processing(job, context);
      case 'Completed':
        return completedRetention(job, context);
      case 'Failed':
      case 'Cancelled':
        return { state: EXPIRED, dueAt: null };
      default:
        throw new Error(`an export job ${job.state} has no step`);
    }
  },
});

/** A job's turn in the queue: it begins processing when one of the two slots is free, else waits for one. */
function queued(job: DueJob<ExportPayload>, context: Context): Step {
  const at = job.dueAt;
  if (job.payload.failWith !== undefined) return failed(job, context, job.payload.failWith, at, false);
  if (processingCount(context.jobs) >= MAX_PROCESSING) {
    // Parked: a job that leaves Processing starts the longest waiting (startWaiting).
    return { state: 'Queued', dueAt: null };
  }
  // It begins processing now, in this step: a small file is written, and the job done, before the next call.
  return processing({ ...job, state: 'Processing', payload: { ...job.payload, startedAt: iso(at) } }, context);
}

/**
 * A step of processing: the next chunk of the file; once every chunk is written, the checksum and, when the
 * processing time has passed, completion — as much of it as one step holds, so a small export takes one step.
 */
function processing(job: DueJob<ExportPayload>, context: Context): Step {
  if (job.payload.file) return completed(job, context, job.payload);
  let progress = job.payload.progress;
  if (progress === undefined || progress.cursor !== null) {
    const written = writeFile(job, context, progress);
    if ('state' in written) return written;
    progress = written;
    // More to write: go on at once (the runner lets other calls in between steps).
    if (progress.cursor !== null)
      return { state: 'Processing', dueAt: job.dueAt, payload: { ...job.payload, progress } };
  }
  return finishFile({ ...job, payload: { ...job.payload, progress } }, context, progress);
}

type Progress = NonNullable<ExportPayload['progress']>;

/** Writes the next chunk of the file (the header line first, then the rows the reads find): the progress after it. */
function writeFile(job: DueJob<ExportPayload>, context: Context, progress: Progress | undefined): Progress | Step {
  const { repo } = context;
  const payload = job.payload;
  const entity = entityNamed(payload.definition.entity);
  const separator = SEPARATOR[payload.format];
  let text = '';
  let cursor: unknown;
  let { chunks, bytes, records } = progress ?? { chunks: 0, bytes: 0, records: 0 };
  if (progress === undefined) {
    // The file holds the records as they are when the job begins processing (bulk-lead-extract.md).
    const begun = entity.begin(payload.definition, context);
    if ('fail' in begun) return failed(job, context, begun.fail, job.dueAt, true);
    cursor = begun.cursor;
    text = repo.headerLine(payload.headers, separator);
  } else {
    cursor = progress.cursor;
  }
  const read = { ...payload, separator };
  for (let reads = 0; cursor !== null && reads < READS_PER_STEP && text.length < CHUNK_BYTES; reads++) {
    const found = entity.read(read, cursor, context);
    text += found.text;
    records += found.records;
    cursor = found.next;
  }
  if (text.length > 0) {
    const data = Buffer.from(text, 'utf8');
    repo.appendChunk(job.id, { seq: chunks, startByte: bytes, data });
    // The running hash covers the chunks before this one, or is gone (hashed again in finishFile).
    const hash = repo.hashFor(job.id, chunks);
    if (hash) {
      hash.update(data);
      repo.hashed(job.id);
    }
    chunks++;
    bytes += data.length;
  }
  return { cursor: cursor as Progress['cursor'], chunks, bytes, records };
}

/** Every chunk is written: the checksum (hashing the file again if the running hash was lost), then completion. */
function finishFile(job: DueJob<ExportPayload>, context: Context, progress: Progress): Step {
  const { repo } = context;
  let rehashed = progress.rehashed;
  if (rehashed === undefined && repo.hashFor(job.id, progress.chunks) === undefined) rehashed = 0;
  if (rehashed !== undefined) {
    const hash = repo.hashFor(job.id, rehashed) ?? repo.hashFor(job.id, (rehashed = 0))!;
    let read = 0;
    while (rehashed < progress.chunks && read < REHASH_BYTES_PER_STEP) {
      const chunk = repo.chunk(job.id, rehashed);
      if (!chunk) throw new Error(`export job ${job.id} lost chunk ${rehashed} of its file`);
      hash.update(chunk.data);
      repo.hashed(job.id);
      read += chunk.data.length;
      rehashed++;
    }
    if (rehashed < progress.chunks) {
      return {
        state: 'Processing',
        dueAt: job.dueAt,
        payload: { ...job.payload, progress: { ...progress, rehashed } },
      };
    }
  }
  const file = { records: progress.records, size: progress.bytes, checksum: repo.digest(job.id) };
  const payload = { ...job.payload, file };
  const startedAt = Date.parse(job.payload.startedAt ?? iso(job.dueAt));
  const finishAt = Math.max(job.dueAt, startedAt + (job.payload.processingMs ?? 0));
  // Processing lasts BULK_EXTRACT_PROCESSING_SECONDS at least; the file is ready, the status says so only then.
  if (finishAt > job.dueAt) return { state: 'Processing', dueAt: finishAt, payload };
  return completed(job, context, payload);
}

function completed(job: DueJob<ExportPayload>, context: Context, payload: ExportPayload): Step {
  const at = job.dueAt;
  context.repo.finish(job.id, at, payload.file!.size);
  startWaiting(context.jobs, at, job.id);
  return { state: 'Completed', dueAt: at + FILE_RETENTION_MS, payload: { ...payload, finishedAt: iso(at) } };
}

/** Seven days after completion the file goes; thirty days after, the job. */
function completedRetention(job: DueJob<ExportPayload>, context: Context): Step {
  if (job.payload.fileDeleted) return { state: EXPIRED, dueAt: null };
  context.repo.dropFile(job.id);
  const finishedAt = Date.parse(job.payload.finishedAt ?? iso(job.dueAt - FILE_RETENTION_MS));
  return {
    state: 'Completed',
    dueAt: finishedAt + STATUS_RETENTION_MS,
    payload: { ...job.payload, fileDeleted: true },
  };
}

function failed(job: DueJob<ExportPayload>, context: Context, error: string, at: number, wasProcessing: boolean): Step {
  context.repo.dropFile(job.id);
  if (wasProcessing) startWaiting(context.jobs, at, job.id);
  return {
    state: 'Failed',
    dueAt: at + STATUS_RETENTION_MS,
    payload: { ...job.payload, error, startedAt: job.payload.startedAt ?? iso(at), finishedAt: iso(at) },
  };
}

function processingCount(jobs: Jobs, except?: number): number {
  return jobs.list(exportJob, { states: ['Processing'] }).filter((job) => job.id !== except).length;
}

/**
 * Starts the jobs waiting for a processing slot, the longest waiting first, as many as slots are free (`leaving`: a
 * job about to leave Processing, whose slot counts as free). Called as a job completes, fails or is cancelled, and by
 * the routes (a job's owner deleted frees its slot with no step).
 */
export function startWaiting(jobs: Jobs, at: number, leaving?: number): void {
  const free = MAX_PROCESSING - processingCount(jobs, leaving);
  if (free <= 0) return;
  const waiting = jobs
    .list(exportJob, { states: ['Queued'] })
    .filter((job) => job.dueAt === null)
    .sort((a, b) => (a.payload.queuedAt ?? '').localeCompare(b.payload.queuedAt ?? '') || a.id - b.id);
  for (const job of waiting.slice(0, free)) jobs.update(exportJob, job.id, { dueAt: at });
}

/**
 * When a job loaded from a seed is next due, from its state and payload (a snapshot holds its due time under `jobs:`;
 * a seed that describes a job whole gives none): where the life cycle above would have it.
 */
export function dueAtOf(state: string, payload: ExportPayload, now: number): number | null {
  const finishedAt = payload.finishedAt === undefined ? now : Date.parse(payload.finishedAt);
  switch (state) {
    case 'Queued':
      return payload.queuedAt === undefined ? now : Date.parse(payload.queuedAt) + (payload.queuedMs ?? 0);
    case 'Processing':
      return now;
    case 'Completed':
      return finishedAt + (payload.fileDeleted ? STATUS_RETENTION_MS : FILE_RETENTION_MS);
    case 'Failed':
    case 'Cancelled':
      return finishedAt + STATUS_RETENTION_MS;
    default:
      return null;
  }
}
