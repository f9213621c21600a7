/**
 * Derives test/fixtures/adobe-permissions.json from Adobe's four Swagger files: for every operation, its method, its
 * path as the spec writes it, and the permissions it requires as this project's permission keys (facts, not Adobe's
 * text). test/adobe-permissions.test.ts checks every Marketo-plane route against the table, and that the committed
 * table is what this script derives whenever the specs are at hand.
 *
 *   npx tsx scripts/derive-adobe-permissions.ts [spec-dir]    (default ../shared/marketo-specs, beside the clone)
 *
 * How Adobe's "Required Permissions: …" text is read:
 * - The statement ends at the first `<br>` or line break ("<br><br><b>Note: This endpoint has been superseded…",
 *   "\n\nNote: Emails created with the new email designer…"); a trailing period is dropped.
 * - "A, B" and "A or B": either one suffices (`anyOf`), as marketo-reference.md §4.1 reads the spec. "A and B": both
 *   are needed (`allOf`; the User Management API's "Access User Management Api and Access Users"). A single
 *   permission is written `anyOf` with one key. "None" (the four stats operations) is `anyOf: []`: no permission.
 * - Spelling variants become the catalog's names (src/domain/permissions.ts): "Read-Asset" and "Read-Only Asset" →
 *   Read-Only Assets; "Read-Write Asset" → Read-Write Assets; "Read-Only/Read-Write Campaigns" → … Campaign;
 *   "Read-Write Named Opportunity" (a typo: its read twin is "Read-Only Opportunity") → Read-Write Opportunity;
 *   "Read Only/Read Write Redirect Rules" (no hyphens) → Read-Only/Read-Write Redirect Rules. "Api" and "API" give the
 *   same key. Key = lowercase name, each run of non-alphanumerics → '-', as the catalog makes it.
 * - Design Studio permissions of the UI ("Access Design Studio", "Edit Email", "Approve Snippet", …), named by the
 *   asset v2 email, template and snippet operations next to an Assets permission, are not API permissions and not in
 *   the catalog. They go to `ui` (needed besides `permissions`, marketo-reference.md §4.2), so `permissions` stays the
 *   API part, comparable with a route's `x-marketo-permissions`.
 * - "Read-Only Assets, Read-Write Assets. If leadId is passed in the request: Read-Only Lead, Read-Write Lead." (the
 *   email and landing page fullContent GETs): `permissions` is the unconditional part; the rest is
 *   `when: { parameter: 'leadId', permissions }`.
 * - An operation whose description states no permission gets `permissions: null` (unknown, not "none"): the two
 *   identity operations (which authenticate by client credentials, not a role) and GET
 *   /rest/asset/v1/landingPage/{id}/variables.json (its description is empty). They are printed.
 * - Names that map to no catalog key are printed too (today: the Redirect Rules pair, which the catalog lacks); they
 *   are kept in the table under the key the catalog would give them.
 * Output: operations sorted by path then method, keys sorted, one operation per line (diffs stay readable;
 * test/fixtures/ is in .prettierignore so that formatting does not rewrite it).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PERMISSIONS } from '../src/domain/permissions.js';

export const SPEC_FILES = ['swagger-asset.json', 'swagger-identity.json', 'swagger-mapi.json', 'swagger-user.json'];
export const DEFAULT_SPEC_DIR = fileURLToPath(new URL('../../shared/marketo-specs', import.meta.url));
export const TABLE_PATH = fileURLToPath(new URL('../test/fixtures/adobe-permissions.json', import.meta.url));

export type PermissionSet = { anyOf: string[] } | { allOf: string[] };

export interface AdobeOperation {
  method: string;
  path: string;
  /** The API permissions (keys); null when the spec states none. */
  permissions: PermissionSet | null;
  /** UI (Design Studio) permissions also named, all needed besides `permissions`. */
  ui?: string[];
  /** Needed besides `permissions` when the request carries `parameter`. */
  when?: { parameter: string; permissions: PermissionSet };
}

export interface AdobePermissionTable {
  /** How many operations each spec file holds. */
  operations: Record<string, number>;
  entries: AdobeOperation[];
}

