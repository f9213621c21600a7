// The yardstick, run beside the fake: a minimal hand-written Marketo route — bearer token, SQLite primary-key
// lookup, Marketo envelope — and nothing else (no permissions, partitions, limits, journal or validation). Beside it,
// the same for a program browse: the fake's SQL over the same data, the asset envelope, the record built by hand.
import BetterSqlite3 from 'better-sqlite3';
import Fastify from 'fastify';
import { BROWSE_PROGRAMS_SQL, type ProgramRow } from '../src/storage/assets.js';
import { BENCH_READABLE_WORKSPACES } from './fixture.js';

const [dbFile, portArgument, token] = process.argv.slice(2);
if (!dbFile || !token) throw new Error('usage: minimal-server <database file> <port> <access token>');
const db = new BetterSqlite3(dbFile);
db.pragma('journal_mode = WAL');
const selectLead = db.prepare<
  [number],
  { id: number; email: string; fields: string; created: number; updated: number }
>('SELECT id, email, fields, created_at AS created, updated_at AS updated FROM leads WHERE id = ?');
const datetime = (ms: number): string => `${new Date(ms).toISOString().slice(0, -5)}Z`;
let counter = 0;

const app = Fastify({ logger: false });
app.get<{ Params: { id: string } }>('/rest/v1/lead/:id.json', async (request) => {
  const requestId = `${(++counter).toString(16)}#${Date.now().toString(16)}`;
  if (request.headers.authorization !== `Bearer ${token}`) {
    return { requestId, success: false, errors: [{ code: '601', message: 'Access token invalid' }] };
  }
  const row = selectLead.get(Number(request.params.id));
  const fields = row ? (JSON.parse(row.fields) as Record<string, unknown>) : {};
  const result = row
    ? [
        {
          id: row.id,
          firstName: fields.firstName ?? null,
          lastName: fields.lastName ?? null,
          email: row.email,
          updatedAt: datetime(row.updated),
          createdAt: datetime(row.created),
        },
      ]
    : [];
  return { requestId, result, success: true };
});
const browsePrograms = db.prepare<[Record<string, unknown>], ProgramRow>(BROWSE_PROGRAMS_SQL);
const assetTime = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z+0000`;
const workspaces = JSON.stringify(BENCH_READABLE_WORKSPACES);
app.get<{ Querystring: { offset?: string; maxReturn?: string } }>('/rest/asset/v1/programs.json', async (request) => {
  const requestId = `${(++counter).toString(16)}#${Date.now().toString(16)}`;
  if (request.headers.authorization !== `Bearer ${token}`) {
    return { requestId, success: false, errors: [{ code: '601', message: 'Access token invalid' }], warnings: [] };
  }
  const rows = browsePrograms.all({
    workspaces,
    ids: null,
    folders: null,
    earliest: null,
    latest: null,
    status: null,
    limit: Number(request.query.maxReturn ?? 20),
    offset: Number(request.query.offset ?? 0),
  });
  if (rows.length === 0) {
    return { requestId, success: true, errors: [], warnings: ['No assets found for the given search criteria.'] };
  }
  const result = rows.map((row) => ({
    id: row.id,
    name: row.name,
    description: row.description,
    createdAt: assetTime(row.created_at),
    updatedAt: assetTime(row.updated_at),
    // The fake's default POD.
    url: `https://app-ab.marketo.com/#PG${row.id}A1`,
    type: row.type,
    channel: row.channel,
    folder: { type: 'Folder', value: row.folder_id, folderName: row.folder_name },
    status: row.status,
    workspace: row.workspace_name,
    headStart: false,
    tags: JSON.parse(row.tags) as unknown[],
    costs: JSON.parse(row.costs) as unknown[],
  }));
  return { requestId, success: true, errors: [], warnings: [], result };
});
await app.listen({ host: '127.0.0.1', port: Number(portArgument ?? 0) });
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
