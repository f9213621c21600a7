import type { FieldSeparator } from '../../domain/bulk-export.js';

/**
 * The three file formats of bulk extract (bulk-extract.md: "comma-separated values, tab-separated values, and
 * semi-colon-separated values. Accepts one of: CSV, SSV, TSV. The format defaults to CSV"). How a line is written is
 * decided in one place, src/storage/delimited.ts: the header line and the records alike.
 */
export const FORMATS = ['CSV', 'TSV', 'SSV'] as const;
export type FileFormat = (typeof FORMATS)[number];

/**
 * Decision (README): SSV separates with a semicolon, as bulk-extract.md and bulk-lead-import.md ("comma, tab, or
 * semi-colon") say; bulk-lead-extract.md calls it "space-separated".
 */
export const SEPARATOR: Record<FileFormat, FieldSeparator> = { CSV: ',', TSV: '\t', SSV: ';' };

/** What the file endpoint answers with, by format. */
export const CONTENT_TYPE: Record<FileFormat, string> = {
  CSV: 'text/csv; charset=utf-8',
  TSV: 'text/tab-separated-values; charset=utf-8',
  SSV: 'text/csv; charset=utf-8',
};
