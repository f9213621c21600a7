import type { ExportValue } from '../../domain/bulk-export.js';

/**
 * The three file formats of bulk extract (bulk-extract.md: "comma-separated values, tab-separated values, and
 * semi-colon-separated values. Accepts one of: CSV, SSV, TSV. The format defaults to CSV").
 */
export const FORMATS = ['CSV', 'TSV', 'SSV'] as const;
export type FileFormat = (typeof FORMATS)[number];

/**
 * Decision (README): SSV separates with a semicolon, as bulk-extract.md and bulk-lead-import.md ("comma, tab, or
 * semi-colon") say; bulk-lead-extract.md calls it "space-separated".
 */
const SEPARATOR: Record<FileFormat, string> = { CSV: ',', TSV: '\t', SSV: ';' };

/** What the file endpoint answers with, by format. */
export const CONTENT_TYPE: Record<FileFormat, string> = {
  CSV: 'text/csv; charset=utf-8',
  TSV: 'text/tab-separated-values; charset=utf-8',
  SSV: 'text/csv; charset=utf-8',
};

/** A value that must be quoted: it holds the separator, a double quote or a line break (RFC 4180, §2.6). */
const NEEDS_QUOTES: Record<FileFormat, RegExp> = {
  CSV: /[",\r\n]/,
  TSV: /["\t\r\n]/,
  SSV: /[";\r\n]/,
};

/**
 * Writes rows as lines of one format: values separated, those that need it quoted with inner quotes doubled (as the
 * attributes column of bulk-activity-extract.md's example), an empty field written `null` ("If a requested lead field
 * is empty … null is placed in the corresponding field", bulk-lead-extract.md), each line ending in `\n`.
 */
export function lineWriter(format: FileFormat): (values: readonly ExportValue[]) => string {
  const separator = SEPARATOR[format];
  const needsQuotes = NEEDS_QUOTES[format];
  const field = (value: ExportValue): string => {
    if (value === null) return 'null';
    const text = typeof value === 'string' ? value : String(value);
    return needsQuotes.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return (values) => {
    let line = values.length > 0 ? field(values[0]!) : '';
    for (let i = 1; i < values.length; i++) line += separator + field(values[i]!);
    return `${line}\n`;
  };
}
