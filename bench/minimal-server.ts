// The yardstick, run beside the fake: a minimal hand-written Marketo route — bearer token, SQLite primary-key
// lookup, Marketo envelope — and nothing else (no permissions, partitions, limits, journal or validation).
import BetterSqlite3 from 'better-sqlite3';
import Fastify from 'fastify';

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
await app.listen({ host: '127.0.0.1', port: Number(portArgument ?? 0) });
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
