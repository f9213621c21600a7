import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '../../clock.js';
import { MarketoError } from '../../domain/errors.js';
import { marketoMessage, reason } from '../../domain/marketo-codes.js';
import { decodePageToken, encodePageToken, queryDigest } from '../../domain/paging.js';
import type { PermissionKey } from '../../domain/permissions.js';
import { MAX_BATCH, type ObjectResult, objectSkipped } from '../../domain/results.js';
import { objectFamily } from '../../engines/objects/object-family.js';
import { readFields, wireRecord } from '../../engines/objects/object-rules.js';
import { recordSchemaOf, resultSchemaOf } from '../../engines/objects/object-schemas.js';
import {
  BUILT_IN_TYPE_TIME,
  dedupeKey,
  objectFields,
  ObjectType,
  systemFields,
} from '../../engines/objects/object-type.js';
import { defineFamily, type FamilyRouteOptions } from '../../family.js';
import { successEnvelope } from '../../http/envelope.js';
import { commaList, envelopeOf } from '../../http/marketo-schemas.js';
import { type Database, prepareOnUse } from '../../storage/database.js';
import { crmFields, crmTypes } from './crm-fields.js';
import { STANDARD_TYPES } from './standard-types.js';

/**
 * Named accounts, named account lists and their members (named-accounts.md, named-account-lists.md): Marketo ABM's
 * accounts, not managed by a native CRM sync. Partition-blind, as every CRM object (decision).
 */

const ACCOUNT_READ: readonly PermissionKey[] = ['read-only-named-account', 'read-write-named-account'];
const ACCOUNT_WRITE: readonly PermissionKey[] = ['read-write-named-account'];

export const namedAccounts = objectFamily({
  key: 'namedAccounts',
  table: { name: 'named_accounts', guid: true },
  path: '/rest/v1/namedaccounts',
  tag: 'Marketo: Named Accounts',
  summaries: {
    query: 'Get Named Accounts',
    sync: 'Sync Named Accounts',
    delete: 'Delete Named Accounts',
    describe: 'Describe Named Accounts',
  },
  permissions: { read: ACCOUNT_READ, write: ACCOUNT_WRITE },
  types: crmTypes('namedAccount'),
  schemaFields: { object: 'Named Account' },
  record: {
    schemaId: 'NamedAccount',
    standardFields: STANDARD_TYPES.namedAccount.spec.fields,
    example: { seq: 0, marketoGUID: '16efafdd-0148-4ea7-8782-f451d7c6345d', name: 'Google' },
  },
  example: [
    { name: 'Google', domainName: 'www.google.com', industry: 'Technology', score1: 80 },
    { name: 'Yahoo', domainName: 'www.yahoo.com' },
  ],
});

/**
 * A named account list: name (its dedupe key, and its one updateable field), type and updateable, which Marketo
 * sets ("default" and true for lists made by the API; "external" ones come from a CRM account view, which the fake
 * has not).
 */
const listType = new ObjectType({
  typeId: 0,
  name: 'Named Account List',
  displayName: 'Named Account List',
  idField: 'marketoGUID',
  dedupeFields: ['name'],
  searchableFields: [['name'], ['marketoGUID']],
  managedFields: ['type', 'updateable'],
  createDefaults: { type: 'default', updateable: true },
  defaultFields: ['name', 'createdAt', 'updatedAt', 'type', 'updateable'],
  fields: objectFields([
    ...systemFields('marketoGUID'),
    ['name', 'Name', 'string', { length: 255 }],
    ['type', 'Type', 'string', { length: 255, updateable: false }],
    ['updateable', 'Updateable', 'boolean', { updateable: false }],
  ]),
  createdAt: BUILT_IN_TYPE_TIME,
  updatedAt: BUILT_IN_TYPE_TIME,
});

const LIST_READ: readonly PermissionKey[] = ['read-only-named-account-list', 'read-write-named-account-list'];
const LIST_WRITE: readonly PermissionKey[] = ['read-write-named-account-list'];

/**
 * Named account lists: "The endpoint supports two standard action types: createOnly and updateOnly. The action
 * defaults to createOnly"; the spec has no describe for them. Both spellings of the path are served: Adobe's spec
 * and guide write `namedAccountLists`, endpoint-reference.md `namedaccountlists`.
 */
