// The benchmark subscription: 3 partitions, 3 workspaces, a service whose user has lead permissions in 2 of
// them, a service whose user has none (603), and leads spread evenly over the partitions.
import { leads } from '../src/families/leads/leads.js';
import { assets } from '../src/families/assets/assets.js';
import { isZone } from '../src/families/assets/repository.js';
import { activities } from '../src/families/activities/activities.js';
import { lists } from '../src/families/lists/lists.js';
import { customObjects } from '../src/families/custom-objects/records.js';
import { customObjectTypes } from '../src/families/custom-objects/types.js';
import { dedupeKey } from '../src/engines/objects/object-type.js';
import { contentOf } from '../src/families/emails/content.js';
import { defaultEmailFields } from '../src/families/emails/emails.js';
import { emails } from '../src/families/emails/emails-family.js';
import { templateFieldsOf } from '../src/families/emails/repositories.js';
import { emailTemplates } from '../src/families/emails/templates.js';
import type { NewActivity } from '../src/domain/activity-log.js';
import { rmSync } from 'node:fs';
import { buildApp } from '../src/app.js';
import { testConfig } from '../src/config.js';
import type { SeedInput } from '../src/seed.js';

export const BENCH_CLIENT = { clientId: 'bench-client-id', clientSecret: 'bench-client-secret' };
export const DENIED_CLIENT = { clientId: 'denied-client-id', clientSecret: 'denied-client-secret' };
/** Extra services owned by the bench user, each never having had a token: the first-token path. */
export const POOL_SECRET = 'pool-client-secret';
export const poolClientId = (n: number): string => `pool-client-${n}`;

const PARTITIONS = ['Default', 'Americas', 'EMEA'];

export const leadEmail = (n: number): string => `lead${n}@bench.example`;

/** Lead n lives in partition n % 3; the bench user sees Default and Americas (n % 3 !== 2). */
export const visibleToBenchUser = (n: number): boolean => n % 3 !== 2;

function leadRecord(n: number): Record<string, string> {
  return {
    email: leadEmail(n),
    firstName: `First${n}`,
    lastName: `Last${n}`,
    company: `Company ${n % 5000}`,
    title: 'Engineer',
    phone: `+1-555-${String(n % 10_000).padStart(4, '0')}`,
  };
}

/**
 * The custom object type of the bench (RudderStack's custom-object upsert writes such records): deduplicated by
 * `vin`, four more fields, no link (a link would add the same lead lookup to both servers).
 */
export const BENCH_CUSTOM_OBJECT = 'benchCar';
export const benchVin = (n: number): string => `VIN${String(n).padStart(9, '0')}`;
export function benchCar(n: number): Record<string, string | number> {
  return { vin: benchVin(n), make: `Make ${n % 40}`, model: `Model ${n % 400}`, year: 1990 + (n % 35), color: 'red' };
}

/**
 * Request Campaign (issue 26): a trigger campaign in the Default workspace (so acting on the Default partition's leads,
 * n % 3 === 0) whose flow changes one field (title, to the call's {{my.run}} token) and adds to a list.
 */
export const BENCH_CAMPAIGN = 5001;
export const BENCH_CAMPAIGN_LIST = 90_001;
export const inCampaignReach = (n: number): boolean => n % 3 === 0;

