/**
 * Log lines for a person at a terminal. The server logs JSON lines (pino); when stdout is a TTY the CLI writes
 * each one as `12:34:56.789 INFO  message key=value …` instead, with an error's stack below it. A few lines of
 * our own rather than pino-pretty: nothing to install, and nothing more to load at start.
 */

const LEVELS: Record<number, { name: string; color: number }> = {
  10: { name: 'TRACE', color: 90 },
  20: { name: 'DEBUG', color: 36 },
  30: { name: 'INFO', color: 32 },
  40: { name: 'WARN', color: 33 },
  50: { name: 'ERROR', color: 31 },
  60: { name: 'FATAL', color: 35 },
};

// Always the same in this process, so not worth a column.
const OMITTED = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'err']);

const two = (n: number) => String(n).padStart(2, '0');

function clockTime(ms: number): string {
  const at = new Date(ms);
  return `${two(at.getHours())}:${two(at.getMinutes())}:${two(at.getSeconds())}.${String(at.getMilliseconds()).padStart(3, '0')}`;
}

function valueText(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}

/** One pino JSON line as a readable line (a line that is not JSON is passed on as it is). */
export function prettyLogLine(line: string, colors = false): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  if (typeof record !== 'object' || record === null) return line;
  const level = LEVELS[record.level as number] ?? { name: String(record.level), color: 0 };
  const name = level.name.padEnd(5);
  const parts = [
    typeof record.time === 'number' ? clockTime(record.time) : '',
    colors ? `\u001b[${level.color}m${name}\u001b[39m` : name,
    typeof record.msg === 'string' ? record.msg : '',
  ];
  for (const [key, value] of Object.entries(record)) {
    if (!OMITTED.has(key) && value !== undefined) parts.push(`${key}=${valueText(value)}`);
  }
  let text = parts.filter((part) => part !== '').join(' ');
  const err = record.err as { stack?: unknown; message?: unknown } | undefined;
  if (err && typeof err === 'object') {
    const detail = typeof err.stack === 'string' ? err.stack : String(err.message);
    text += `\n${detail.replace(/^/gm, '    ')}`;
  }
  return `${text}\n`;
}

/** Where the CLI's log goes: pretty lines for a terminal, pino's JSON lines (undefined: stdout as is) otherwise. */
export function terminalLogStream(
  out: { isTTY?: boolean; write(text: string): unknown },
  env: NodeJS.ProcessEnv = process.env,
): { write(line: string): void } | undefined {
  if (!out.isTTY) return undefined;
  const colors = env.NO_COLOR === undefined || env.NO_COLOR === '';
  return {
    write(line: string) {
      out.write(prettyLogLine(line, colors));
    },
  };
}
