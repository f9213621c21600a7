import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '../../clock.js';
import { MarketoError } from '../../domain/errors.js';
import { marketoMessage } from '../../domain/marketo-codes.js';
import { defineFamily, type FamilyRouteOptions } from '../../family.js';
import { problemResponses } from '../../http/problem.js';
import { type Database, prepareOnUse } from '../../storage/database.js';
import { migrations } from './migrations.js';

/**
 * The subscription's native CRM sync (Salesforce or Microsoft Dynamics). While it is on, "the Company, Opportunity,
 * Opportunity Role, and Sales Person APIs are disabled. The CRM manages these records" (lead-database.md): their
 * writes answer 1018 CRM Enabled, and reads go on (companies.md: "read-only access for subscriptions that have SFDC
 * Sync"). Decision (README "Decisions"): 1018 is answered at response level, for the whole call.
 */

const CRMS = ['salesforce', 'dynamics'] as const;
type Crm = (typeof CRMS)[number];

export class CrmSyncRepository {
  private readonly selectRow;
  private readonly upsert;
  private readonly clear;

  constructor(
    db: Database,
    private readonly clock: Clock,
  ) {
    this.selectRow = prepareOnUse<[], { crm: Crm; enabled_at: number }>(db, 'SELECT crm, enabled_at FROM crm_sync');
    this.upsert = prepareOnUse<[Crm, number]>(
      db,
      'INSERT INTO crm_sync (id, crm, enabled_at) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET crm = excluded.crm',
    );
    this.clear = prepareOnUse(db, 'DELETE FROM crm_sync');
  }

  /** The CRM synced natively, or undefined when none is. */
  crm(): Crm | undefined {
    return this.selectRow.get()?.crm;
  }

  enable(crm: Crm, at = this.clock.now()): void {
    this.upsert.run(crm, at);
  }

  disable(): void {
    this.clear.run();
  }
}

/** Writes of the CRM-managed objects while native sync is on: 1018 for the whole call. */
export function refuseWhileCrmSyncs(request: FastifyRequest, mode: 'read' | 'write'): void {
  if (mode === 'write' && request.ctx.repo(crmSync).crm() !== undefined) {
    throw new MarketoError('1018', marketoMessage('1018'));
  }
}

const stateSchema = z
  .object({
    enabled: z.boolean(),
    crm: z.enum(CRMS).nullable().describe('The CRM synced natively, null when off'),
  })
  .meta({ id: 'CrmSyncSetting' });
const stateBody = z
  .strictObject({ enabled: z.boolean(), crm: z.enum(CRMS).default('salesforce') })
  .meta({ example: { enabled: true, crm: 'salesforce' } });

function stateOf(repo: CrmSyncRepository): z.infer<typeof stateSchema> {
  const crm = repo.crm();
  return { enabled: crm !== undefined, crm: crm ?? null };
}

const adminRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<CrmSyncRepository>> = async (app, { repo }) => {
  const tags = ['Admin: CRM sync'];
  app.get(
    '/crm-sync',
    {
      schema: {
        tags,
        summary: 'Whether the subscription syncs a CRM natively',
        response: { 200: stateSchema, 401: problemResponses[401] },
      },
    },
    async (request) => stateOf(repo(request)),
  );
  app.put(
    '/crm-sync',
    {
      schema: {
        tags,
        summary: 'Turn native CRM sync on (company, opportunity, role and sales person writes answer 1018) or off',
        body: stateBody,
        response: { 200: stateSchema, ...problemResponses },
      },
    },
    async (request) => {
      const settings = repo(request);
      if (request.body.enabled) settings.enable(request.body.crm);
      else settings.disable();
      return stateOf(settings);
    },
  );
};

/** The native CRM sync setting: at most one item, `{crm}`, in a seed. */
export const crmSync = defineFamily({
  key: 'crmSync',
  tables: ['crm_sync'],
  // The folder's migrations (every CRM table), declared by its first family.
  migrations,
  repository: ({ db, clock }) => new CrmSyncRepository(db, clock),
  seed: {
    item: z.strictObject({ crm: z.enum(CRMS) }),
    load(repo, items, { fail }) {
      if (items.length > 1) fail('[1]', 'native CRM sync is one setting: give at most one item');
      if (items[0]) repo.enable(items[0].crm);
    },
    snapshot: (repo) => {
      const crm = repo.crm();
      return crm ? [{ crm }] : [];
    },
    example: [{ crm: 'salesforce' }],
  },
  adminRoutes,
});