export function benchSeed(leadCount = 0): SeedInput {
  return {
    partitions: [{ name: 'Americas' }, { name: 'EMEA' }],
    workspaces: [
      { name: 'Americas', partitions: ['Americas'] },
      { name: 'EMEA', partitions: ['EMEA'] },
    ],
    roles: [
      { name: 'Lead Sync', permissions: ['read-write-lead', 'read-only-activity'] },
      { name: 'Assets Only', permissions: ['read-only-assets'] },
      { name: 'Program Reader', permissions: ['read-only-assets'] },
      // Create Folder, in the bench's folder parents (Default and Americas).
      { name: 'Folder Writer', permissions: ['read-write-assets'] },
      { name: 'Custom Object Sync', permissions: ['read-write-custom-object'] },
      { name: 'Campaign Runner', permissions: ['execute-campaign'] },
    ],
    users: [
      {
        email: 'bench@example.com',
        roles: [
          { role: 'Lead Sync', workspace: 'Default' },
          { role: 'Lead Sync', workspace: 'Americas' },
          { role: 'Program Reader', workspace: 'Default' },
          { role: 'Program Reader', workspace: 'Americas' },
          { role: 'Folder Writer', workspace: 'Default' },
          { role: 'Folder Writer', workspace: 'Americas' },
          { role: 'Custom Object Sync', workspace: 'Default' },
          { role: 'Campaign Runner', workspace: 'Default' },
        ],
      },
      {
        email: 'denied@example.com',
        roles: [
          { role: 'Assets Only', workspace: 'Default' },
          { role: 'Assets Only', workspace: 'Americas' },
        ],
      },
    ],
    services: [
      { name: 'Bench', user: 'bench@example.com', ...BENCH_CLIENT },
      { name: 'Denied', user: 'denied@example.com', ...DENIED_CLIENT },
    ],
    customObjectTypes: [
      {
        apiName: BENCH_CUSTOM_OBJECT,
        displayName: 'Bench car',
        fields: [
          { name: 'vin', displayName: 'VIN', dataType: 'string', isDedupeField: true },
          { name: 'make', displayName: 'Make', dataType: 'string' },
          { name: 'model', displayName: 'Model', dataType: 'string' },
          { name: 'year', displayName: 'Year', dataType: 'integer' },
          { name: 'color', displayName: 'Color', dataType: 'string' },
        ],
      },
    ],
    lists: [{ id: BENCH_CAMPAIGN_LIST, name: 'Bench campaign list', workspace: 'Default' }],
    campaigns: [
      {
        id: BENCH_CAMPAIGN,
        name: 'Bench request',
        type: 'trigger',
        folder: '/Marketing Activities/Default',
        active: true,
        flow: [
          { type: 'changeDataValue', attribute: 'title', value: '{{my.run}}' },
          { type: 'addToList', listId: BENCH_CAMPAIGN_LIST },
        ],
      },
    ],
    leads: Array.from({ length: leadCount }, (_, i) => ({
      ...leadRecord(i + 1),
      partition: PARTITIONS[(i + 1) % 3],
    })),
  };
}

export interface FixtureOptions {
  path: string;
  leads: number;
  poolServices: number;
  /** Programs per workspace, in its Marketing Activities root (the bench user reads Default and Americas). */
  programsPerWorkspace?: number;
  /** Approved emails per workspace, in its Design Studio root, each from the workspace's template (one per workspace). */
  emailsPerWorkspace?: number;
  /** Activities spread evenly over the leads and over ACTIVITY_SPAN_MS before now. */
  activities?: number;
  /** Empty static lists, in turn in the workspaces the bench user writes leads in (Default, Americas). */
  lists?: number;
  /** Static lists with members, one per entry holding those lead ids; after the empty lists, in the same workspaces. */
  memberLists?: readonly (readonly number[])[];
  /**
   * Parents for Create Folder: in each workspace the bench user writes assets in (Default, Americas), a folder
   * below its Marketing Activities root and one below that.
   */
  folderParents?: boolean;
  /** Records of the bench's custom object type, car n with vin benchVin(n). */
  customObjects?: number;
}

/** The activity types of the bench's log, in turn: Visit Webpage, Fill Out Form, Open Email, Click Email, 12, 13. */
export const BENCH_ACTIVITY_TYPES = [1, 2, 10, 11, 12, 13];
/** The bench's activities span the 30 days before the fixture is built, oldest first. */
export const ACTIVITY_SPAN_MS = 30 * 24 * 3600 * 1000;

function benchActivity(n: number, leadCount: number, partitionIds: number[], start: number, step: number): NewActivity {
  const leadId = 1 + (n % leadCount);
  return {
    leadId,
    partitionId: partitionIds[leadId % 3]!,
    typeId: BENCH_ACTIVITY_TYPES[n % BENCH_ACTIVITY_TYPES.length]!,
    primaryAttributeValueId: n % 1000,
    primaryAttributeValue: `asset-${n % 1000}`,
    attributes: [
      { name: 'Webpage URL', value: `/page/${n % 1000}.html` },
      { name: 'Client IP Address', value: '203.0.113.7' },
    ],
    activityDate: start + Math.floor(n * step),
  };
}

