import { type Database, prepareOnUse } from '../../storage/database.js';
import type { FileBytes } from './file-reader.js';

/** How an import's file is stored: chunks of this many bytes (a step reads one or two). */
export const CHUNK_BYTES = 64 * 1024;

export type ProblemKind = 'failure' | 'warning';

/** A row of the file that failed, or was imported with a warning. */
export interface ImportProblem {
  /** The row's number among the file's data rows (the header is not one), from 1. */
  row: number;
  /** Its values as the file has them. */
  values: readonly string[];
  reason: string;
}

export interface StoredChunk {
  jobId: number;
  seq: number;
  data: Buffer;
}

export interface StoredProblem extends ImportProblem {
  jobId: number;
  kind: ProblemKind;
}

/** How many chunks the repository keeps from the last reads: a step's slice spans at most two. */
const KEPT_CHUNKS = 2;

/** How many rows a snapshot or a failures file reads at a time. */
const PAGE_ROWS = 1000;

/** Import files and their failed and warned rows (the jobs themselves are the core's). */
export class ImportRepository {
  private readonly s;
  /**
   * The chunks read last (a step reads on where the one before stopped, mostly in the same chunk): a file's chunks
   * never change, and go with their job; emptied by reset, when job ids start again.
   */
  private recent: StoredChunk[] = [];

  constructor(db: Database) {
    this.s = {
      insertChunk: prepareOnUse<[number, number, Buffer]>(
        db,
        'INSERT INTO import_file_chunks (job_id, seq, data) VALUES (?, ?, ?)',
      ),
      chunks: prepareOnUse<[number, number, number], { data: Buffer }>(
        db,
        'SELECT data FROM import_file_chunks WHERE job_id = ? AND seq BETWEEN ? AND ? ORDER BY seq',
      ),
      deleteChunks: prepareOnUse<[number]>(db, 'DELETE FROM import_file_chunks WHERE job_id = ?'),
      insertProblem: prepareOnUse<[number, ProblemKind, number, string, string]>(
        db,
        'INSERT INTO import_problems (job_id, kind, row_no, row_values, reason) VALUES (?, ?, ?, ?, ?)',
      ),
      problems: prepareOnUse<[number, ProblemKind, number, number], { row: number; rowValues: string; reason: string }>(
        db,
        `SELECT row_no AS row, row_values AS rowValues, reason FROM import_problems
         WHERE job_id = ? AND kind = ? AND row_no > ? ORDER BY row_no LIMIT ?`,
      ),
      deleteProblems: prepareOnUse<[number]>(db, 'DELETE FROM import_problems WHERE job_id = ?'),
      chunkPage: prepareOnUse<[number, number, number], { jobId: number; seq: number; data: Buffer }>(
        db,
        `SELECT job_id AS jobId, seq, data FROM import_file_chunks
         WHERE (job_id, seq) > (?, ?) ORDER BY job_id, seq LIMIT ?`,
      ),
      problemPage: prepareOnUse<
        { job: number; kind: string; row: number; limit: number },
        { jobId: number; kind: ProblemKind; row: number; rowValues: string; reason: string }
      >(
        db,
        `SELECT job_id AS jobId, kind, row_no AS row, row_values AS rowValues, reason FROM import_problems
         WHERE (job_id, kind, row_no) > (:job, :kind, :row) ORDER BY job_id, kind, row_no LIMIT :limit`,
      ),
      jobOf: prepareOnUse<[number], { family: string; kind: string }>(db, 'SELECT family, kind FROM jobs WHERE id = ?'),
    };
  }

  /** Keeps an uploaded file for its job, in chunks. */
  storeFile(jobId: number, file: Buffer): void {
    for (let seq = 0; seq * CHUNK_BYTES < file.length; seq++) {
      this.s.insertChunk.run(jobId, seq, file.subarray(seq * CHUNK_BYTES, (seq + 1) * CHUNK_BYTES));
    }
  }

