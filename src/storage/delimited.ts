import type { FieldSeparator } from '../domain/bulk-export.js';

/**
 * SQL that writes rows as lines of a delimited file (bulk extract's CSV, TSV and SSV), so that SQLite builds a whole
 * chunk of a file in one string: no JavaScript value per field, which cost a third of an export (`npm run
 * bench:scale`). The one place that decides how a field is written: as text, `null` for an empty one ("If a
 * requested lead field is empty … null is placed in the corresponding field", bulk-lead-extract.md), quoted with
 * inner quotes doubled when it holds the separator, a double quote or a line break (RFC 4180 §2.6, as the attributes
 * cell of bulk-activity-extract.md's example), each line ending in LF.
 */

export interface DelimitedColumn {
  /** A column name or a bound parameter (`c3`, `?2`): it is read several times, so not a costly expression. */
  sql: string;
  /** Its values never need quotes (ids, ISO dates): written as they are, or `null`. */
  plain?: boolean;
}

const SEPARATOR_SQL: Record<FieldSeparator, string> = { ',': "','", '\t': 'char(9)', ';': "';'" };

/** A value that needs quotes holds one of these: GLOB finds them in one pass (four instr() cost 10% more). */
const NEEDS_QUOTES: Record<FieldSeparator, string> = {
  ',': `'*[,"\n\r]*'`,
  '\t': `'*[\t"\n\r]*'`,
  ';': `'*[;"\n\r]*'`,
};

function fieldSql({ sql, plain }: DelimitedColumn, separator: FieldSeparator): string {
  if (plain) return `coalesce(${sql}, 'null')`;
  return `CASE WHEN ${sql} IS NULL THEN 'null' WHEN ${sql} GLOB ${NEEDS_QUOTES[separator]}
    THEN '"' || replace(${sql}, '"', '""') || '"' ELSE ${sql} END`;
}

/** One line of the file from these columns, LF included. */
export function delimitedLineSql(columns: readonly DelimitedColumn[], separator: FieldSeparator): string {
  const between = SEPARATOR_SQL[separator];
  return `${columns.map((column) => fieldSql(column, separator)).join(` || ${between} || `)} || char(10)`;
}

/**
 * The rows `from` finds (`FROM … WHERE …`) as one chunk of the file: one row, the text of every line in the order of
 * `orderBy` (NULL when none) and how many lines there are.
 */
export function delimitedChunkSql(
  columns: readonly { expression: string; plain?: boolean }[],
  separator: FieldSeparator,
  from: string,
  orderBy: readonly string[],
): string {
  const selected = [
    ...columns.map((column, i) => `${column.expression} AS c${i}`),
    ...orderBy.map((key, i) => `${key} AS k${i}`),
  ].join(', ');
  const line = delimitedLineSql(
    columns.map((column, i) => ({ sql: `c${i}`, ...(column.plain ? { plain: true } : {}) })),
    separator,
  );
  // LIMIT -1 keeps SQLite from flattening the subquery, which would evaluate each column once per reference.
  const order = orderBy.map((_, i) => `k${i}`).join(', ');
  return `SELECT string_agg(${line}, '' ORDER BY ${order}) AS text, count(*) AS records
    FROM (SELECT ${selected} ${from} LIMIT -1)`;
}