/** The workspaces whose assets the bench user reads, as the fake numbers them (Default 1, Americas 2, EMEA 3). */
export const BENCH_READABLE_WORKSPACES = [1, 2];

/**
 * Writes the subscription into a fresh SQLite file. Leads go in through the repository, in one transaction
 * (a seed document of a million leads would only measure YAML/zod parsing).
 */
export async function buildFixture(options: FixtureOptions): Promise<{
  seconds: number;
  activitiesFrom: number;
  listIds: number[];
  memberListIds: number[];
  folderParentIds: number[];
  /** The emails in the workspaces the bench user reads and writes. */
  emailIds: number[];
}> {
  const started = performance.now();
  for (const suffix of ['', '-wal', '-shm']) rmSync(options.path + suffix, { force: true });
  const app = await buildApp({
    config: testConfig({ DATABASE_PATH: options.path }),
    seed: benchSeed(),
  });
  const { repos, transaction } = app.ctx;
  const leadRepo = app.ctx.repo(leads);
  const partitionIds = PARTITIONS.map((name) => repos.partitions.list().find((p) => p.name === name)!.id);
  const benchUser = repos.users.list().find((user) => user.email === 'bench@example.com')!;
  const BATCH = 50_000;
  for (let start = 1; start <= options.leads; start += BATCH) {
    transaction(() => {
      for (let n = start; n < Math.min(start + BATCH, options.leads + 1); n++) {
        const { email, ...fields } = leadRecord(n);
        leadRepo.insert(partitionIds[n % 3]!, email!, fields);
      }
    });
  }
  const assetRepo = app.ctx.repo(assets);
  const roots = assetRepo.allFolders().filter((f) => isZone(f) && f.tree === 'Marketing Activities');
  transaction(() => {
    for (let n = 1; n <= (options.programsPerWorkspace ?? 0); n++) {
      for (const root of roots) {
        const at = Date.UTC(2026, 0, 1) + n * 60_000;
        assetRepo.insertProgram({
          folderId: root.id,
          workspaceId: root.workspace_id,
          name: `Program ${root.workspace_name} ${n}`,
          description: `Bench program ${n}`,
          type: 'Default',
          channel: 'Content',
          status: '',
          tags: JSON.stringify([{ tagType: 'Region', tagValue: 'EU' }]),
          costs: '[]',
          createdAt: at,
          updatedAt: at,
        });
      }
    }
  });
  const listRepo = app.ctx.repo(lists);
  const listIds: number[] = [];
  transaction(() => {
    for (let n = 1; n <= (options.lists ?? 0); n++) {
      const workspaceId = BENCH_READABLE_WORKSPACES[n % BENCH_READABLE_WORKSPACES.length]!;
      listIds.push(listRepo.insert({ workspaceId, name: `Bench list ${n}` }));
    }
  });
  const memberListIds: number[] = [];
  transaction(() => {
    (options.memberLists ?? []).forEach((members, i) => {
      const workspaceId = BENCH_READABLE_WORKSPACES[(i + 1) % BENCH_READABLE_WORKSPACES.length]!;
      const id = listRepo.insert({ workspaceId, name: `Bench members list ${i + 1}` });
      for (const leadId of members) listRepo.add(id, leadId);
      memberListIds.push(id);
    });
  });
  const folderParentIds: number[] = [];
  if (options.folderParents) {
    transaction(() => {
      for (const root of roots.filter((f) => BENCH_READABLE_WORKSPACES.includes(f.workspace_id))) {
        const place = { workspaceId: root.workspace_id, tree: root.tree, description: null };
        const outer = assetRepo.insertFolder({ ...place, parentId: root.id, name: 'Bench folders' });
        const inner = assetRepo.insertFolder({ ...place, parentId: outer, name: 'Nested' });
        folderParentIds.push(outer, inner);
      }
    });
  }
  const carCount = options.customObjects ?? 0;
  if (carCount > 0) {
    const typeId = app.ctx.repo(customObjectTypes).byName(BENCH_CUSTOM_OBJECT)!.id;
    const cars = app.ctx.repo(customObjects);
    const at = Date.UTC(2026, 0, 1);
    for (let first = 1; first <= carCount; first += BATCH) {
      transaction(() => {
        for (let n = first; n < Math.min(first + BATCH, carCount + 1); n++) {
          const fields = benchCar(n);
          cars.load({
            id: null,
            marketoGUID: null,
            typeId,
            partitionId: null,
            dedupeKey: dedupeKey([fields.vin!]),
            fields,
            links: [null],
            createdAt: at,
            updatedAt: at,
          });
        }
      });
    }
  }
  const emailIds = benchEmails(app, options.emailsPerWorkspace ?? 0);
  const activityCount = options.activities ?? 0;
  const start = Date.now() - ACTIVITY_SPAN_MS;
  if (activityCount > 0) {
    const log = app.ctx.repo(activities);
    const step = ACTIVITY_SPAN_MS / activityCount;
    for (let first = 0; first < activityCount; first += BATCH) {
      const batch: NewActivity[] = [];
      for (let n = first; n < Math.min(first + BATCH, activityCount); n++) {
        batch.push(benchActivity(n, options.leads, partitionIds, start, step));
      }
      transaction(() => log.record(batch));
    }
  }
  transaction(() => {
    for (let n = 1; n <= options.poolServices; n++) {
      repos.services.create({
        name: `Pool ${n}`,
        apiOnlyUserId: benchUser.id,
        clientId: poolClientId(n),
        clientSecret: POOL_SECRET,
      });
    }
  });
  await app.close();
  return {
    seconds: (performance.now() - started) / 1000,
    activitiesFrom: start,
    listIds,
    memberListIds,
    folderParentIds,
    emailIds,
  };
}

