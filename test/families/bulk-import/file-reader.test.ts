import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  bytesOf,
  checkFile,
  type FileBytes,
  type ImportFormat,
  readHeader,
  readRecords,
} from '../../../src/families/bulk-import/file-reader.js';

/**
 * The import file read a piece at a time, as the import's steps read it (issue 25, item 5): whatever the piece size,
 * the records are those of one parse of the whole file — quoted values with delimiters, quotes and line breaks in
 * them, a BOM, CRLF, LF or CR line ends, multi-byte characters — and a malformed file is found, with its line.
 */

const fileOf = (text: string): FileBytes => bytesOf(Buffer.from(text));

/** Every record, reading pieces of `bytes` from the start. */
function readAll(file: FileBytes, format: ImportFormat, bytes: number) {
  const records: string[][] = [];
  let at = 0;
  for (let steps = 0; steps < 10_000; steps++) {
    const read = readRecords(file, format, at, bytes);
    if ('malformed' in read) return { records, malformed: read.malformed };
    records.push(...read.records);
    if (read.end) return { records };
    expect(read.next).toBeGreaterThan(at);
    at = read.next;
  }
  throw new Error('no end');
}

const TRICKY = [
  '\ufeffemail,firstName,note',
  'ana@example.mx,Ana,"García, María"',
  'luis@example.mx,"Luis ""Lucho""","two',
  'lines"',
  '',
  'zoë@example.com,Zoë,"crlf\r\ninside"',
  'bo@example.com,Bo,5\'10" tall',
  'end@example.com,Émile,',
].join('\r\n');

describe('reading an import file a piece at a time', () => {
  it('gives the records of one parse of the whole file, whatever the piece size', () => {
    const whole = parse(Buffer.from(TRICKY), {
      bom: true,
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as string[][];
    expect(whole[0]).toEqual(['email', 'firstName', 'note']);
    expect(whole).toHaveLength(6);
    expect(whole[2]).toEqual(['luis@example.mx', 'Luis "Lucho"', 'two\r\nlines']);
    expect(whole[4]).toEqual(['bo@example.com', 'Bo', '5\'10" tall']);
    for (const bytes of [1, 2, 3, 5, 7, 16, 33, 1000]) {
      expect(readAll(fileOf(TRICKY), 'csv', bytes), `${bytes} bytes`).toEqual({ records: whole });
    }
  });

  it('takes LF and CR line ends, tabs for tsv and semicolons for ssv', () => {
    expect(readAll(fileOf('a\tb\n1\t"x\ty"\r2\t3\n'), 'tsv', 1).records).toEqual([
      ['a', 'b'],
      ['1', 'x\ty'],
      ['2', '3'],
    ]);
    expect(readAll(fileOf('a;b\r\n"1;2";3\r\n'), 'ssv', 3).records).toEqual([
      ['a', 'b'],
      ['1;2', '3'],
    ]);
  });

  it('finds a quote left open, naming the line its record starts on, whatever the piece size', async () => {
    const text = 'email,note\nana@example.mx,ok\n\nluis@example.mx,"never closed\nmore\n';
    for (const bytes of [2, 9, 64]) {
      expect(readAll(fileOf(text), 'csv', bytes).malformed, `${bytes} bytes`).toBe(
        'Invalid file format at line 4: Quote Not Closed',
      );
    }
    expect(await checkFile(Buffer.from(text), 'csv')).toBe('Invalid file format at line 4: Quote Not Closed');
    expect(await checkFile(Buffer.from(TRICKY), 'csv')).toBeUndefined();
  });

  it('reads an empty file, and a file of blank lines, as no records', () => {
    expect(readAll(fileOf(''), 'csv', 8)).toEqual({ records: [] });
    expect(readAll(fileOf('\r\n\n\r\n'), 'csv', 2)).toEqual({ records: [] });
    expect(readHeader(Buffer.from('\r\n\n'), 'csv')).toBeUndefined();
  });

  it('finds the header and where the rows after it start, a line break in a quoted name included', () => {
    const text = '\ufeff"first\nname",email\r\nAna,ana@example.mx\n';
    const header = readHeader(Buffer.from(text), 'csv')!;
    expect(header.header).toEqual(['first\nname', 'email']);
    expect(readAll(bytesOf(Buffer.from(text).subarray(0)), 'csv', 4).records.slice(1)).toEqual([
      ['Ana', 'ana@example.mx'],
    ]);
    expect(readRecords(fileOf(text), 'csv', header.next, 1)).toEqual({
      records: [['Ana', 'ana@example.mx']],
      next: Buffer.byteLength(text),
      end: true,
    });
  });
});
