import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { type FileBytes, type ImportFormat, readRecords } from '../../../src/families/bulk-import/file-reader.js';

/**
 * The import file read a slice at a time, as the import's steps read it (issue 25, item 5): whatever the slice size,
 * the records are those of one parse of the whole file — quoted values with delimiters, quotes and line breaks in
 * them, a BOM, CRLF, LF or CR line ends, multi-byte characters cut by a slice — and a malformed file is found, with
 * its line.
 */

const bytesOf = (text: string | Buffer): FileBytes => {
  const buffer = typeof text === 'string' ? Buffer.from(text) : text;
  return { size: buffer.length, read: (position, length) => buffer.subarray(position, position + length) };
};

/** Every record, reading `records` at a time from slices of `bytes`. */
function readAll(file: FileBytes, format: ImportFormat, limit: { records: number; bytes: number }) {
  const records: string[][] = [];
  let at = 0;
  for (let steps = 0; steps < 10_000; steps++) {
    const read = readRecords(file, format, at, limit);
    if ('malformed' in read) return { records, malformed: read.malformed };
    records.push(...read.records);
    if (read.end) return { records };
    expect(read.next).toBeGreaterThanOrEqual(at);
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

describe('reading an import file a slice at a time', () => {
  it('gives the records of one parse of the whole file, whatever the slice and batch sizes', () => {
    const file = bytesOf(TRICKY);
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
      for (const records of [1, 2, 5]) {
        expect(readAll(file, 'csv', { records, bytes }), `${bytes} bytes, ${records} records`).toEqual({
          records: whole,
        });
      }
    }
  });

  it('takes LF and CR line ends, tabs for tsv and semicolons for ssv', () => {
    expect(readAll(bytesOf('a\tb\n1\t"x\ty"\r2\t3\n'), 'tsv', { records: 1, bytes: 4 }).records).toEqual([
      ['a', 'b'],
      ['1', 'x\ty'],
      ['2', '3'],
    ]);
    expect(readAll(bytesOf('a;b\r\n"1;2";3\r\n'), 'ssv', { records: 10, bytes: 3 }).records).toEqual([
      ['a', 'b'],
      ['1;2', '3'],
    ]);
  });

  it('finds a quote left open, naming the line its record starts on, whatever the slice size', () => {
    const text = 'email,note\nana@example.mx,ok\n\nluis@example.mx,"never closed\nmore\n';
    for (const bytes of [2, 9, 64]) {
      expect(readAll(bytesOf(text), 'csv', { records: 1, bytes })).toEqual({
        records: [
          ['email', 'note'],
          ['ana@example.mx', 'ok'],
        ],
        malformed: 'Invalid file format at line 4: Quote Not Closed',
      });
    }
  });

  it('reads an empty file, and a file of blank lines, as no records', () => {
    expect(readAll(bytesOf(''), 'csv', { records: 5, bytes: 8 })).toEqual({ records: [] });
    expect(readAll(bytesOf('\r\n\n\r\n'), 'csv', { records: 5, bytes: 2 })).toEqual({ records: [] });
  });
});