/** The template of the bench's emails: three editable sections (Email Editor 1.0). */
export const BENCH_EMAIL_TEMPLATE = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{my.Title}}</title></head>
<body>
<div class="mktEditable" id="greeting"><h1>Hello {{lead.First Name:default=there}}</h1></div>
<div class="mktEditable" id="body"><p>${'Bench copy. '.repeat(40)}</p></div>
<div class="mktEditable" id="footer"><p>You received this because you subscribed.</p></div>
</body></html>`;

/** Approved emails in each workspace's Design Studio zone (`/Design Studio/<workspace>`), made as Create Email and Approve Draft would. */
function benchEmails(app: Awaited<ReturnType<typeof buildApp>>, perWorkspace: number): number[] {
  if (perWorkspace === 0) return [];
  const templates = app.ctx.repo(emailTemplates);
  const mails = app.ctx.repo(emails);
  const roots = app.ctx
    .repo(assets)
    .allFolders()
    .filter((f) => isZone(f) && f.tree === 'Design Studio');
  const ids: number[] = [];
  app.ctx.transaction(() => {
    for (const root of roots) {
      const place = { folderId: root.id, programId: null, workspaceId: root.workspace_id };
      const templateId = templates.rows.insert({ name: 'Bench template', description: '', place, meta: {} });
      const at = Date.UTC(2026, 0, 1);
      const version = { createdAt: at, updatedAt: at };
      templates.machine.restore(templateId, {
        status: 'approved',
        fields: templateFieldsOf(BENCH_EMAIL_TEMPLATE),
        content: { html: BENCH_EMAIL_TEMPLATE },
        ...version,
      });
      for (let n = 1; n <= perWorkspace; n++) {
        const id = mails.rows.insert({ name: `Bench email ${n}`, description: `Bench email ${n}`, place, meta: {} });
        const text = (value: string) => ({ type: 'Text' as const, value });
        mails.machine.restore(id, {
          status: 'approved',
          fields: {
            ...defaultEmailFields(),
            subject: text(`Bench subject ${n}`),
            fromName: text('Bench'),
            fromEmail: text('bench@example.com'),
            replyEmail: text('replies@example.com'),
            template: templateId,
            version: 1,
          },
          content: contentOf(BENCH_EMAIL_TEMPLATE),
          ...version,
        });
        if (BENCH_READABLE_WORKSPACES.includes(root.workspace_id)) ids.push(id);
      }
    }
  });
  return ids;
}
