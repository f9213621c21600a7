import { z } from 'zod';
import type { ImportColumns, ImportRowOutcome } from '../../domain/bulk-import.js';
import {
  type AnyJobKind,
  defineJob,
  type DueJob,
  type Job,
  type JobKind,
  type JobStepContext,
  type Jobs,
} from '../../engines/jobs/kinds.js';
import { checkFile, IMPORT_FORMATS, type ImportFormat, readHeader, readRecords } from './file-reader.js';
import type { ImportProblem, ImportRepository } from './repository.js';

/**
 * A bulk import on the fake's clock (bulk-import.md): its file checked whole as it arrives (checkImportFile), so that
 * a malformed one fails before any row is written; then Queued, Importing — its rows imported a few hundred per step —
 * and Complete, or Failed with a message. What each kind imports into (leads; custom objects and program members to
 * come) is its target, reached through a port; the file, the queue, the counts and the failures and warnings files
 * are the same.
 */

export const QUEUED = 'Queued';
export const IMPORTING = 'Importing';
export const COMPLETE = 'Complete';
/** Marketo's word, and the runner's for a job whose step threw. */
export const FAILED = 'Failed';
/** Ours: past its seven days, the batch is not found (its rows are removed). */
export const EXPIRED = 'Expired';

/** "A maximum of two jobs can be processed concurrently" (bulk-lead-import.md). */
export const MAX_IMPORTING = 2;
/** "A maximum of 10 jobs can be in the queue, including the two jobs being processed" (bulk-lead-import.md). */
export const MAX_QUEUED = 10;
/** "The batchId remains valid for seven days" (bulk-lead-import.md): counted from the import's creation. */
export const BATCH_LIFETIME_MS = 7 * 24 * 3600 * 1000;

/**
 * Decision (README "Bulk import"): an import is Queued for at least a second, and Importing for at least a second
 * before its first rows are written, so a client polling on a running clock sees each state; a Queued import waiting
 * for a free slot looks again every second. Then steps follow at once, each a slice of the file.
 */
export const QUEUED_MS = 1000;
export const IMPORT_START_MS = 1000;
const QUEUE_RETRY_MS = 1000;

/** The bytes of the file one import step reads, to the next line break (more for a value with line breaks in it). */
const STEP_BYTES = 32 * 1024;

const position = z.number().int().min(0);

/** Who made an import: the activities its rows write name this request and user. */
export const importOrigin = z.strictObject({ requestId: z.string(), user: z.string() });

/** The caller's partitions when an import was made: its rows are written with them (README "Bulk import"). */
export const importScope = z.strictObject({ readable: z.array(z.number().int()), writable: z.array(z.number().int()) });

/** A scope as the ports take it. */
export const scopeOf = (scope: z.infer<typeof importScope>) => ({
  readable: new Set(scope.readable),
  writable: new Set(scope.writable),
});

/** What every import's job keeps, beside its target's options. */
const progressShape = {
  format: z.enum(IMPORT_FORMATS),
  fileBytes: z.number().int().min(0),
  /** The header as the file names its columns, and the target's field for each (null: a column without a name). */
  header: z.array(z.string()),
  columns: z.array(z.string().nullable()),
  /** Where the next step reads: a byte offset (after the header at first). */
  at: position,
  /** Data rows read so far. */
  rows: z.number().int().min(0),
  imported: z.number().int().min(0),
  failed: z.number().int().min(0),
  warned: z.number().int().min(0),
  /** Why the import fails (its file was refused when it arrived) or failed. */
  failure: z.string().optional(),
  /** When it started Importing, and when it finished: its `importTime`. */
  startedAt: z.number().int().optional(),
  finishedAt: z.number().int().optional(),
};

export type ImportProgress<Options> = z.infer<z.ZodObject<typeof progressShape>> & { options: Options };

/** What became of one row at its target. */
export type RowOutcome = ImportRowOutcome;

/** What a target's writes have at hand. */
export interface TargetContext {
  port: JobStepContext<unknown>['port'];
  /** When the writes happen: the step's time. */
  at: number;
}

/** What one kind of import writes into: its options' schema, its columns, and its rows. */
export interface ImportTarget<Options> {
  options: z.ZodType<Options>;
  /**
   * The target's field for each column of the header as the file has it (null: a column left out), or why the whole
   * import fails (an unknown lead field: bulk-import docs, the issue).
   */
  columns(header: readonly string[], options: Options, context: TargetContext): ImportColumns;
  /** Imports rows (field → value, empty cells left out); one outcome per row, in order. */
  importRows(rows: readonly Record<string, string>[], options: Options, context: TargetContext): RowOutcome[];
}

export type ImportJobKind<Options> = JobKind<ImportRepository, ImportProgress<Options>>;

/** Every import kind of the family: the queue and its limits are shared. */
const IMPORT_KINDS: AnyJobKind<unknown>[] = [];

