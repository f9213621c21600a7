// The issue's yardstick, run beside the fake: a minimal hand-written Marketo route — bearer token, SQLite primary-key
// lookup, Marketo envelope — and nothing else (no permissions, partitions, limits, journal or validation). Beside it,
// the same for a program browse: the fake's SQL over the same data, the asset envelope, the record built by hand;
// for a page of activities; for the leads of a static list; for a page of emails; for three writes, Add to List,
// Create Folder and Update Email Content Section; and for custom objects, a sync of 300 records and a query by the
// dedupe field.
import formbody from '@fastify/formbody';
import BetterSqlite3 from 'better-sqlite3';
import Fastify from 'fastify';
import { DEFAULT_READ_FIELDS, STANDARD_FIELDS } from '../src/families/leads/lead-field-catalog.js';
import { encodePageToken, fromBase32 as pageTokenText, queryDigest } from '../src/domain/paging.js';
import { BROWSE_PROGRAMS_SQL, type FolderRow, type ProgramRow } from '../src/families/assets/repository.js';
import { LEAD_COLUMNS, type LeadRow } from '../src/families/leads/repository.js';
import { BENCH_CAMPAIGN_LIST, BENCH_READABLE_WORKSPACES } from './fixture.js';
import { browseAssetsSql, findAssetSql } from '../src/engines/assets/asset-rows.js';
import { formatDatetime } from '../src/domain/datetime.js';
import { objectSql } from '../src/engines/objects/object-repository.js';
import { randomUUID } from 'node:crypto';

const [dbFile, portArgument, token] = process.argv.slice(2);
if (!dbFile || !token) throw new Error('usage: minimal-server <database file> <port> <access token>');
const db = new BetterSqlite3(dbFile);
// As the fake opens its database (src/storage/database.ts). It holds its file exclusively, which spares every
// statement the file-lock system calls, and leaves a frame in the write-ahead log, without which each read asks the
// file system for the database's size: both weigh on a route of many statements. A commit is not synced to disk
// each time, and inserts check their foreign keys: both weigh on the writes.
db.pragma('locking_mode = EXCLUSIVE');
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('foreign_keys = ON');
db.pragma(`user_version = ${db.pragma('user_version', { simple: true }) as number}`);
const selectLead = db.prepare<
  [number],
  { id: number; email: string; fields: string; created: number; updated: number }
>('SELECT id, email, fields, created_at AS created, updated_at AS updated FROM leads WHERE id = ?');
const datetime = (ms: number): string => `${new Date(ms).toISOString().slice(0, -5)}Z`;
let counter = 0;