export interface Derivation {
  table: AdobePermissionTable;
  /** "METHOD path" of operations stating no permission. */
  unstated: string[];
  /** Keys (with Adobe's spelling) that are neither in the catalog nor known UI permissions. */
  unmapped: string[];
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'];

/** Adobe's spelling → the catalog's name. */
const ALIASES: Record<string, string> = {
  'Read-Asset': 'Read-Only Assets',
  'Read-Only Asset': 'Read-Only Assets',
  'Read-Write Asset': 'Read-Write Assets',
  'Read-Only Campaigns': 'Read-Only Campaign',
  'Read-Write Campaigns': 'Read-Write Campaign',
  'Read-Write Named Opportunity': 'Read-Write Opportunity',
  'Read Only Redirect Rules': 'Read-Only Redirect Rules',
  'Read Write Redirect Rules': 'Read-Write Redirect Rules',
};

/** Design Studio permissions of the UI, named by the asset v2 operations. */
const UI_PERMISSION = /^(Access Design Studio|(Access|Edit|Delete|Approve) (Email|Email Template|Snippet))$/;

const CONDITION = /^(.*?)\.?\s+If (\w+) is passed in the request:\s*(.*)$/;

function keyOf(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

function sortedUnique(keys: string[]): string[] {
  return [...new Set(keys)].sort();
}

interface Parsed {
  permissions: PermissionSet;
  ui: string[];
  unmapped: string[];
}

/** One permission list ("A, B", "A or B", "A and B", "None") as keys. */
function parseList(text: string, where: string): Parsed {
  const statement = text.trim().replace(/\.$/, '');
  if (/^none$/i.test(statement)) return { permissions: { anyOf: [] }, ui: [], unmapped: [] };
  const all = / and /.test(statement);
  if (all && /,| or /.test(statement)) throw new Error(`${where}: mixes "and" with "or"/",": ${statement}`);
  const names = statement.split(all ? / and / : /,\s*| or /).map((name) => name.trim());
  const api: string[] = [];
  const ui: string[] = [];
  const unmapped: string[] = [];
  for (const name of names) {
    if (UI_PERMISSION.test(name)) {
      ui.push(keyOf(name));
      continue;
    }
    const key = keyOf(ALIASES[name] ?? name);
    if (!CATALOG.has(key)) unmapped.push(`${name} → ${key}`);
    api.push(key);
  }
  const keys = sortedUnique(api);
  return { permissions: all ? { allOf: keys } : { anyOf: keys }, ui: sortedUnique(ui), unmapped };
}

const CATALOG = new Set<string>(PERMISSIONS.map((p) => p.key));

interface SwaggerOperation {
  description?: string;
}

interface Swagger {
  paths: Record<string, Record<string, SwaggerOperation>>;
}

export function deriveAdobePermissions(specDir: string = DEFAULT_SPEC_DIR): Derivation {
  const operations: Record<string, number> = {};
  const entries: AdobeOperation[] = [];
  const unstated: string[] = [];
  const unmapped = new Set<string>();
  for (const file of SPEC_FILES) {
    const spec = JSON.parse(readFileSync(join(specDir, file), 'utf8')) as Swagger;
    operations[file] = 0;
    for (const [path, byMethod] of Object.entries(spec.paths)) {
      for (const [verb, operation] of Object.entries(byMethod)) {
        if (!METHODS.includes(verb)) continue;
        operations[file] += 1;
        const method = verb.toUpperCase();
        const where = `${method} ${path}`;
        const stated = /Required Permissions:\s*([^\n]*?)\s*(?:<br|\n|$)/.exec(operation.description ?? '')?.[1];
        if (stated === undefined) {
          unstated.push(`${where} (${file})`);
          entries.push({ method, path, permissions: null });
          continue;
        }
        const condition = CONDITION.exec(stated);
        const parsed = parseList(condition?.[1] ?? stated, where);
        const entry: AdobeOperation = { method, path, permissions: parsed.permissions };
        if (parsed.ui.length > 0) entry.ui = parsed.ui;
        parsed.unmapped.forEach((name) => unmapped.add(name));
        if (condition !== null) {
          const extra = parseList(condition[3]!, where);
          if (extra.ui.length > 0) throw new Error(`${where}: UI permissions in a condition: ${stated}`);
          extra.unmapped.forEach((name) => unmapped.add(name));
          entry.when = { parameter: condition[2]!, permissions: extra.permissions };
        }
        entries.push(entry);
      }
    }
  }
  const order = (op: AdobeOperation) => `${op.path} ${op.method}`;
  entries.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  return { table: { operations, entries }, unstated, unmapped: [...unmapped].sort() };
}

/** The committed form: one operation per line, in a stable key order, trailing newline. */
export function renderAdobePermissions(table: AdobePermissionTable): string {
  const lines = table.entries.map((entry) => {
    const ordered: AdobeOperation = { method: entry.method, path: entry.path, permissions: entry.permissions };
    if (entry.ui !== undefined) ordered.ui = entry.ui;
    if (entry.when !== undefined) ordered.when = entry.when;
    return `    ${JSON.stringify(ordered)}`;
  });
  return `{\n  "operations": ${JSON.stringify(table.operations)},\n  "entries": [\n${lines.join(',\n')}\n  ]\n}\n`;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const specDir = resolve(process.argv[2] ?? DEFAULT_SPEC_DIR);
  const { table, unstated, unmapped } = deriveAdobePermissions(specDir);
  writeFileSync(TABLE_PATH, renderAdobePermissions(table));
  const total = Object.values(table.operations).reduce((sum, n) => sum + n, 0);
  const out = process.stdout;
  out.write(`wrote ${TABLE_PATH}: ${total} operations from ${specDir}\n`);
  for (const [file, count] of Object.entries(table.operations)) out.write(`  ${file}: ${count}\n`);
  out.write(`no stated permission (${unstated.length}):\n${unstated.map((op) => `  ${op}\n`).join('')}`);
  out.write(`not in the catalog (${unmapped.length}):\n${unmapped.map((name) => `  ${name}\n`).join('')}`);
}