/** The jobs of every import kind in these states, oldest first. */
function importsIn(jobs: Jobs, states: readonly string[]): Job<unknown>[] {
  return IMPORT_KINDS.flatMap((kind) => jobs.list(kind, { states })).sort((a, b) => a.id - b.id);
}

/** How many imports are Queued or Importing: at MAX_QUEUED, another is refused with 1016. */
export function queuedImports(jobs: Jobs): number {
  return importsIn(jobs, [QUEUED, IMPORTING]).length;
}

/** What the check of a file on its arrival found: where its rows start, or why the import fails. */
export type CheckedFile =
  { header: string[]; columns: (string | null)[]; rowsStart: number } | { failure: string; header?: string[] };

/**
 * Checks an uploaded file before its import is made: the whole file parses (a quote left open does not), its first
 * row names the fields, and the target knows each (an unknown column fails the whole import), none twice.
 */
export async function checkImportFile<Options>(
  file: Buffer,
  format: ImportFormat,
  target: ImportTarget<Options>,
  options: Options,
  context: TargetContext,
): Promise<CheckedFile> {
  const malformed = await checkFile(file, format);
  if (malformed !== undefined) return { failure: malformed };
  const first = readHeader(file, format);
  // Ours: the file must name its fields in its first row (bulk-lead-import.md, "Import File").
  if (!first) return { failure: 'The file is empty: its first row must name the fields to import' };
  const { header } = first;
  const columns = target.columns(header, options, context);
  if (!Array.isArray(columns)) return { failure: columns.problem, header };
  const duplicate = columns.find((column, i) => column !== null && columns.indexOf(column) !== i);
  if (duplicate != null) return { failure: `Field '${duplicate}' is named more than once in the header`, header };
  return { header, columns, rowsStart: first.next };
}

/** The first progress of an import of `fileBytes` bytes, as its check found the file. */
export function newProgress<Options>(
  format: ImportFormat,
  fileBytes: number,
  checked: CheckedFile,
  options: Options,
): ImportProgress<Options> {
  return {
    format,
    fileBytes,
    header: checked.header ?? [],
    columns: 'columns' in checked ? checked.columns : [],
    at: 'rowsStart' in checked ? checked.rowsStart : 0,
    rows: 0,
    imported: 0,
    failed: 0,
    warned: 0,
    ...('failure' in checked ? { failure: checked.failure } : {}),
    options,
  };
}

/** Declares the job kind of an import into `target`. */
export function defineImportJob<Options>(target: ImportTarget<Options>): ImportJobKind<Options> {
  const kind: ImportJobKind<Options> = defineJob({
    payload: z.strictObject({ ...progressShape, options: target.options }) as z.ZodType<ImportProgress<Options>>,
    step(job, context: JobStepContext<ImportRepository>) {
      switch (job.state) {
        case QUEUED:
          // A file refused when it arrived: the import fails when its turn comes.
          if (job.payload.failure !== undefined) return finish(job, context.repo, FAILED, job.payload);
          return startWhenFree(job, context.jobs);
        case IMPORTING:
          return importRows(job, context, target);
        default:
          // Complete or Failed, seven days on: the batch is gone.
          context.repo.deleteFile(job.id);
          context.repo.deleteProblems(job.id);
          return { state: EXPIRED, dueAt: null };
      }
    },
  });
  IMPORT_KINDS.push(kind as AnyJobKind<unknown>);
  return kind;
}

type Step<Options> = { state: string; dueAt: number | null; payload?: ImportProgress<Options> };

/** FIFO, two at a time: the oldest Queued import starts when fewer than two are Importing. */
function startWhenFree<Options>(job: DueJob<ImportProgress<Options>>, jobs: Jobs): Step<Options> {
  const importing = importsIn(jobs, [IMPORTING]).length;
  const first = importsIn(jobs, [QUEUED])[0];
  if (importing >= MAX_IMPORTING || (first !== undefined && first.id < job.id)) {
    return { state: QUEUED, dueAt: job.dueAt + QUEUE_RETRY_MS };
  }
  return { state: IMPORTING, dueAt: job.dueAt + IMPORT_START_MS, payload: { ...job.payload, startedAt: job.dueAt } };
}

/** Finished: its file is no longer needed; its batch lives out its seven days. */
function finish<Options>(
  job: DueJob<ImportProgress<Options>>,
  repo: ImportRepository,
  state: typeof COMPLETE | typeof FAILED,
  payload: ImportProgress<Options>,
): Step<Options> {
  repo.deleteFile(job.id);
  return {
    state,
    dueAt: Math.max(job.dueAt, job.createdAt + BATCH_LIFETIME_MS),
    payload: { ...payload, finishedAt: job.dueAt },
  };
}

