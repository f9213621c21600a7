import { z } from 'zod';
import { reason } from '../../src/domain/marketo-codes.js';
import { defineJob, type JobStepContext } from '../../src/engines/jobs/kinds.js';
import { objectFamily, oneType } from '../../src/engines/objects/object-family.js';
import type { ObjectRecord, ObjectRepository } from '../../src/engines/objects/object-repository.js';
import type { FieldValue } from '../../src/engines/objects/object-type.js';
import {
  BUILT_IN_TYPE_TIME,
  dedupeKey,
  objectFields,
  ObjectType,
  systemFields,
} from '../../src/engines/objects/object-type.js';

/**
 * The worked example of docs/architecture.md ("Worked example"): a family on the object engine that reads leads
 * through a port, follows a lead merge (a core event) and expires each warranty on the fake's clock (a timed job).
 * It is test-only (not in the registry); test/worked-example/warranties.test.ts builds an app with it, and checks
 * that the doc quotes this file as it is. It imports the core only, as a family folder must.
 */

export const WARRANTY_DAYS = 30;
const DAY_MS = 86_400_000;

const warrantyType = new ObjectType({
  typeId: 0,
  name: 'warranty',
  displayName: 'Warranty',
  idField: 'id',
  dedupeFields: ['serialNumber'],
  searchableFields: [['serialNumber'], ['id'], ['leadId']],
  fields: objectFields([
    ...systemFields('id'),
    ['serialNumber', 'Serial Number', 'string', { length: 40, updateable: false }],
    ['leadId', 'Lead Id', 'integer'],
    ['status', 'Status', 'string', { updateable: false }],
  ]),
  defaultFields: ['serialNumber', 'leadId', 'status'],
  requiredOnCreate: ['leadId'],
  managedFields: ['status'], // only the expiry job sets it: a sync giving it is 1003
  createDefaults: { status: 'active' },
  createdAt: BUILT_IN_TYPE_TIME,
  updatedAt: BUILT_IN_TYPE_TIME,
});

const migrations = [
  {
    name: 'warranties/001_warranties',
    sql: `CREATE TABLE warranties (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      dedupe_key TEXT NOT NULL UNIQUE,
      fields TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      lead_id INTEGER NOT NULL REFERENCES leads (id) ON DELETE CASCADE
    );
    CREATE INDEX warranties_by_lead ON warranties (lead_id, id);`,
  },
];

/** Writes a record's new fields, its key and its link column (the lead) kept in step with them. */
function rewrite(repo: ObjectRepository, record: ObjectRecord, fields: Record<string, FieldValue>): void {
  const links = [fields.leadId as number];
  repo.update(record, { typeId: 0, partitionId: null, dedupeKey: dedupeKey([fields.serialNumber!]), fields, links });
}

// --- the worked example (docs/architecture.md quotes from here to the end of the file) ---
const expiry = defineJob({
  payload: z.object({ warrantyId: z.number().int() }),
  step(job, { repo }: JobStepContext<ObjectRepository>) {
    const warranty = repo.find(0, job.payload.warrantyId); // gone when deleted: nothing to do
    if (warranty) rewrite(repo, warranty, { ...warranty.fields, status: 'expired' });
    return { state: 'Completed', dueAt: null };
  },
});

export const warranties = objectFamily({
  key: 'warranties',
  table: { name: 'warranties', guid: false, linkColumns: ['lead_id'], fieldColumns: { leadId: 'lead_id' } },
  migrations,
  path: '/rest/v1/warranties', // warranties.json, warranties/describe.json, warranties/delete.json
  tag: 'Example: Warranties',
  summaries: { query: 'Get Warranties', sync: 'Sync Warranties', delete: 'Delete Warranties' },
  permissions: { read: ['read-only-lead', 'read-write-lead'], write: ['read-write-lead'] },
  types: oneType(warrantyType),
  hooks: {
    // A port: the lead a warranty names, read from the leads family without importing it (1004: no such lead).
    link: (values, env) => {
      const lead = typeof values.leadId === 'number' ? env.port('leads').find(values.leadId) : undefined;
      return lead ? { links: [lead.id] } : { reason: reason('1004') };
    },
  },
  // A timed job: each warranty a Sync creates expires WARRANTY_DAYS later on the fake's clock.
  jobs: { expiry },
  created: (record, ctx) =>
    ctx.jobs.schedule(expiry, {
      state: 'Active',
      dueAt: record.createdAt + WARRANTY_DAYS * DAY_MS,
      payload: { warrantyId: record.id },
    }),
  // A core event: a merge moves the loser's warranties to the winner before the loser goes.
  onCoreEvents: (repo) => ({
    leadMerging(loserId, winnerId) {
      const byLoser = { typeId: 0, column: { kind: 'link', column: 'lead_id' }, values: [loserId] } as const;
      for (let page = repo.page(byLoser, 0, 300); page.length > 0; page = repo.page(byLoser, page.at(-1)!.id, 300)) {
        for (const warranty of page) rewrite(repo, warranty, { ...warranty.fields, leadId: winnerId });
      }
    },
  }),
  record: { schemaId: 'ExampleWarranty', standardFields: warrantyType.catalog.fields },
  example: [{ serialNumber: 'W-1', leadId: 40 }],
});