const app = Fastify({ logger: false });
// Create Folder takes a form body, as the fake's (the same plugin, registered in its app.ts).
await app.register(formbody);
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
// The same indexed read as the fake's Get Lead Activities (the window over the position index, the filters, the
// record built as JSON by SQLite) and the same envelope, without authorization, validation, limits or journal.
const selectActivities = db
  .prepare<{ date: number; id: number; types: string; partitions: string }, [string, number, number]>(
    `SELECT json_remove(json_object('id', a.id, 'marketoGUID', CAST(a.id AS TEXT), 'leadId', a.lead_id,
       'activityDate', strftime('%Y-%m-%dT%H:%M:%SZ', a.activity_date / 1000, 'unixepoch'),
       'activityTypeId', a.type_id, 'campaignId', a.campaign_id, 'primaryAttributeValueId', a.primary_value_id,
       'primaryAttributeValue', a.primary_value, 'attributes', json(a.attributes)),
       CASE WHEN a.campaign_id IS NULL THEN '$.campaignId' ELSE '$.-' END,
       CASE WHEN a.primary_value_id IS NULL THEN '$.primaryAttributeValueId' ELSE '$.-' END),
       a.activity_date, a.id
     FROM (SELECT id AS wid FROM activities WHERE (activity_date, id) > (:date, :id)
           ORDER BY activity_date, id LIMIT 10000) AS w
     CROSS JOIN activities AS a ON a.id = w.wid
     WHERE a.type_id IN (SELECT value FROM json_each(:types))
       AND a.partition_id IN (SELECT value FROM json_each(:partitions))
     LIMIT 301`,
  )
  .raw();
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const base32 = (text: string): string => {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of Buffer.from(text, 'latin1')) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return bits > 0 ? out + ALPHABET[(value << (5 - bits)) & 31] : out;
};
const fromBase32 = (token: string): string => {
  let bits = 0;
  let value = 0;
  let text = '';
  for (const char of token) {
    value = (value << 5) | ALPHABET.indexOf(char);
    bits += 5;
    if (bits >= 8) {
      text += String.fromCharCode((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
    value &= (1 << bits) - 1;
  }
  return text;
};
/** The partitions the bench user reads (Default and Americas), fixed rather than derived from its roles. */
const readablePartitions = (db.prepare('SELECT id FROM partitions ORDER BY id').all() as { id: number }[])
  .slice(0, 2)
  .map((p) => p.id);
const partitions = JSON.stringify(readablePartitions);
app.get<{ Querystring: { nextPageToken: string; activityTypeIds: string; batchSize?: string } }>(
  '/rest/v1/activities.json',
  async (request, reply) => {
    const requestId = `${(++counter).toString(16)}#${Date.now().toString(16)}`;
    if (request.headers.authorization !== `Bearer ${token}`) {
      return { requestId, success: false, errors: [{ code: '601', message: 'Access token invalid' }] };
    }
    const [date, id] = fromBase32(request.query.nextPageToken).split('.').map(Number);
    const types = JSON.stringify(request.query.activityTypeIds.split(',').map(Number));
    const batchSize = Number(request.query.batchSize ?? 300);
    const rows = selectActivities.all({ date: date!, id: id!, types, partitions });
    const page = rows.slice(0, batchSize);
    const last = page.at(-1);
    const next = base32(last ? `${last[1]}.${last[2]}` : `${date}.${id}`);
    return reply
      .type('application/json; charset=utf-8')
      .send(
        `{"requestId":${JSON.stringify(requestId)},"result":[${page.map((row) => row[0]).join(',')}],"success":true,` +
          `"nextPageToken":${JSON.stringify(next)},"moreResult":${rows.length > batchSize}}`,
      );
  },
);
// Add to List: the fake's statements (the lead by id, is it a member, add it, one Add to List activity per lead
// added) in one transaction, and the same envelope. Left out: roles and permissions (the list's workspace and the
// leads' partitions are checked against the bench user's fixed ones), body validation, the 300-id limit, ids given
// twice in one call (1036), ids in the query string, the journal. The lead row is read whole, as the fake reads it,
// but its fields are not parsed.
const selectList = db.prepare<[number], { id: number; name: string; workspaceId: number }>(
  'SELECT id, name, workspace_id AS workspaceId FROM static_lists WHERE id = ?',
);
const selectLeadRow = db.prepare<[number], LeadRow>(`SELECT ${LEAD_COLUMNS} FROM leads WHERE id = ?`).raw();
const isMember = db.prepare<[number, number]>('SELECT 1 FROM static_list_members WHERE list_id = ? AND lead_id = ?');
const insertMember = db.prepare<[number, number, number]>(
  'INSERT OR IGNORE INTO static_list_members (list_id, lead_id, created_at) VALUES (?, ?, ?)',
);
const insertActivity = db.prepare<
  [number, number, number, number, null, number, string, string, null, null]
>(`INSERT INTO activities (activity_date, lead_id, partition_id, type_id, campaign_id, primary_value_id,
  primary_value, attributes, field_name, fields) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
const ADD_TO_LIST = 24;
const readable = new Set(readablePartitions);
type MembershipResult =
  { id: number; status: 'added' } | { id: number; status: 'skipped'; reasons: { code: string; message: string }[] };
const addToList = db.transaction((list: { id: number; name: string }, ids: number[]): MembershipResult[] => {
  const now = Date.now();
  const added: LeadRow[] = [];
  const result = ids.map((id): MembershipResult => {
    const lead = selectLeadRow.get(id);
    if (!lead || !readable.has(lead[1])) {
      return { id, status: 'skipped', reasons: [{ code: '1004', message: 'Lead not found' }] };
    }
    if (isMember.get(list.id, id) === undefined) {
      insertMember.run(list.id, id, now);
      added.push(lead);
    }
    return { id, status: 'added' };
  });
  for (const lead of added) {
    insertActivity.run(now, lead[0], lead[1], ADD_TO_LIST, null, list.id, list.name, '[]', null, null);
  }
  return result;
});
app.post<{ Params: { listId: string }; Body: { input: { id: number }[] } }>(
  '/rest/v1/lists/:listId/leads.json',
  async (request) => {
    const requestId = `${(++counter).toString(16)}#${Date.now().toString(16)}`;
    if (request.headers.authorization !== `Bearer ${token}`) {
      return { requestId, success: false, errors: [{ code: '601', message: 'Access token invalid' }] };
    }
    const list = selectList.get(Number(request.params.listId));
    if (!list) return { requestId, success: false, errors: [{ code: '1013', message: 'Object not found' }] };
    if (!BENCH_READABLE_WORKSPACES.includes(list.workspaceId)) {
      return { requestId, success: false, errors: [{ code: '603', message: 'Access denied' }] };
    }
    const result = addToList(
      list,
      request.body.input.map((item) => item.id),
    );
    return { requestId, result, success: true };
  },
);
// The leads of a static list: the fake's statements (the list by id, as ListRepository.find reads it; its members
// after a lead id, a chunk of 300 at a time; each member lead by id, raw, with the same columns), the same walk over
// them (a second chunk read to find whether one more readable member follows a full page), the record of the default
// fields and the same envelope and page token. Left out: roles and permissions (the list's workspace and the leads'
// partitions are checked against the bench user's fixed ones), query validation, `fields`, the token's digest and
// age checks, the journal. The token is the fake's format (src/domain/paging.ts), so one token pages both servers.
const selectListWhole = db.prepare<[number], { id: number; workspaceId: number }>(
  `SELECT l.id AS id, l.workspace_id AS workspaceId, w.name AS workspaceName, l.folder_id AS folderId,
  l.program_id AS programId, p.name AS programName, l.name AS name, l.description AS description,
  l.created_at AS createdAt, l.updated_at AS updatedAt
  FROM static_lists l JOIN workspaces w ON w.id = l.workspace_id LEFT JOIN asset_programs p ON p.id = l.program_id
  WHERE l.id = ?`,
);
const selectMembers = db.prepare<[number, number, number], { leadId: number }>(
  'SELECT lead_id AS leadId FROM static_list_members WHERE list_id = ? AND lead_id > ? ORDER BY lead_id LIMIT ?',
);
const MEMBER_CHUNK = 300;
app.get<{ Params: { listId: string }; Querystring: { batchSize?: string; nextPageToken?: string } }>(
  '/rest/v1/lists/:listId/leads.json',
  async (request) => {
    const requestId = `${(++counter).toString(16)}#${Date.now().toString(16)}`;
    if (request.headers.authorization !== `Bearer ${token}`) {
      return { requestId, success: false, errors: [{ code: '601', message: 'Access token invalid' }] };
    }
    const list = selectListWhole.get(Number(request.params.listId));
    if (!list || !BENCH_READABLE_WORKSPACES.includes(list.workspaceId)) {
      return { requestId, success: false, errors: [{ code: '1013', message: 'Object not found' }] };
    }
    const size = Number(request.query.batchSize ?? 300);
    const digest = queryDigest(['listLeads', list.id, DEFAULT_READ_FIELDS, size]);
    const pageToken = request.query.nextPageToken;
    let after = pageToken ? Number((pageTokenText(pageToken) ?? '').split(':')[0]) : 0;
    const result: Record<string, unknown>[] = [];
    let lastId = 0;
    let more = false;
    for (;;) {
      const chunk = selectMembers.all(list.id, after, MEMBER_CHUNK).map((row) => row.leadId);
      for (const leadId of chunk) {
        const lead = selectLeadRow.get(leadId);
        if (!lead || !readable.has(lead[1])) continue;
        if (result.length === size) {
          more = true;
          break;
        }
        const fields = JSON.parse(lead[3]) as Record<string, unknown>;
        result.push({
          id: lead[0],
          firstName: fields.firstName ?? null,
          lastName: fields.lastName ?? null,
          email: lead[2],
          updatedAt: formatDatetime(lead[5]),
          createdAt: formatDatetime(lead[4]),
        });
        lastId = leadId;
      }
      if (more || chunk.length < MEMBER_CHUNK) break;
      after = chunk.at(-1)!;
    }
    return more
      ? {
          requestId,
          result,
          success: true,
          moreResult: true,
          nextPageToken: encodePageToken(lastId, digest, Date.now()),
        }
      : { requestId, result, success: true };
  },
);
// Create Folder: the fake's statements (the parent folder by id, with its workspace's name; a child of that name; the
// insert; the new folder read back; its chain of ancestors for the path) and the asset envelope with the same record.
// Here they run in one transaction; the fake runs each as its own (one commit either way: the insert's). Left out:
// roles and permissions (the parent's workspace is checked against the bench user's fixed writable ones), validation
// of the parameters, a program as parent, the journal.
const FOLDER_SQL = `SELECT f.id, f.workspace_id, w.name AS workspace_name, f.parent_id, f.tree, f.name, f.description,
  f.folder_type, f.is_system, f.is_archive, f.created_at, f.updated_at
  FROM asset_folders f JOIN workspaces w ON w.id = f.workspace_id WHERE f.id = ?`;
const selectFolder = db.prepare<[number], FolderRow>(FOLDER_SQL);
const selectChildByName = db.prepare<[number, string], { id: number }>(
  'SELECT id FROM asset_folders WHERE parent_id = ? AND name = ?',
);
const insertFolder = db.prepare<
  [number | null, number, number, string, string, string | null, string, number, number, number],
  { id: number }
>(
  `INSERT INTO asset_folders
     (id, workspace_id, parent_id, tree, name, description, folder_type, is_archive, created_at, updated_at)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
);
const selectAncestors = db.prepare<[number], { id: number; parent_id: number | null; name: string }>(
  `WITH RECURSIVE chain (id, parent_id, name, depth) AS (
     SELECT id, parent_id, name, 0 FROM asset_folders WHERE id = ?
     UNION ALL
     SELECT f.id, f.parent_id, f.name, c.depth + 1 FROM asset_folders f JOIN chain c ON f.id = c.parent_id)
   SELECT id, parent_id, name FROM chain ORDER BY depth DESC`,
);
type Created = { row: FolderRow; path: string } | { code: string; message: string };
const createFolder = db.transaction((parentId: number, name: string, description: string | null): Created => {
  const parent = selectFolder.get(parentId);
  if (!parent) return { code: '710', message: 'Parent folder not found' };
  if (!BENCH_READABLE_WORKSPACES.includes(parent.workspace_id)) return { code: '603', message: 'Access denied' };
  if (selectChildByName.get(parent.id, name) !== undefined) {
    return { code: '709', message: `Folder '${name}' already exists in folder ${parent.id}` };
  }
  const now = Date.now();
  const { id } = insertFolder.get(
    null,
    parent.workspace_id,
    parent.id,
    parent.tree,
    name,
    description,
    'Marketing Folder',
    0,
    now,
    now,
  )!;
  const row = selectFolder.get(id)!;
  // The chain starts at the tree root and the zone (shown by its workspace name, as the fake does).
  const chain = selectAncestors.all(row.id);
  // The first links are the tree root and the zone, shown by its workspace's name (as AssetRepository.folderPath).
  const path = `/${row.tree}/${row.workspace_name}${chain
    .slice(2)
    .map((link) => `/${link.name}`)
    .join('')}`;
  return { row, path };
});
app.post<{ Body: { name: string; parent: string; description?: string } }>(
  '/rest/asset/v1/folders.json',
  async (request) => {
    const requestId = `${(++counter).toString(16)}#${Date.now().toString(16)}`;
    if (request.headers.authorization !== `Bearer ${token}`) {
      return { requestId, success: false, errors: [{ code: '601', message: 'Access token invalid' }], warnings: [] };
    }
    const { name, parent, description } = request.body;
    const created = createFolder((JSON.parse(parent) as { id: number }).id, name, description ?? null);
    if ('code' in created) return { requestId, success: false, errors: [created], warnings: [] };
    const { row, path } = created;
    const result = [
      {
        id: row.id,
        name: row.parent_id === null ? row.workspace_name : row.name,
        description: row.description,
        createdAt: assetTime(row.created_at),
        updatedAt: assetTime(row.updated_at),
        url: null,
        folderId: { id: row.id, type: 'Folder' },
        folderType: row.folder_type,
        parent: row.parent_id === null ? null : { id: row.parent_id, type: 'Folder' },
        path,
        isArchive: row.is_archive === 1,
        isSystem: row.is_system === 1,
        accessZoneId: row.workspace_id,
        workspace: row.workspace_name,
      },
    ];
    return { requestId, success: true, errors: [], warnings: [], result };
  },
);
// Custom objects, a sync of records and a query by the dedupe field: the fake's statements (objectSql, the object
// engine's own builder over the custom_objects table), the same dedupe key, the same merge of fields and the same
// envelope, in one transaction per sync; without permissions, zod validation of the body, the type's field
// catalog and value coercion beyond the bench's fields, the journal.
const carTable = { name: 'custom_objects', guid: true, typed: true, linkColumns: ['lead_id'] } as const;
const carSql = objectSql(carTable);
const carTypes = new Map(
  (db.prepare('SELECT id, api_name AS name FROM custom_object_types').all() as { id: number; name: string }[]).map(
    (row) => [row.name.toLowerCase(), row.id],
  ),
);
type CarRow = [number, number, string, null, string, number, number];
const selectCarByKey = db.prepare<[Record<string, unknown>], CarRow>(carSql.selectByKey).raw();
const insertCar = db.prepare<[Record<string, unknown>]>(carSql.insert);
const updateCar = db.prepare<[Record<string, unknown>]>(carSql.update);
const pageCars = db.prepare<[Record<string, unknown>], CarRow>(carSql.page({ kind: 'dedupe' })).raw();
const CAR_FIELDS = new Set(['vin', 'make', 'model', 'year', 'color']);
const syncCars = db.transaction((typeId: number, input: Record<string, unknown>[]) =>
  input.map((record, seq) => {
    for (const name of Object.keys(record)) {
      if (!CAR_FIELDS.has(name)) {
        return { seq, status: 'skipped', reasons: [{ code: '1006', message: `Field '${name}' not found` }] };
      }
    }
    const vin = record.vin;
    if (typeof vin !== 'string' || vin === '') {
      return {
        seq,
        status: 'skipped',
        reasons: [{ code: '1002', message: "Missing value for the required parameter 'vin'" }],
      };
    }
    const key = JSON.stringify([vin.toLowerCase()]);
    const now = Date.now();
    const found = selectCarByKey.get({ typeId, value: key });
    if (found) {
      const fields = { ...(JSON.parse(found[4]) as Record<string, unknown>) };
      for (const [name, value] of Object.entries(record)) {
        if (name === 'vin') continue;
        if (value === null) delete fields[name];
        else fields[name] = value;
      }
      updateCar.run({ id: found[0], dedupeKey: key, fields: JSON.stringify(fields), updatedAt: now, link0: null });
      return { seq, status: 'updated', marketoGUID: found[2] };
    }
    const guid = randomUUID();
    insertCar.run({
      typeId,
      guid,
      dedupeKey: key,
      fields: JSON.stringify(record),
      createdAt: now,
      updatedAt: now,
      link0: null,
    });
    return { seq, status: 'created', marketoGUID: guid };
  }),
);
app.post<{ Params: { name: string }; Body: { input: Record<string, unknown>[] } }>(
  '/rest/v1/customobjects/:name.json',
  async (request) => {
    const requestId = `${(++counter).toString(16)}#${Date.now().toString(16)}`;
    if (request.headers.authorization !== `Bearer ${token}`) {
      return { requestId, success: false, errors: [{ code: '601', message: 'Access token invalid' }] };
    }
    const typeId = carTypes.get(request.params.name.toLowerCase());
    if (typeId === undefined)
      return { requestId, success: false, errors: [{ code: '1013', message: 'Object not found' }] };
    return { requestId, result: syncCars(typeId, request.body.input), success: true };
  },
);
app.get<{ Params: { name: string }; Querystring: { filterType: string; filterValues: string } }>(
  '/rest/v1/customobjects/:name.json',
  async (request) => {
    const requestId = `${(++counter).toString(16)}#${Date.now().toString(16)}`;
    if (request.headers.authorization !== `Bearer ${token}`) {
      return { requestId, success: false, errors: [{ code: '601', message: 'Access token invalid' }] };
    }
    const typeId = carTypes.get(request.params.name.toLowerCase());
    if (typeId === undefined)
      return { requestId, success: false, errors: [{ code: '1013', message: 'Object not found' }] };
    const keys = request.query.filterValues.split(',').map((value) => JSON.stringify([value.toLowerCase()]));
    const rows = pageCars.all({ typeId, values: JSON.stringify(keys), after: 0 });
    const result = rows.slice(0, 300).map((row, seq) => {
      const fields = JSON.parse(row[4]) as Record<string, unknown>;
      return {
        seq,
        marketoGUID: row[2],
        vin: fields.vin,
        updatedAt: formatDatetime(row[6]),
        createdAt: formatDatetime(row[5]),
      };
    });
    return { requestId, result, success: true };
  },
);
// Get Emails: the fake's browse statement over the same rows (the email row, its workspace and folder, the version
// it shows), the asset envelope, the record built by hand from the version's fields.
interface EmailBrowseRow {
  id: number;
  name: string;
  description: string;
  folder_id: number | null;
  program_id: number | null;
  workspace_name: string;
  folder_name: string;
  created_at: number;
  updated_at: number;
  status: string;
  fields: string;
  version_updated_at: number;
}
const browseEmails = db.prepare<[Record<string, unknown>], EmailBrowseRow>(browseAssetsSql('emails', 'Email'));
app.get<{ Querystring: { offset?: string; maxReturn?: string } }>('/rest/asset/v1/emails.json', async (request) => {
  const requestId = `${(++counter).toString(16)}#${Date.now().toString(16)}`;
  if (request.headers.authorization !== `Bearer ${token}`) {
    return { requestId, success: false, errors: [{ code: '601', message: 'Access token invalid' }], warnings: [] };
  }
  const rows = browseEmails.all({
    workspaces,
    status: null,
    folder: null,
    program: null,
    earliest: null,
    latest: null,
    limit: Number(request.query.maxReturn ?? 20),
    offset: Number(request.query.offset ?? 0),
  });
  if (rows.length === 0) {
    return { requestId, success: true, errors: [], warnings: ['No assets found for the given search criteria.'] };
  }
  const result = rows.map((row) => {
    const fields = JSON.parse(row.fields) as Record<string, unknown>;
    return {
      id: row.id,
      name: row.name,
      description: row.description,
      createdAt: assetTime(row.created_at),
      updatedAt: assetTime(Math.max(row.updated_at, row.version_updated_at)),
      url: `https://app-ab.marketo.com/#EM${row.id}A1LA1`,
      subject: fields.subject,
      fromName: fields.fromName,
      fromEmail: fields.fromEmail,
      replyEmail: fields.replyEmail,
      folder:
        row.program_id !== null
          ? { type: 'Program', value: row.program_id, folderName: row.folder_name }
          : { type: 'Folder', value: row.folder_id, folderName: row.folder_name },
      operational: fields.operational,
      textOnly: fields.textOnly,
      publishToMSI: fields.publishToMSI,
      webView: fields.webView,
      status: row.status,
      template: fields.template,
      workspace: row.workspace_name,
      isOpenTrackingDisabled: fields.isOpenTrackingDisabled,
      version: fields.version,
      autoCopyToText: fields.autoCopyToText,
      ccFields: fields.ccFields,
      preHeader: fields.preHeader,
    };
  });
  return { requestId, success: true, errors: [], warnings: [], result };
});

// Update Email Content Section: the fake's statements (the email row; which versions it has; the draft, else the
// approved version; the draft written with the section changed; its uses replaced) in one transaction, and the
// asset envelope with the id.
const selectEmail = db.prepare<[number], { id: number; workspace_id: number }>(findAssetSql('emails'));
const emailStatuses = db.prepare<[number], { status: string }>(
  "SELECT status FROM asset_versions WHERE asset_type = 'Email' AND asset_id = ? ORDER BY status",
);
const emailVersion = db.prepare<[number, string], { fields: string; content: string; created_at: number }>(
  `SELECT v.status, v.fields, c.content, v.created_at, v.updated_at
   FROM asset_versions v JOIN asset_version_contents c USING (asset_type, asset_id, status)
   WHERE v.asset_type = 'Email' AND v.asset_id = ? AND v.status = ?`,
);
const putVersion = db.prepare(
  `INSERT INTO asset_versions (asset_type, asset_id, status, fields, created_at, updated_at)
   VALUES ('Email', ?, 'draft', ?, ?, ?) ON CONFLICT DO UPDATE SET fields = excluded.fields,
     created_at = excluded.created_at, updated_at = excluded.updated_at`,
);
const putContent = db.prepare(
  `INSERT INTO asset_version_contents (asset_type, asset_id, status, content) VALUES ('Email', ?, 'draft', ?)
   ON CONFLICT DO UPDATE SET content = excluded.content`,
);
const dropUses = db.prepare(
  "DELETE FROM asset_uses WHERE user_type = 'Email' AND user_id = ? AND user_status = 'draft'",
);
const addUse = db.prepare(
  `INSERT OR IGNORE INTO asset_uses (user_type, user_id, user_status, used_type, used_id)
   VALUES ('Email', ?, 'draft', ?, ?)`,
);
interface SectionValue {
  htmlId: string;
  contentType: string;
  html: string;
  text: string | null;
  snippetId?: number;
}
const updateSection = db.transaction((id: number, htmlId: string, html: string, text: string | null) => {
  if (!selectEmail.get(id)) return { code: '702', message: `Email ${id} not found` };
  const statuses = emailStatuses.all(id).map((row) => row.status);
  const base = emailVersion.get(id, statuses.includes('draft') ? 'draft' : 'approved')!;
  const fields = JSON.parse(base.fields) as { template: number | null };
  const content = JSON.parse(base.content) as { sections: SectionValue[] };
  const at = content.sections.findIndex((section) => section.htmlId === htmlId);
  if (at < 0) return { code: '702', message: `No section '${htmlId}' in Email ${id}` };
  content.sections[at] = { htmlId, contentType: 'Text', html, text };
  const now = Date.now();
  putVersion.run(id, JSON.stringify(fields), statuses.includes('draft') ? base.created_at : now, now);
  putContent.run(id, JSON.stringify(content));
  dropUses.run(id);
  if (fields.template !== null) addUse.run(id, 'Email Template', fields.template);
  for (const section of content.sections) {
    if (section.snippetId !== undefined) addUse.run(id, 'Snippet', section.snippetId);
  }
  return undefined;
});
app.post<{ Params: { id: string; htmlId: string }; Body: { type?: string; value?: string; textValue?: string } }>(
  '/rest/asset/v1/email/:id/content/:htmlId.json',
  async (request) => {
    const requestId = `${(++counter).toString(16)}#${Date.now().toString(16)}`;
    if (request.headers.authorization !== `Bearer ${token}`) {
      return { requestId, success: false, errors: [{ code: '601', message: 'Access token invalid' }], warnings: [] };
    }
    const id = Number(request.params.id);
    const failed = updateSection(id, request.params.htmlId, request.body.value ?? '', request.body.textValue ?? null);
    if (failed) return { requestId, success: false, errors: [failed], warnings: [] };
    return { requestId, success: true, errors: [], warnings: [], result: [{ id }] };
  },
);

// Request Campaign (issue 26): the writes and activities the fake's flow makes, in one transaction, for a campaign
// whose flow changes one field (title, to the call's {{my.run}} token) and adds to a list: the campaign row, its
// workspace's partitions, then for each lead the lead row, Request Campaign (47), the campaign membership, the field
// (the lead row written, Change Data Value 13 with its attributes and field), the list membership and Add to List
// (24). Left out: roles and permissions (Execute Campaign in the campaign's workspace), body validation, the 100-lead
// and 100-token limits, the flow as data (its two steps are written out), the journal.
const selectCampaign = db.prepare<[number], { id: number; name: string; workspaceId: number; active: number }>(
  'SELECT id, name, workspace_id AS workspaceId, active FROM campaigns WHERE id = ?',
);
const selectWorkspacePartitions = db.prepare<[number], { partitionId: number }>(
  'SELECT partition_id AS partitionId FROM workspace_partitions WHERE workspace_id = ?',
);
const touchCampaignMember = db.prepare<[number, number, number, number]>(
  `INSERT INTO campaign_members (campaign_id, lead_id, created_at, updated_at) VALUES (?, ?, ?, ?)
   ON CONFLICT (campaign_id, lead_id) DO UPDATE SET updated_at = excluded.updated_at`,
);
const updateLeadFields = db.prepare<[string, number, number]>(
  'UPDATE leads SET fields = ?, updated_at = ? WHERE id = ?',
);
const insertFieldActivity = db.prepare<[number, number, number, number, number, string, string, string, string]>(
  `INSERT INTO activities (activity_date, lead_id, partition_id, type_id, campaign_id, primary_value_id,
  primary_value, attributes, field_name, fields) VALUES (?, ?, ?, 13, ?, ?, ?, ?, ?, ?)`,
);
const insertCampaignActivity = db.prepare<[number, number, number, number, number, number, string, string]>(
  `INSERT INTO activities (activity_date, lead_id, partition_id, type_id, campaign_id, primary_value_id,
  primary_value, attributes, field_name, fields) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)`,
);
/** The bench campaign's flow, written out: title (lead field id) to the run's token, then add to the list. */
const TITLE_FIELD = STANDARD_FIELDS.find((field) => field.name === 'title')!;
const CAMPAIGN_LIST = BENCH_CAMPAIGN_LIST;
const requestCampaign = db.transaction(
  (campaign: { id: number; name: string; workspaceId: number }, ids: number[], title: string, user: string) => {
    const now = Date.now();
    const partitions = new Set(selectWorkspacePartitions.all(campaign.workspaceId).map((row) => row.partitionId));
    const list = selectList.get(CAMPAIGN_LIST)!;
    const source = JSON.stringify([{ name: 'Source', value: 'Web service API' }]);
    const reason = `Smart campaign: ${campaign.name}`;
    for (const id of new Set(ids)) {
      const lead = selectLeadRow.get(id);
      if (!lead || !partitions.has(lead[1])) continue;
      insertCampaignActivity.run(now, id, lead[1], 47, campaign.id, campaign.id, campaign.name, source);
      touchCampaignMember.run(campaign.id, id, now, now);
      const fields = JSON.parse(lead[3] as string) as Record<string, unknown>;
      const old = (fields.title as string | undefined) ?? null;
      if (old !== title) {
        fields.title = title;
        updateLeadFields.run(JSON.stringify(fields), now, id);
        const attributes = [
          { name: 'New Value', value: title },
          { name: 'Old Value', value: old },
          { name: 'Reason', value: reason },
          { name: 'Source', value: reason },
          { name: 'API Method Name', value: 'syncLead' },
          { name: 'Modifying User', value: user },
          { name: 'Request Id', value: '' },
        ];
        const field = [{ id: TITLE_FIELD.id, name: 'title', newValue: title, oldValue: old }];
        insertFieldActivity.run(
          now,
          id,
          lead[1],
          campaign.id,
          TITLE_FIELD.id,
          TITLE_FIELD.displayName,
          JSON.stringify(attributes),
          'title',
          JSON.stringify(field),
        );
      }
      if (isMember.get(list.id, id) === undefined) {
        insertMember.run(list.id, id, now);
        insertCampaignActivity.run(now, id, lead[1], ADD_TO_LIST, campaign.id, list.id, list.name, '[]');
      }
    }
  },
);
app.post<{
  Params: { campaignId: string };
  Body: { input: { leads: { id: number }[]; tokens?: { name: string; value: string }[] } };
}>('/rest/v1/campaigns/:campaignId/trigger.json', async (request) => {
  const requestId = `${(++counter).toString(16)}#${Date.now().toString(16)}`;
  if (request.headers.authorization !== `Bearer ${token}`) {
    return { requestId, success: false, errors: [{ code: '601', message: 'Access token invalid' }] };
  }
  const campaign = selectCampaign.get(Number(request.params.campaignId));
  if (!campaign) return { requestId, success: false, errors: [{ code: '1013', message: 'Object not found' }] };
  if (campaign.active !== 1) return { requestId, success: false, errors: [{ code: '1003', message: 'Invalid data' }] };
  const run = request.body.input.tokens?.find((t) => t.name === '{{my.run}}')?.value ?? '{{my.run}}';
  requestCampaign(
    campaign,
    request.body.input.leads.map((lead) => lead.id),
    run,
    'bench@example.com',
  );
  return { requestId, result: [{ id: campaign.id }], success: true };
});

await app.listen({ host: '127.0.0.1', port: Number(portArgument ?? 0) });
// Closed before exiting: the log is checkpointed into the file, which the bench then reads (rows written).
process.on(
  'SIGTERM',
  () =>
    void app.close().then(() => {
      db.close();
      process.exit(0);
    }),
);
