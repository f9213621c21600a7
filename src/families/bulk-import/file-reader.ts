import { setImmediate as turn } from 'node:timers/promises';
import { CsvError, parse } from 'csv-parse/sync';

/**
 * An import file read a piece at a time with csv-parse: once whole as it arrives (checkFile), to find whether it is
 * well formed, then by the import's steps (readRecords), each a piece of the file's bytes. A piece ends at a line
 * break: when csv-parse finishes it outside a quoted value, every record in it is whole and the next piece starts
 * with the next record; when it finishes inside one (the line break was in a quoted value), the piece grows to a
 * later line break, until the end of the file, where a quote still open makes the file malformed.
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

/** A file in memory, read as a stored one is. */
export const bytesOf = (file: Buffer): FileBytes => ({
  size: file.length,
  read: (position, length) => file.subarray(position, position + length),
});

export type ReadResult =
  | {
      /** Each record's values, in the file's order; blank lines are skipped. */
      records: string[][];
      /** Where the next read starts: the byte after the piece read. */
      next: number;
      /** Nothing is left to read. */
      end: boolean;
    }
  | { malformed: string };

/**
 * Decision (README "Bulk import"): quotes as RFC 4180 has them, a quote inside an unquoted value taken as a
 * character (`5'10"`); CRLF, LF and CR all end a record; blank lines skipped; a UTF-8 BOM at the start ignored. With
 * these, the only malformed file is one with a quoted value left open at its end.
 */
const OPTIONS = {
  quote: '"',
  escape: '"',
  relax_quotes: true,
  relax_column_count: true,
  skip_empty_lines: true,
  record_delimiter: ['\r\n', '\n', '\r'],
};

const LF = 0x0a;
const CR = 0x0d;
/** How far past a piece's end a line break is looked for at a time. */
const LOOK_AHEAD_BYTES = 4096;

/**
 * The records of the piece of at least `bytes` bytes from byte `from` (the start of a record) to the next line
 * break, grown when a quoted value goes on past it.
 */
export function readRecords(file: FileBytes, format: ImportFormat, from: number, bytes: number): ReadResult {
  for (let size = bytes; ; size *= 4) {
    const end = lineEndAfter(file, from + size);
    const piece = file.read(from, end - from);
    try {
      const records = parse(piece, { ...OPTIONS, delimiter: DELIMITERS[format], bom: from === 0 }) as string[][];
      return { records, next: end, end: end >= file.size };
    } catch (error) {
      // A quoted value open at the piece's end may close after it; only at the end of the file is it malformed.
      if (end < file.size && error instanceof CsvError && error.code === 'CSV_QUOTE_NOT_CLOSED') continue;
      const whole = (error as { bytes_records?: number }).bytes_records ?? 0;
      return { malformed: malformedAt(lineAt(file, from + firstRecordAt(piece, whole)), error) };
    }
  }
}

/**
 * The first record of a well-formed file (checkFile), and the byte its next record starts at (its record delimiter
 * read). Undefined for a file with no record.
 */
export function readHeader(file: Buffer, format: ImportFormat): { header: string[]; next: number } | undefined {
  let next = 0;
  const [header] = parse(file, {
    ...OPTIONS,
    delimiter: DELIMITERS[format],
    bom: true,
    to: 1,
    on_record: (record: string[], context: { bytes: number }) => {
      next = context.bytes;
      return record;
    },
  }) as string[][];
  return header && { header, next };
}

/** How much of a file the check parses before it lets other work run (a 10 MB file is a fraction of a second). */
const CHECK_PIECE_BYTES = 256 * 1024;

/** Whether the whole file parses: undefined when it does, else why not, naming the line its bad record starts on. */
export async function checkFile(file: Buffer, format: ImportFormat): Promise<string | undefined> {
  const bytes = bytesOf(file);
  for (let at = 0; at < file.length;) {
    const read = readRecords(bytes, format, at, CHECK_PIECE_BYTES);
    if ('malformed' in read) return read.malformed;
    at = read.next;
    await turn();
  }
  return undefined;
}

/** The first byte after the line break at or after `position` (CRLF, LF or CR), or the file's end. */
function lineEndAfter(file: FileBytes, position: number): number {
  for (let at = position; at < file.size; at += LOOK_AHEAD_BYTES) {
    // One byte more, to tell CRLF from a CR at the window's end.
    const window = file.read(at, LOOK_AHEAD_BYTES + 1);
    for (let i = 0; i < Math.min(LOOK_AHEAD_BYTES, window.length); i++) {
      if (window[i] === LF) return at + i + 1;
      if (window[i] === CR) return window[i + 1] === LF ? at + i + 2 : at + i + 1;
    }
  }
  return file.size;
}

/** Ours: what a malformed file's import fails with ("Quote Not Closed", from csv-parse). */
function malformedAt(line: number, error: unknown): string {
  const what = error instanceof CsvError ? error.message.split(':')[0]! : String(error);
  return `Invalid file format at line ${line}: ${what}`;
}

/** Where the record after `offset` starts: past the blank lines there. */
function firstRecordAt(bytes: Buffer, offset: number): number {
  let at = offset;
  while (bytes[at] === LF || bytes[at] === CR) at++;
  return at;
}

/** The line (1-based) at byte `offset`: line breaks (CRLF, LF or CR) counted from the start, only for a message. */
function lineAt(file: FileBytes, offset: number): number {
  const bytes = file.read(0, offset + 1);
  let line = 1;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === LF || (bytes[i] === CR && bytes[i + 1] !== LF)) line++;
  }
  return line;
}
