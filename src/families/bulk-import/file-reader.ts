import { CsvError, parse } from 'csv-parse/sync';

/**
 * An import file read a part at a time, as a job's steps read it: each step parses the records of a slice of the
 * file's bytes with csv-parse and says where the next step goes on. A record cut by the slice's end is read again by
 * the next step; a record longer than the slice makes the slice grow until it holds one, or the file ends.
 */

/** The formats bulk import takes (bulk-import.md): comma-, tab- and semicolon-separated values. */
export const IMPORT_FORMATS = ['csv', 'tsv', 'ssv'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export const DELIMITERS: Readonly<Record<ImportFormat, string>> = { csv: ',', tsv: '\t', ssv: ';' };

/** A stored file: its size, and its bytes by range. */
export interface FileBytes {
  readonly size: number;
  /** Bytes [position, position + length), fewer at the end of the file. */
  read(position: number, length: number): Buffer;
}

export type ReadResult =
  | {
      /** Each record's values, in the file's order; blank lines are skipped. */
      records: string[][];
      /** Where the next read starts: the byte after the last record read. */
      next: number;
      /** Nothing is left to read. */
      end: boolean;
    }
  | { malformed: string };

/**
 * Decision (README "Bulk import"): quotes as RFC 4180 has them, a quote inside an unquoted value taken as a
 * character (`5'10"`); CRLF, LF and CR all end a record; blank lines skipped; a UTF-8 BOM at the start ignored. A
 * quoted value left open at the end of the file makes the file malformed.
 */
const OPTIONS = {
  quote: '"',
  escape: '"',
  relax_quotes: true,
  relax_column_count: true,
  skip_empty_lines: true,
  record_delimiter: ['\r\n', '\n', '\r'],
};

/**
 * Reads up to `limit.records` records from byte `from` (the start of a record), parsing slices of `limit.bytes` bytes
 * (grown for a long record).
 */
export function readRecords(
  file: FileBytes,
  format: ImportFormat,
  from: number,
  limit: { records: number; bytes: number },
): ReadResult {
  for (let size = limit.bytes; ; size *= 4) {
    const length = Math.min(file.size - from, size);
    const final = from + length >= file.size;
    const slice = file.read(from, length);
    const records: string[][] = [];
    let consumed = 0;
    let cutAt = -1;
    let failure: unknown;
    try {
      parse(slice, {
        ...OPTIONS,
        delimiter: DELIMITERS[format],
        bom: from === 0,
        to: limit.records,
        // Each record as it ends, with the bytes read so far (its record delimiter included); none kept by csv-parse.
        on_record: (record: string[], context: { bytes: number }) => {
          records.push(record);
          cutAt = consumed;
          consumed = context.bytes;
          return null;
        },
      });
    } catch (error) {
      failure = error;
    }
    // A record that ends where the slice ends may go on past it: the next read starts at it again.
    if (!final && records.length > 0 && consumed === slice.length) {
      records.pop();
      consumed = cutAt;
    }
    if (records.length === 0 && !final) continue;
    if (failure !== undefined && (final ? true : records.length === 0)) {
      // Only a slice that reaches the end of the file tells a malformed record from one the slice cut.
      if (final) return { malformed: malformedAt(lineAt(file, from + firstRecordAt(slice, consumed)), failure) };
      continue;
    }
    // At the end with nothing more to take (blank lines after the last record): the whole slice is read.
    if (final && failure === undefined && records.length < limit.records) consumed = slice.length;
    const next = from + consumed;
    return { records, next, end: next >= file.size };
  }
}

/** Ours: what a malformed file's import fails with ("Quote Not Closed" and the like, from csv-parse). */
function malformedAt(line: number, error: unknown): string {
  const what = error instanceof CsvError ? error.message.split(':')[0]! : String(error);
  return `Invalid file format at line ${line}: ${what}`;
}

/** Where the record after `offset` starts: past the blank lines there. */
function firstRecordAt(bytes: Buffer, offset: number): number {
  let at = offset;
  while (bytes[at] === 0x0a || bytes[at] === 0x0d) at++;
  return at;
}

/** The line (1-based) at byte `offset`: line breaks (CRLF, LF or CR) counted from the start, only for a message. */
function lineAt(file: FileBytes, offset: number): number {
  const bytes = file.read(0, offset + 1);
  let line = 1;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a || (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a)) line++;
  }
  return line;
}
