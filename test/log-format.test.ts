import { describe, expect, it } from 'vitest';
import { prettyLogLine, terminalLogStream } from '../src/log-format.js';

const at = new Date(2026, 11, 1, 9, 5, 7, 42).getTime(); // local time, as the line shows it

describe('prettyLogLine', () => {
  it('shows the time, the level and the message, then the other fields as key=value', () => {
    const line = JSON.stringify({
      level: 30,
      time: at,
      pid: 1,
      hostname: 'h',
      msg: 'access denied',
      reqId: 'req-1',
      route: 'GET /rest/v1/leads.json',
      status: 200,
    });
    expect(prettyLogLine(`${line}\n`)).toBe(
      '09:05:07.042 INFO  access denied reqId=req-1 route="GET /rest/v1/leads.json" status=200\n',
    );
  });

  it('colours the level for a terminal', () => {
    expect(prettyLogLine(JSON.stringify({ level: 40, time: at, msg: 'careful' }), true)).toBe(
      '09:05:07.042 \u001b[33mWARN \u001b[39m careful\n',
    );
  });

  it("puts an error's stack below the line, indented", () => {
    const err = { type: 'Error', message: 'boom', stack: 'Error: boom\n    at here' };
    expect(prettyLogLine(JSON.stringify({ level: 50, time: at, msg: 'failed', err }))).toBe(
      '09:05:07.042 ERROR failed\n    Error: boom\n        at here\n',
    );
  });

  it('passes on a line that is not JSON as it is', () => {
    expect(prettyLogLine('not json\n')).toBe('not json\n');
    expect(prettyLogLine('42')).toBe('42');
  });
});

describe('terminalLogStream', () => {
  it('pretty lines (coloured unless NO_COLOR) when stdout is a TTY', () => {
    let written = '';
    const out = { isTTY: true, write: (text: string) => (written += text) };
    terminalLogStream(out, {})!.write(JSON.stringify({ level: 30, time: at, msg: 'hello' }));
    expect(written).toBe('09:05:07.042 \u001b[32mINFO \u001b[39m hello\n');
    written = '';
    terminalLogStream(out, { NO_COLOR: '1' })!.write(JSON.stringify({ level: 30, time: at, msg: 'hello' }));
    expect(written).toBe('09:05:07.042 INFO  hello\n');
  });

  it('none when stdout is a pipe or a file: the log stays JSON lines', () => {
    expect(terminalLogStream({ isTTY: false, write: () => true }, {})).toBeUndefined();
    expect(terminalLogStream({ write: () => true }, {})).toBeUndefined();
  });
});