/** The next rows, written through the target in one step (one transaction). */
function importRows<Options>(
  job: DueJob<ImportProgress<Options>>,
  { repo, port }: JobStepContext<ImportRepository>,
  target: ImportTarget<Options>,
): Step<Options> {
  const progress = job.payload;
  const read = readRecords(repo.file(job.id, progress.fileBytes), progress.format, progress.at, STEP_BYTES);
  // The file was checked whole when it arrived: a file changed since is the fake's fault, and fails the job.
  if ('malformed' in read) throw new Error(`the import file changed after it was checked: ${read.malformed}`);
  const columns = progress.columns;
  const failures: ImportProblem[] = [];
  const warnings: ImportProblem[] = [];
  const rows: Record<string, string>[] = [];
  const rowNumbers: number[] = [];
  read.records.forEach((values, i) => {
    const row = progress.rows + i + 1;
    const extra = values.slice(columns.length).some((value) => value !== '');
    // Ours: a row with more values than the header has columns fails; a shorter one has its last fields empty.
    if (extra) {
      failures.push({ row, values, reason: `Row has ${values.length} values; the header names ${columns.length}` });
      return;
    }
    const record: Record<string, string> = {};
    columns.forEach((column, c) => {
      const value = values[c];
      // Decision (README "Bulk import"): an empty cell leaves the field as it is.
      if (column !== null && value !== undefined && value !== '') record[column] = value;
    });
    rows.push(record);
    rowNumbers.push(row);
  });
  const outcomes = rows.length > 0 ? target.importRows(rows, progress.options, { port, at: job.dueAt }) : [];
  let imported = 0;
  outcomes.forEach((outcome, i) => {
    const row = rowNumbers[i]!;
    const values = read.records[row - progress.rows - 1]!;
    if (!outcome.imported) {
      failures.push({ row, values, reason: outcome.reason });
      return;
    }
    imported++;
    if (outcome.warnings.length > 0) warnings.push({ row, values, reason: outcome.warnings.join('; ') });
  });
  failures.sort((a, b) => a.row - b.row);
  repo.addProblems(job.id, 'failure', failures);
  repo.addProblems(job.id, 'warning', warnings);
  const payload: ImportProgress<Options> = {
    ...progress,
    at: read.next,
    rows: progress.rows + read.records.length,
    imported: progress.imported + imported,
    failed: progress.failed + failures.length,
    warned: progress.warned + warnings.length,
  };
  return read.end ? finish(job, repo, COMPLETE, payload) : { state: IMPORTING, dueAt: job.dueAt, payload };
}

/** An import as its status call shows it. */
export interface ImportStatus {
  batchId: number;
  importId: string;
  status: string;
  numOfLeadsProcessed: number;
  numOfRowsFailed: number;
  numOfRowsWithWarning: number;
  message: string;
}

/**
 * Marketo's messages (bulk-lead-import.md, bulk-program-member-import.md, bulk-custom-object-import.md): "Import
 * succeeded, 3 records imported (3 members)", "Import completed with errors, 2 records imported (2 members), 1
 * failed", "Import succeeded, 1 records imported (1 members), 1 warning."; a failed import's message says why. Ours:
 * "Import queued" and "Import in progress" (Adobe documents none for those states); the warnings' part only on
 * success, as documented; members are the records imported.
 */
export function importMessage(job: Job<ImportProgress<unknown>>): string {
  const { imported, failed, warned } = job.payload;
  if (job.state === QUEUED) return 'Import queued';
  if (job.state === IMPORTING) return 'Import in progress';
  if (job.state === FAILED) return job.payload.failure ?? job.error ?? 'Import failed';
  const records = `${imported} records imported (${imported} members)`;
  if (failed > 0) return `Import completed with errors, ${records}, ${failed} failed`;
  return warned > 0 ? `Import succeeded, ${records}, ${warned} warning.` : `Import succeeded, ${records}`;
}

/** A lead or program member import as its status call shows it. */
export function importStatus(job: Job<ImportProgress<unknown>>): ImportStatus {
  return {
    batchId: job.id,
    importId: String(job.id),
    status: job.state,
    numOfLeadsProcessed: job.payload.imported,
    numOfRowsFailed: job.payload.failed,
    numOfRowsWithWarning: job.payload.warned,
    message: importMessage(job),
  };
}

/**
 * How long the import has been importing, as a custom object import's status says it ("2 second(s)",
 * bulk-custom-object-import.md): from its start to its end, or to now; undefined while it is Queued.
 */
export function importTime(job: Job<ImportProgress<unknown>>, now: number): string | undefined {
  const { startedAt, finishedAt } = job.payload;
  if (startedAt === undefined) return undefined;
  return `${Math.floor(((finishedAt ?? now) - startedAt) / 1000)} second(s)`;
}

/** Whether a batch can still be seen: not past its seven days. */
export function isLive(job: Job<unknown>, now: number): boolean {
  return job.state !== EXPIRED && now < job.createdAt + BATCH_LIFETIME_MS;
}
