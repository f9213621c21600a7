import { Readable } from 'node:stream';
import type { BulkExtractRepository } from './repository.js';

/**
 * An export's file on the wire: read from SQLite a chunk at a time as the socket drains, never whole in memory, and
 * a byte range of it ("the file endpoint optionally supports the HTTP header Range of the type bytes (per RFC 7233)",
 * bulk-extract.md).
 */

/** Bytes `start` to `end` of the file, both included. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * The range a `Range` header asks for in a file of `size` bytes: a range, 'unsatisfiable' (416), or undefined for the
 * whole file (no header, one that is not a single byte range — RFC 7233 lets a server ignore those — or a malformed
 * one). bulk-extract.md writes one example as `Range: bytes 724-999`; the space is taken as the `=`.
 */
export function requestedRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
  if (header === undefined) return undefined;
  const match = /^\s*bytes\s*[=\s]\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!match) return undefined;
  const [, first, last] = match as unknown as [string, string, string];
  if (first === '' && last === '') return undefined;
  if (first === '') {
    // A suffix: the last N bytes.
    const length = Number(last);
    if (length === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Number(last);
  if (last !== '' && end < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end: Math.min(end, size - 1) };
}

/** The bytes of `range` of a job's file, read chunk by chunk as the reader asks for more. */
export function fileStream(repo: BulkExtractRepository, jobId: number, range: ByteRange): Readable {
  let seq = repo.chunkHolding(jobId, range.start);
  let position = range.start;
  return new Readable({
    read() {
      if (position > range.end) {
        this.push(null);
        return;
      }
      const chunk = seq === undefined ? undefined : repo.chunk(jobId, seq);
      if (!chunk) {
        // The file went while it was read (a reset, its retention): the answer is cut short.
        this.destroy(new Error(`export job ${jobId}: its file is gone`));
        return;
      }
      const from = position - chunk.startByte;
      const to = Math.min(chunk.data.length, range.end - chunk.startByte + 1);
      position += to - from;
      seq = chunk.seq + 1;
      this.push(from === 0 && to === chunk.data.length ? chunk.data : chunk.data.subarray(from, to));
    },
  });
}
