import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { formatPath } from './domain/seed.js';
import { stubInputSchema } from './domain/stub-schema.js';
import type { Stub, StubInput } from './domain/stubs.js';
import { inputOf } from './domain/stubs.js';
import { plainMessage, valueAt } from './domain/validation-wording.js';

/**
 * The stubs directory (issue 33; STUBS_DIR, startFakeMarketo({ stubsDir })), WireMock's `mappings/`: every `*.json`,
 * `*.yaml` and `*.yml` file in it (not its subdirectories), in name order, holds one stub, a list of stubs, or
 * `{ stubs: [...] }`. They are loaded at start and come back on every reset; POST /admin/stubs/save writes the stubs
 * added since, one `<id>.json` file each.
 */

/** The most a stubs directory is read: files, and bytes in all. */
export const STUB_FILES_MAX = 1000;
export const STUB_FILES_MAX_BYTES = 64 * 1024 * 1024;

export class StubFileError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid stub files:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'StubFileError';
  }
}

const STUB_FILE = /\.(json|ya?ml)$/i;

/** A stub loaded from the directory, with the file it came from. */
export interface FileStub {
  input: StubInput;
  file: string;
}

function stubFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    throw new StubFileError([`${dir}: cannot be read as a directory (${(error as NodeJS.ErrnoException).code})`]);
  }
  return names
    .filter((name) => STUB_FILE.test(name) && statSync(join(dir, name)).isFile())
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** "line L, column C" of the node at a path of the document, when the document says. */
function placeOf(text: string, path: (string | number)[]): string {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines });
  for (let depth = path.length; depth >= 0; depth--) {
    const node = document.getIn(path.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) {
      const { line, col } = lines.linePos(node.range[0]);
      return ` (line ${line}, column ${col})`;
    }
  }
  return '';
}

/** The stubs of one file, or the problems naming the file and the place in it. */
function readStubFile(dir: string, name: string, problems: string[]): FileStub[] {
  const file = join(dir, name);
  const text = readFileSync(file, 'utf8');
  let document: unknown;
  if (/\.json$/i.test(name)) {
    try {
      document = JSON.parse(text) as unknown;
    } catch (error) {
      problems.push(`${file}: not JSON: ${(error as Error).message}`);
      return [];
    }
  } else {
    const parsed = parseDocument(text, { prettyErrors: true });
    if (parsed.errors.length > 0) {
      for (const error of parsed.errors) problems.push(`${file}: not YAML: ${error.message.split('\n')[0]}`);
      return [];
    }
    document = parsed.toJS() as unknown;
  }
  const listed = isListDocument(document);
  const items: unknown[] = listed ? listed.items : [document];
  const found: FileStub[] = [];
  items.forEach((item, i) => {
    const base: (string | number)[] = listed ? [...listed.prefix, i] : [];
    const parsed = stubInputSchema.safeParse(item);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = [...base, ...(issue.path as (string | number)[])];
        const where = path.length > 0 ? `${formatPath(path)}` : 'the stub';
        problems.push(
          `${file}: ${where}${placeOf(text, path)}: ${plainMessage(issue.message, valueAt(item, issue.path))}`,
        );
      }
      return;
    }
    found.push({ input: parsed.data, file: name });
  });
  return found;
}

function isListDocument(document: unknown): { items: unknown[]; prefix: string[] } | undefined {
  if (Array.isArray(document)) return { items: document, prefix: [] };
  if (document !== null && typeof document === 'object' && Array.isArray((document as { stubs?: unknown }).stubs)) {
    return { items: (document as { stubs: unknown[] }).stubs, prefix: ['stubs'] };
  }
  return undefined;
}

/** Every stub of the directory, files in name order; a StubFileError names each file and place that is wrong. */
export function readStubsDir(dir: string): FileStub[] {
  const names = stubFiles(dir);
  if (names.length > STUB_FILES_MAX) throw new StubFileError([`${dir}: more than ${STUB_FILES_MAX} stub files`]);
  const total = names.reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
  if (total > STUB_FILES_MAX_BYTES) {
    throw new StubFileError([`${dir}: its stub files hold more than ${STUB_FILES_MAX_BYTES} bytes`]);
  }
  const problems: string[] = [];
  const stubs = names.flatMap((name) => readStubFile(dir, name, problems));
  const seen = new Map<string, string>();
  for (const { input, file } of stubs) {
    if (input.id === undefined) continue;
    const other = seen.get(input.id);
    if (other) problems.push(`${join(dir, file)}: id ${input.id} is taken by a stub of ${join(dir, other)}`);
    seen.set(input.id, file);
  }
  if (problems.length > 0) throw new StubFileError(problems);
  return stubs;
}

/**
 * Writes each stub to `<id>.json` in the directory (another name when that file holds other stubs), through a
 * temporary file renamed into place so a reader never sees half a file; returns the file names. All or none: when one
 * cannot be written, those written before it are removed (the stubs stay unsaved, so a save again would write them
 * twice, and two files of one id stop the next start).
 */
export function writeStubFiles(dir: string, stubs: readonly Stub[]): string[] {
  const written: string[] = [];
  try {
    for (const stub of stubs) {
      let name = `${stub.id}.json`;
      for (let n = 2; written.includes(name) || existsSync(join(dir, name)); n++) name = `${stub.id}-${n}.json`;
      const file = join(dir, name);
      const temporary = join(dir, `.${basename(name)}.tmp`);
      writeFileSync(temporary, `${JSON.stringify(inputOf(stub), null, 2)}\n`);
      renameSync(temporary, file);
      written.push(name);
    }
  } catch (error) {
    for (const name of written) rmSync(join(dir, name), { force: true });
    throw error;
  }
  return written;
}