export const namedAccountLists = objectFamily({
  key: 'namedAccountLists',
  table: { name: 'named_account_lists', guid: true },
  path: '/rest/v1/namedAccountLists',
  aliases: ['/rest/v1/namedaccountlists'],
  tag: 'Marketo: Named Account Lists',
  summaries: {
    query: 'Get Named Account Lists',
    sync: 'Sync Named Account Lists',
    delete: 'Delete Named Account Lists',
  },
  permissions: { read: LIST_READ, write: LIST_WRITE },
  types: {
    ofRequest: () => listType,
    ofSeed: () => listType,
  },
  actions: ['createOnly', 'updateOnly'],
  defaultAction: 'createOnly',
  record: {
    schemaId: 'NamedAccountList',
    standardFields: listType.catalog.fields,
    example: {
      seq: 0,
      marketoGUID: 'dff23271-f996-47d7-984f-f2676861b5fb',
      name: 'Saas List',
      type: 'default',
      updateable: true,
    },
  },
  example: [{ name: 'SaaS List' }, { name: 'Manufacturing (Domestic)' }],
});

/** Members of named account lists. */
export class ListMemberRepository {
  private readonly insertRow;
  private readonly deleteRow;
  private readonly pageRows;
  private readonly selectAll;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {
    this.insertRow = prepareOnUse<[number, number, number]>(
      db,
      'INSERT OR IGNORE INTO named_account_list_members (list_id, account_id, created_at) VALUES (?, ?, ?)',
    );
    this.deleteRow = prepareOnUse<[number, number]>(
      db,
      'DELETE FROM named_account_list_members WHERE list_id = ? AND account_id = ?',
    );
    this.pageRows = prepareOnUse<[number, number], { account_id: number }>(
      db,
      `SELECT account_id FROM named_account_list_members WHERE list_id = ? AND account_id > ?
       ORDER BY account_id LIMIT ${MAX_BATCH + 1}`,
    );
    this.selectAll = prepareOnUse<[], { list_id: number; account_id: number; created_at: number }>(
      db,
      'SELECT list_id, account_id, created_at FROM named_account_list_members ORDER BY list_id, account_id',
    );
  }

  add(listId: number, accountId: number, at = this.clock.now()): void {
    this.insertRow.run(listId, accountId, at);
  }

  /** Whether the account was a member. */
  remove(listId: number, accountId: number): boolean {
    return this.deleteRow.run(listId, accountId).changes > 0;
  }

  /** Member account ids after `afterId`, in id order: a page and one more. */
  accountIds(listId: number, afterId: number): number[] {
    return this.pageRows.all(listId, afterId).map((row) => row.account_id);
  }

  all() {
    return this.selectAll.all();
  }

  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }
}

const listIdParams = z.object({ id: z.string().min(1).describe("The list's marketoGUID") });
const membersQuery = z.object({
  fields: commaList(z.string()).optional(),
  batchSize: z.coerce.number().int().min(1).max(MAX_BATCH).default(MAX_BATCH),
  nextPageToken: z.string().optional(),
});
const membersBody = z.object({
  input: z
    .array(z.object({ marketoGUID: z.string().min(1) }))
    .min(1)
    .max(MAX_BATCH),
});
const memberEnvelope = envelopeOf(
  recordSchemaOf('NamedAccountListMember', 'marketoGUID', STANDARD_TYPES.namedAccount.spec.fields),
);
const membershipEnvelope = envelopeOf(
  resultSchemaOf('NamedAccountListMembership', 'marketoGUID', ['added', 'removed', 'skipped']),
);
/** "If fields is unset, then marketoGUID, name, createdAt, and updatedAt will be returned" (named-account-lists.md). */
const MEMBER_DEFAULT_FIELDS = ['marketoGUID', 'name', 'createdAt', 'updatedAt'];

const memberRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<ListMemberRepository>> = async (app, { repo }) => {
  const tags = ['Marketo: Named Account Lists'];

  /** The list a path names: unknown is 1013 ("Get object (list, campaign) by id returns this error code"). */
  const listOf = (request: FastifyRequest, guid: string) => {
    const list = request.ctx.repo(namedAccountLists).findByGuid(0, guid);
    if (!list) throw new MarketoError('1013', marketoMessage('1013'));
    return list;
  };

  for (const [base, alias] of [
    ['/rest/v1/namedAccountList/:id/namedAccounts', false],
    ['/rest/v1/namedaccountlist/:id/namedaccounts', true],
  ] as const) {
    const summary = (text: string) => (alias ? `${text} (as endpoint-reference.md spells the path)` : text);
    app.get(
      `${base}.json`,
      {
        config: { permissions: ACCOUNT_READ },
        schema: {
          tags,
          summary: summary('Get Named Account List Members'),
          params: listIdParams,
          querystring: membersQuery,
          response: { 200: memberEnvelope },
        },
      },
      async (request) => {
        const { ctx } = request;
        const list = listOf(request, request.params.id);
        const type = ctx.repo(crmFields).typeOf('namedAccount');
        const { batchSize, nextPageToken } = request.query;
        const fields = readFields(type, request.query.fields?.length ? request.query.fields : MEMBER_DEFAULT_FIELDS);
        const digest = queryDigest(['named-account-list-members', list.id, fields.map((f) => f.name), batchSize]);
        const now = ctx.clock.now();
        const afterId = nextPageToken ? decodePageToken(nextPageToken, digest, now) : 0;
        const ids = repo(request)
          .accountIds(list.id, afterId)
          .slice(0, batchSize + 1);
        const more = ids.length > batchSize;
        const page = more ? ids.slice(0, batchSize) : ids;
        const accounts = ctx.repo(namedAccounts);
        return successEnvelope(
          request.marketoRequestId(),
          page.map((id, seq) => wireRecord(accounts.find(0, id)!, fields, seq)),
          more ? { moreResult: true, nextPageToken: encodePageToken(page.at(-1)!, digest, now) } : {},
        );
      },
    );

    const change =
      (mode: 'add' | 'remove') =>
      async (request: FastifyRequest<{ Params: { id: string }; Body: z.infer<typeof membersBody> }>) => {
        const members = repo(request);
        const list = listOf(request, request.params.id);
        const accounts = request.ctx.repo(namedAccounts);
        const results = members.transaction(() =>
          request.body.input.map(({ marketoGUID }, seq): ObjectResult => {
            const account = accounts.findByGuid(0, marketoGUID);
            // An unknown account, or (remove) one not in the list: skipped with 1013 (decision, README).
            if (!account) return objectSkipped(seq, reason('1013'));
            if (mode === 'add') members.add(list.id, account.id);
            else if (!members.remove(list.id, account.id)) return objectSkipped(seq, reason('1013'));
            return { seq, marketoGUID, status: mode === 'add' ? 'added' : 'removed' };
          }),
        );
        return successEnvelope(request.marketoRequestId(), results);
      };

    app.post(
      `${base}.json`,
      {
        config: { permissions: ACCOUNT_WRITE },
        schema: {
          tags,
          summary: summary('Add Named Account List Members'),
          params: listIdParams,
          body: membersBody,
          response: { 200: membershipEnvelope },
        },
      },
      change('add'),
    );
    app.post(
      `${base}/remove.json`,
      {
        config: { permissions: ACCOUNT_WRITE },
        schema: {
          tags,
          summary: summary('Remove Named Account List Members'),
          params: listIdParams,
          body: membersBody,
          response: { 200: membershipEnvelope },
        },
      },
      change('remove'),
    );
  }
};

const memberSeed = z.strictObject({
  list: z.string().min(1).describe("The list's name"),
  account: z.string().min(1).describe("The named account's name"),
  createdAt: z.iso.datetime({ offset: true }).optional(),
});

/** Which named accounts each list holds: `{list, account}` by name in a seed. */
export const namedAccountListMembers = defineFamily({
  key: 'namedAccountListMembers',
  tables: ['named_account_list_members'],
  wireFormat: 'lead-database',
  repository: ({ db, clock }) => new ListMemberRepository(db, clock),
  seed: {
    item: memberSeed,
    load(repo, items, context) {
      const lists = context.repo(namedAccountLists);
      const accounts = context.repo(namedAccounts);
      items.forEach((item, i) => {
        const list = lists.findByKey(0, dedupeKey([item.list]));
        if (!list) context.fail(`[${i}].list`, `no named account list named "${item.list}"`);
        const account = accounts.findByKey(0, dedupeKey([item.account]));
        if (!account) context.fail(`[${i}].account`, `no named account named "${item.account}"`);
        context.unique(`[${i}]`, () => repo.add(list!.id, account!.id, context.time(item.createdAt)));
      });
    },
    snapshot: (repo, context) => {
      const lists = context.repo(namedAccountLists);
      const accounts = context.repo(namedAccounts);
      return repo.all().map((row) => ({
        list: lists.find(0, row.list_id)!.fields.name as string,
        account: accounts.find(0, row.account_id)!.fields.name as string,
        createdAt: new Date(row.created_at).toISOString(),
      }));
    },
    example: [{ list: 'SaaS List', account: 'Google' }],
  },
  marketoRoutes: memberRoutes,
});
