import { createHash, type Hash } from 'node:crypto';
import type { FieldSeparator } from '../../domain/bulk-export.js';
import { type Database, type PreparedStatement, prepareOnUse } from '../../storage/database.js';
import { delimitedLineSql } from '../../storage/delimited.js';

/** A chunk of an export's file. */
export interface FileChunk {
  seq: number;
  startByte: number;
  data: Buffer;
}

/** A running SHA-256 of a file's first `chunks` chunks (see BulkExtractRepository.hashFor). */
interface RunningHash {
  hash: Hash;
  chunks: number;
}

/**
 * The bulk-extract family's tables: each export's id and completion (bulk_exports), its file in chunks
 * (bulk_export_chunks). Also, in memory, the SHA-256 of each file being written, so a step hashes only its own chunk.
 */
export class BulkExtractRepository {
  private readonly s;
  private readonly hashes = new Map<number, RunningHash>();
  /** The header line's statement, by separator and number of columns (a handful in practice). */
  private readonly headers = new Map<string, PreparedStatement<Record<string, string>, { line: string }>>();

  constructor(private readonly db: Database) {
    this.s = {
      insert: prepareOnUse<[number, string]>(db, 'INSERT INTO bulk_exports (job_id, export_id) VALUES (?, ?)'),
      jobOf: prepareOnUse<[string], { job_id: number }>(db, 'SELECT job_id FROM bulk_exports WHERE export_id = ?'),
      exportIdOf: prepareOnUse<[number], { export_id: string }>(
        db,
        'SELECT export_id FROM bulk_exports WHERE job_id = ?',
      ),
      finish: prepareOnUse<[number | null, number | null, number]>(
        db,
        'UPDATE bulk_exports SET finished_at = ?, file_size = ? WHERE job_id = ?',
      ),
      usedSince: prepareOnUse<[number], { bytes: number }>(
        db,
        'SELECT coalesce(sum(file_size), 0) AS bytes FROM bulk_exports WHERE finished_at >= ?',
      ),
      appendChunk: prepareOnUse<[number, number, number, Buffer]>(
        db,
        'INSERT INTO bulk_export_chunks (job_id, seq, start_byte, data) VALUES (?, ?, ?, ?)',
      ),
      dropChunks: prepareOnUse<[number]>(db, 'DELETE FROM bulk_export_chunks WHERE job_id = ?'),
      chunk: prepareOnUse<[number, number], { seq: number; startByte: number; data: Buffer }>(
        db,
        'SELECT seq, start_byte AS startByte, data FROM bulk_export_chunks WHERE job_id = ? AND seq = ?',
      ),
      chunkHolding: prepareOnUse<[number, number], { seq: number }>(
        db,
        `SELECT seq FROM bulk_export_chunks WHERE job_id = ? AND start_byte <= ?
         ORDER BY start_byte DESC LIMIT 1`,
      ),
      allExports: prepareOnUse<[], { job_id: number; export_id: string }>(
        db,
        'SELECT job_id, export_id FROM bulk_exports ORDER BY job_id',
      ),
      chunkCount: prepareOnUse<[number], { n: number }>(
        db,
        'SELECT count(*) AS n FROM bulk_export_chunks WHERE job_id = ?',
      ),
    };
  }

  /** The file's header line, written as its records are (src/storage/delimited.ts). */
  headerLine(names: readonly string[], separator: FieldSeparator): string {
    const key = `${separator}${names.length}`;
    let statement = this.headers.get(key);
    if (!statement) {
      const columns = names.map((_, i) => ({ sql: `:h${i}` }));
      statement = prepareOnUse(this.db, `SELECT ${delimitedLineSql(columns, separator)} AS line`);
      this.headers.set(key, statement);
    }
    return statement.get(Object.fromEntries(names.map((name, i) => [`h${i}`, name])))!.line;
  }

  insert(jobId: number, exportId: string): void {
    this.s.insert.run(jobId, exportId);
  }

  jobOf(exportId: string): number | undefined {
    return this.s.jobOf.get(exportId)?.job_id;
  }

  exportIdOf(jobId: number): string | undefined {
    return this.s.exportIdOf.get(jobId)?.export_id;
  }

  /** Records when the job completed and its file's size (the daily quota); null, null: not completed. */
  finish(jobId: number, finishedAt: number | null, fileSize: number | null): void {
    this.s.finish.run(finishedAt, fileSize, jobId);
  }

  /** Bytes of the files of jobs completed at or after `since`. */
  bytesSince(since: number): number {
    return this.s.usedSince.get(since)!.bytes;
  }

  appendChunk(jobId: number, chunk: FileChunk): void {
    this.s.appendChunk.run(jobId, chunk.seq, chunk.startByte, chunk.data);
  }

  /** Removes a job's file (cancelled, failed, past its retention) and its running hash. */
  dropFile(jobId: number): void {
    this.s.dropChunks.run(jobId);
    this.hashes.delete(jobId);
  }

  chunk(jobId: number, seq: number): FileChunk | undefined {
    return this.s.chunk.get(jobId, seq);
  }

  /** The seq of the chunk that holds byte `offset` of the file. */
  chunkHolding(jobId: number, offset: number): number | undefined {
    return this.s.chunkHolding.get(jobId, offset)?.seq;
  }

  chunkCount(jobId: number): number {
    return this.s.chunkCount.get(jobId)!.n;
  }

  exports(): { jobId: number; exportId: string }[] {
    return this.s.allExports.all().map((row) => ({ jobId: row.job_id, exportId: row.export_id }));
  }

  /**
   * The running hash of a job's file over its first `chunks` chunks, or a new one when `chunks` is 0; undefined when
   * the one in memory covers another count (a step rolled back after hashing, a restart, a load): the caller hashes
   * the file again from its chunks.
   */
  hashFor(jobId: number, chunks: number): Hash | undefined {
    const running = this.hashes.get(jobId);
    if (running && running.chunks === chunks) return running.hash;
    if (chunks !== 0) return undefined;
    const hash = createHash('sha256');
    this.hashes.set(jobId, { hash, chunks: 0 });
    return hash;
  }

  /** `data` was added to the running hash of a job's file: it now covers one chunk more. */
  hashed(jobId: number): void {
    const running = this.hashes.get(jobId);
    if (running) running.chunks++;
  }

  /** The file's checksum, once every chunk is hashed; the running hash is gone after. */
  digest(jobId: number): string {
    const running = this.hashes.get(jobId);
    if (!running) throw new Error(`no running hash for export job ${jobId}`);
    this.hashes.delete(jobId);
    return `sha256:${running.hash.digest('hex')}`;
  }

  /** After a reset or a rolled-back load: no file is being written. */
  forgetHashes(): void {
    this.hashes.clear();
  }
}