  /** A job's file, `size` bytes long, read a range at a time. */
  file(jobId: number, size: number): FileBytes {
    return {
      size,
      read: (position, length) => {
        const end = Math.min(size, position + length);
        if (end <= position) return Buffer.alloc(0);
        const first = Math.floor(position / CHUNK_BYTES);
        const last = Math.floor((end - 1) / CHUNK_BYTES);
        const chunks: Buffer[] = [];
        for (let seq = first; seq <= last; seq++) chunks.push(this.chunk(jobId, seq, last));
        const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
        return bytes.subarray(position - first * CHUNK_BYTES, end - first * CHUNK_BYTES);
      },
    };
  }

  deleteFile(jobId: number): void {
    this.s.deleteChunks.run(jobId);
    this.recent = this.recent.filter((chunk) => chunk.jobId !== jobId);
  }

  /** Chunk `seq` of a job's file, from the recent ones or read with those up to `last`. */
  private chunk(jobId: number, seq: number, last: number): Buffer {
    const kept = this.recent.find((chunk) => chunk.jobId === jobId && chunk.seq === seq);
    if (kept) return kept.data;
    const read = this.s.chunks.all(jobId, seq, last).map((row, i) => ({ jobId, seq: seq + i, data: row.data }));
    if (read.length === 0) throw new Error(`import ${jobId} has no chunk ${seq} of its file`);
    this.recent = [...read, ...this.recent].slice(0, KEPT_CHUNKS);
    return read[0]!.data;
  }

  /** Forgets the chunks read last (a reset: job ids start again). */
  forget(): void {
    this.recent = [];
  }

  addProblems(jobId: number, kind: ProblemKind, problems: readonly ImportProblem[]): void {
    for (const problem of problems) {
      this.s.insertProblem.run(jobId, kind, problem.row, JSON.stringify(problem.values), problem.reason);
    }
  }

  /** A job's failed or warned rows, in row order, a page at a time. */
  *problems(jobId: number, kind: ProblemKind): Generator<ImportProblem> {
    for (let after = 0; ;) {
      const page = this.s.problems.all(jobId, kind, after, PAGE_ROWS);
      for (const row of page) yield { row: row.row, values: JSON.parse(row.rowValues) as string[], reason: row.reason };
      if (page.length < PAGE_ROWS) return;
      after = page.at(-1)!.row;
    }
  }

  deleteProblems(jobId: number): void {
    this.s.deleteProblems.run(jobId);
  }

  /** The family and kind of job `jobId` (the core's table, read to check a seed's references). */
  jobOf(jobId: number): { family: string; kind: string } | undefined {
    return this.s.jobOf.get(jobId);
  }

  /** Every stored chunk, in (job, seq) order, a page at a time (a snapshot). */
  *allChunks(): Generator<StoredChunk> {
    for (let job = 0, seq = -1; ;) {
      const page = this.s.chunkPage.all(job, seq, 64);
      yield* page;
      if (page.length < 64) return;
      ({ jobId: job, seq } = page.at(-1)!);
    }
  }

  /** Every failed and warned row, in (job, kind, row) order, a page at a time (a snapshot). */
  *allProblems(): Generator<StoredProblem> {
    for (let job = 0, kind = '', row = 0; ;) {
      const page = this.s.problemPage.all({ job, kind, row, limit: PAGE_ROWS });
      for (const p of page) {
        yield {
          jobId: p.jobId,
          kind: p.kind,
          row: p.row,
          values: JSON.parse(p.rowValues) as string[],
          reason: p.reason,
        };
      }
      if (page.length < PAGE_ROWS) return;
      ({ jobId: job, kind, row } = page.at(-1)!);
    }
  }

  loadChunk(chunk: StoredChunk): void {
    this.s.insertChunk.run(chunk.jobId, chunk.seq, chunk.data);
  }

  loadProblem(problem: StoredProblem): void {
    this.addProblems(problem.jobId, problem.kind, [problem]);
  }
}
