import { MIGRATIONS } from '../../src/families.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { frozenClock } from '../../src/clock.js';
import { loadConfig, testConfig } from '../../src/config.js';
import { SeedError } from '../../src/domain/seed.js';
import { parseSeed, readSeedFile, type SeedInput } from '../../src/seed.js';
import { openDatabase } from '../../src/storage/database.js';
import {
  call,
  makeTempDir,
  newSeededInstance,
  SAMPLE_CREDENTIALS,
  sampleSeed,
  tokenFor,
  tokenUrl,
  pick,
} from '../helpers.js';
import { bearer } from '../support/subscription.js';

const apps: FastifyInstance[] = [];
const dirs: { remove(): void }[] = [];

afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  for (const dir of dirs.splice(0)) dir.remove();
});

async function seeded(seed: SeedInput): Promise<FastifyInstance> {
  const { app } = await newSeededInstance(seed);
  apps.push(app);
  return app;
}

function tempDir(): string {
  const dir = makeTempDir('fake-marketo-seed-');
  dirs.push(dir);
  return dir.path;
}

async function json(app: FastifyInstance, url: string) {
  const response = await call(app, 'GET', url);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

/** Lead reads as a Marketo client does them: Get Leads by Filter Type on email. */
async function leadsByEmail(app: FastifyInstance, token: string, emails: string[], fields: string) {
  const response = await call(
    app,
    'GET',
    `/rest/v1/leads.json?filterType=email&filterValues=${emails.join(',')}&fields=${fields}`,
    undefined,
    bearer(token),
  );
  const body = response.json();
  expect(body.success, response.body).toBe(true);
  return body.result as Record<string, unknown>[];
}

/** What a seed leaves in the subscription that is not Marketo's built-in rows. */
async function userData(app: FastifyInstance) {
  const snapshot = await json(app, '/admin/snapshot');
  return {
    partitions: snapshot.partitions.filter((p: { id: number }) => p.id !== 1),
    workspaces: snapshot.workspaces.filter((w: { id: number }) => w.id !== 1),
    roles: snapshot.roles,
    users: snapshot.users,
    services: snapshot.services,
    leadFields: snapshot.leadFields,
    leads: snapshot.leads,
  };
}

const NOTHING = { partitions: [], workspaces: [], roles: [], users: [], services: [], leadFields: [], leads: [] };

/** sampleSeed() as a hand-written YAML file, the way a CI pipeline keeps it. */
const SAMPLE_YAML = `# The CI subscription
partitions:
  - name: EMEA
    description: European leads
  - name: APAC
workspaces:
  - name: Europe
    description: EU marketing
    partitions: [EMEA]
  - name: Asia
    partitions: [APAC]
roles:
  - name: Lead Reader
    description: Reads leads
    permissions: [read-only-lead]
  - name: Lead Writer
    permissions:
      - read-write-lead
      - read-only-activity
users:
  - email: reader@example.com
    firstName: Rita
    lastName: Reader
    roles:
      - { role: Lead Reader, workspace: Europe }
  - email: writer@example.com
    firstName: Will
    roles:
      - role: Lead Writer
        workspace: "*"
  - email: marketer@example.com
    apiOnly: false
    roles: [{ role: Lead Reader, workspace: Default }]
services:
  - name: Reader Service
    user: reader@example.com
    clientId: reader-client-id
    clientSecret: reader-client-secret
  - name: Writer Service
    description: CI pipeline
    user: writer@example.com
    clientId: writer-client-id
    clientSecret: writer-client-secret
leadFields:
  - { name: tier, displayName: Tier, dataType: string, length: 20 }
  - { name: seats, displayName: Seats, dataType: integer }
leads:
  - { email: ann@example.com, firstName: Ann, tier: Gold, seats: 5 }
  - { email: eve@example.com, firstName: Eve, partition: EMEA, tier: Silver }
  - { email: ken@example.com, firstName: Ken, partition: APAC, seats: 2 }
`;

describe('seed: a whole subscription in one document', () => {
  it('creates the partitions, workspaces, roles, users with their grants, services and custom fields', async () => {
    const app = await seeded(sampleSeed());

    const partitions = (await json(app, '/admin/partitions')).items;
    expect(partitions).toEqual([
      { id: 1, name: 'Default', description: 'Initial system lead partition' },
      { id: expect.any(Number), name: 'EMEA', description: 'European leads' },
      { id: expect.any(Number), name: 'APAC', description: '' },
    ]);
    const partitionId = (name: string) => partitions.find((p: { name: string }) => p.name === name).id;

    const workspaces = (await json(app, '/admin/workspaces')).items;
    expect(workspaces).toEqual([
      expect.objectContaining({ id: 1, name: 'Default', partitionIds: [1] }),
      { id: expect.any(Number), name: 'Europe', description: 'EU marketing', partitionIds: [partitionId('EMEA')] },
      { id: expect.any(Number), name: 'Asia', description: '', partitionIds: [partitionId('APAC')] },
    ]);
    const workspaceId = (name: string) => workspaces.find((w: { name: string }) => w.name === name).id;

    const roles = (await json(app, '/admin/roles?limit=1000')).roles.filter(
      (role: { roleType: string }) => role.roleType === 'user-defined',
    );
    expect(roles).toEqual([
      expect.objectContaining({ name: 'Lead Reader', description: 'Reads leads', permissionSets: ['read-only-lead'] }),
      expect.objectContaining({
        name: 'Lead Writer',
        permissionSets: expect.arrayContaining(['read-write-lead', 'read-only-activity']),
      }),
    ]);
    const roleId = (name: string) => roles.find((r: { name: string }) => r.name === name).id;

    expect((await json(app, '/admin/users')).items).toEqual([
      expect.objectContaining({
        email: 'reader@example.com',
        firstName: 'Rita',
        lastName: 'Reader',
        apiOnly: true,
        roles: [{ roleId: roleId('Lead Reader'), workspaceId: workspaceId('Europe') }],
      }),
      // "*" is Marketo's AllZones: workspace id 0.
      expect.objectContaining({
        email: 'writer@example.com',
        apiOnly: true,
        roles: [{ roleId: roleId('Lead Writer'), workspaceId: 0 }],
      }),
      expect.objectContaining({
        email: 'marketer@example.com',
        apiOnly: false,
        roles: [{ roleId: roleId('Lead Reader'), workspaceId: 1 }],
      }),
    ]);

    const services = (await json(app, '/admin/services')).items;
    expect(services.map((s: { name: string; clientId: string }) => [s.name, s.clientId])).toEqual([
      ['Reader Service', 'reader-client-id'],
      ['Writer Service', 'writer-client-id'],
    ]);
    const writer = await json(app, `/admin/services/${services[1].id}`);
    expect(writer).toMatchObject({ description: 'CI pipeline', clientSecret: 'writer-client-secret' });

    expect((await json(app, '/admin/lead-fields')).items).toEqual([
      { name: 'tier', displayName: 'Tier', dataType: 'string', length: 20 },
      { name: 'seats', displayName: 'Seats', dataType: 'integer' },
    ]);
  });

  it('the fixed client ids and secrets get tokens scoped to the seeded API users', async () => {
    const app = await seeded(sampleSeed());
    const response = await call(app, 'GET', tokenUrl(SAMPLE_CREDENTIALS.writer));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ token_type: 'bearer', expires_in: 3599, scope: 'writer@example.com' });
    const reader = await call(app, 'GET', tokenUrl(SAMPLE_CREDENTIALS.reader));
    expect(reader.json().scope).toBe('reader@example.com');
    const wrong = await call(app, 'GET', tokenUrl({ ...SAMPLE_CREDENTIALS.reader, clientSecret: 'not-the-secret' }));
    expect(wrong.statusCode).toBe(401);
  });

  it('loads the leads with their custom field values, and the grants decide who sees which partition', async () => {
    const app = await seeded(sampleSeed());
    const emails = ['ann@example.com', 'eve@example.com', 'ken@example.com'];
    const fields = 'email,firstName,tier,seats,leadPartitionId';
    const partitions = (await json(app, '/admin/partitions')).items as { id: number; name: string }[];
    const idOf = (name: string) => partitions.find((p) => p.name === name)!.id;

    // The writer holds Read-Write Lead in every workspace ("*"): all three leads.
    const writer = await tokenFor(app, SAMPLE_CREDENTIALS.writer);
    expect(await leadsByEmail(app, writer, emails, fields)).toEqual([
      {
        id: expect.any(Number),
        email: 'ann@example.com',
        firstName: 'Ann',
        tier: 'Gold',
        seats: 5,
        leadPartitionId: 1,
      },
      {
        id: expect.any(Number),
        email: 'eve@example.com',
        firstName: 'Eve',
        tier: 'Silver',
        seats: null,
        leadPartitionId: idOf('EMEA'),
      },
      {
        id: expect.any(Number),
        email: 'ken@example.com',
        firstName: 'Ken',
        tier: null,
        seats: 2,
        leadPartitionId: idOf('APAC'),
      },
    ]);

    // The reader holds Read-Only Lead in Europe only: it sees EMEA's lead and cannot write.
    const reader = await tokenFor(app, SAMPLE_CREDENTIALS.reader);
    expect((await leadsByEmail(app, reader, emails, 'email')).map((lead) => lead.email)).toEqual(['eve@example.com']);
    const write = await call(
      app,
      'POST',
      '/rest/v1/leads.json',
      { input: [{ email: 'new@example.com' }] },
      bearer(reader),
    );
    expect(write.json()).toMatchObject({ success: false, errors: [{ code: '603', message: 'Access denied' }] });

    // Custom fields are part of the lead catalog.
    const describe = (await call(app, 'GET', '/rest/v1/leads/describe.json', undefined, bearer(writer))).json();
    const tier = describe.result.find((field: { rest: { name: string } }) => field.rest.name === 'tier');
    expect(tier).toMatchObject({ displayName: 'Tier', dataType: 'string', length: 20 });
  });

  it('keeps the ids and timestamps a seed gives, so a snapshot reproduces them', async () => {
    const app = await seeded({
      partitions: [{ id: 7, name: 'Seven' }],
      workspaces: [{ id: 9, name: 'Nine', partitions: ['Seven'] }],
      roles: [{ id: 150, name: 'Writer', permissions: ['read-write-lead'] }],
      users: [{ id: 40, email: 'api@example.com', roles: [{ role: 'Writer', workspace: 'Nine' }] }],
      services: [
        { id: 12, name: 'Svc', user: 'api@example.com', clientId: 'svc-client-id', clientSecret: 'svc-secret' },
      ],
      leads: [
        {
          id: 500,
          partition: 'Seven',
          email: 'old@example.com',
          createdAt: '2024-03-01T08:00:00Z',
          updatedAt: '2025-06-30T17:45:10Z',
        },
      ],
    });
    expect((await json(app, '/admin/partitions/7')).name).toBe('Seven');
    expect((await json(app, '/admin/workspaces/9')).partitionIds).toEqual([7]);
    expect((await json(app, '/admin/roles/150')).name).toBe('Writer');
    expect((await json(app, '/admin/users/40')).roles).toEqual([{ roleId: 150, workspaceId: 9 }]);
    expect((await json(app, '/admin/services/12')).clientId).toBe('svc-client-id');

    const token = await tokenFor(app, { clientId: 'svc-client-id', clientSecret: 'svc-secret' });
    const lead = await call(
      app,
      'GET',
      '/rest/v1/lead/500.json?fields=email,createdAt,updatedAt,leadPartitionId',
      undefined,
      bearer(token),
    );
    expect(lead.json().result).toEqual([
      {
        id: 500,
        email: 'old@example.com',
        createdAt: '2024-03-01T08:00:00Z',
        updatedAt: '2025-06-30T17:45:10Z',
        leadPartitionId: 7,
      },
    ]);
    // The next lead created gets a fresh id after the seeded ones.
    const created = await call(
      app,
      'POST',
      '/rest/v1/leads.json',
      { partitionName: 'Seven', input: [{ email: 'next@example.com' }] },
      bearer(token),
    );
    expect(created.json().result[0]).toEqual({ id: 501, status: 'created' });
  });

  it('a lead given only createdAt was last updated when it was created', async () => {
    const app = await seeded({
      roles: [{ name: 'Reader', permissions: ['read-only-lead'] }],
      users: [{ email: 'api@example.com', roles: [{ role: 'Reader', workspace: 'Default' }] }],
      services: [{ name: 'Svc', user: 'api@example.com', clientId: 'svc-client-id', clientSecret: 'svc-secret' }],
      leads: [{ id: 3, email: 'old@example.com', createdAt: '2024-03-01T08:00:00Z' }],
    });
    const token = await tokenFor(app, { clientId: 'svc-client-id', clientSecret: 'svc-secret' });
    const lead = await call(app, 'GET', '/rest/v1/lead/3.json?fields=createdAt,updatedAt', undefined, bearer(token));
    expect(lead.json().result).toEqual([
      { id: 3, createdAt: '2024-03-01T08:00:00Z', updatedAt: '2024-03-01T08:00:00Z' },
    ]);
  });

  it('an empty document is an empty subscription', async () => {
    const app = await seeded({});
    expect(await userData(app)).toEqual(NOTHING);
    // The keys this test owns: a family added later brings its own key without breaking it.
    expect(pick(parseSeed(null), Object.keys(NOTHING))).toEqual(NOTHING);
  });
});

describe('seed files: YAML and JSON', () => {
  it('a YAML file and the same subscription as a JSON file load the same state', async () => {
    const dir = tempDir();
    const yamlPath = join(dir, 'subscription.yaml');
    const jsonPath = join(dir, 'subscription.json');
    writeFileSync(yamlPath, SAMPLE_YAML);
    writeFileSync(jsonPath, JSON.stringify(sampleSeed(), null, 2));

    expect(readSeedFile(yamlPath)).toEqual(readSeedFile(jsonPath));
    expect(readSeedFile(jsonPath)).toEqual(parseSeed(sampleSeed()));

    const fromYaml = await buildApp({ config: testConfig({ SEED_FILE: yamlPath }), clock: frozenClock() });
    apps.push(fromYaml);
    const fromJson = await buildApp({ config: testConfig({ SEED_FILE: jsonPath }), clock: frozenClock() });
    apps.push(fromJson);
    const fromObject = await seeded(sampleSeed());
    const expected = await json(fromObject, '/admin/snapshot');
    expect(await json(fromYaml, '/admin/snapshot')).toEqual(expected);
    expect(await json(fromJson, '/admin/snapshot')).toEqual(expected);
    expect(expected.leads).toHaveLength(3);
  });

  it('SEED_FILE from the environment is loaded at start', async () => {
    const dir = tempDir();
    const path = join(dir, 'seed.yml');
    writeFileSync(path, SAMPLE_YAML);
    const config = loadConfig({ SEED_FILE: path, DATABASE_PATH: ':memory:', LOG_LEVEL: 'silent' });
    expect(config.SEED_FILE).toBe(path);
    const app = await buildApp({ config, clock: frozenClock() });
    apps.push(app);
    expect(await tokenFor(app, SAMPLE_CREDENTIALS.reader)).toMatch(/:ab$/);
  });

  it('buildApp({ seed }) wins over SEED_FILE', async () => {
    const dir = tempDir();
    const path = join(dir, 'seed.yml');
    writeFileSync(path, SAMPLE_YAML);
    const app = await buildApp({
      config: testConfig({ SEED_FILE: path }),
      clock: frozenClock(),
      seed: { partitions: [{ name: 'Only This' }] },
    });
    apps.push(app);
    const data = await userData(app);
    expect(data.partitions.map((p: { name: string }) => p.name)).toEqual(['Only This']);
    expect(data.services).toEqual([]);
  });

  it('a file that cannot be read names the file', async () => {
    const path = join(tempDir(), 'missing.yaml');
    expect(() => readSeedFile(path)).toThrow(SeedError);
    expect(() => readSeedFile(path)).toThrow(`cannot read ${path}`);
    await expect(buildApp({ config: testConfig({ SEED_FILE: path }) })).rejects.toThrow(`cannot read ${path}`);
  });

  it('a file that is not YAML or JSON says so and names the file', () => {
    const dir = tempDir();
    const yamlPath = join(dir, 'broken.yaml');
    writeFileSync(yamlPath, 'partitions:\n  - name: [unclosed\n');
    expect(() => readSeedFile(yamlPath)).toThrow(SeedError);
    expect(() => readSeedFile(yamlPath)).toThrow(/seed file .*broken\.yaml[\s\S]*not YAML or JSON/);
    const jsonPath = join(dir, 'broken.json');
    writeFileSync(jsonPath, '{"partitions": [');
    expect(() => readSeedFile(jsonPath)).toThrow(/seed file .*broken\.json[\s\S]*not YAML or JSON/);
  });

  it('a file with a bad value names the file and the path inside it', () => {
    const path = join(tempDir(), 'bad.yaml');
    writeFileSync(path, 'users:\n  - email: ok@example.com\n    roles: []\n  - email: not-an-email\n');
    let error: unknown;
    try {
      readSeedFile(path);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SeedError);
    expect((error as SeedError).message).toContain(path);
    expect((error as SeedError).message).toContain('users[1].email: must look like an email address');
    expect((error as SeedError).problems).toEqual([
      { path: 'users[1].email', message: 'must look like an email address' },
    ]);
  });
});

/** A subscription every bad seed below starts from; each case breaks one thing in it. */
function base(): Required<Pick<SeedInput, 'partitions' | 'workspaces' | 'roles' | 'users' | 'services' | 'leads'>> &
  SeedInput {
  return {
    partitions: [{ name: 'EMEA' }],
    workspaces: [{ name: 'Europe', partitions: ['EMEA'] }],
    roles: [{ name: 'Reader', permissions: ['read-only-lead'] }],
    users: [{ email: 'api@example.com', roles: [{ role: 'Reader', workspace: 'Europe' }] }],
    services: [{ name: 'Svc', user: 'api@example.com', clientId: 'svc-client-id', clientSecret: 'svc-secret' }],
    leads: [{ email: 'a@example.com', partition: 'EMEA' }],
  };
}

const BAD_SEEDS: { name: string; seed: SeedInput; path: string; message: string }[] = [
  {
    name: 'a grant of an unknown role',
    seed: { ...base(), users: [{ email: 'api@example.com', roles: [{ role: 'X', workspace: 'Europe' }] }] },
    path: 'users[0].roles[0].role',
    message: 'no role named "X"',
  },
  {
    name: 'a grant in an unknown workspace',
    seed: {
      ...base(),
      users: [
        {
          email: 'api@example.com',
          roles: [
            { role: 'Reader', workspace: 'Europe' },
            { role: 'Reader', workspace: 'Mars' },
          ],
        },
      ],
    },
    path: 'users[0].roles[1].workspace',
    message: 'no workspace named "Mars"',
  },
  {
    name: 'a workspace seeing an unknown partition',
    seed: { ...base(), workspaces: [{ name: 'Europe', partitions: ['EMEA', 'Nowhere'] }] },
    path: 'workspaces[0].partitions[1]',
    message: 'no partition named "Nowhere"',
  },
  {
    name: 'a workspace named "*"',
    seed: { ...base(), workspaces: [{ name: '*' }] },
    path: 'workspaces[0].name',
    message: '"*" means all workspaces',
  },
  {
    name: 'an unknown permission',
    seed: { ...base(), roles: [{ name: 'Reader', permissions: ['read-only-lead', 'read-all-the-things'] }] },
    path: 'roles[0].permissions[1]',
    message: 'unknown permission "read-all-the-things"',
  },
  {
    name: 'a role id reserved for built-in roles',
    seed: { ...base(), roles: [{ id: 2, name: 'Reader', permissions: ['read-only-lead'] }] },
    path: 'roles[0].id',
    message: 'ids up to 100 are reserved for built-in roles',
  },
  {
    name: 'a role named like a built-in role',
    seed: { ...base(), roles: [...base().roles, { name: 'Admin' }] },
    path: 'roles[1].name',
    message: 'a role named "Admin" already exists',
  },
  {
    name: 'a service owned by an unknown user',
    seed: { ...base(), services: [{ name: 'Svc', user: 'ghost@example.com' }] },
    path: 'services[0].user',
    message: 'no user with email "ghost@example.com"',
  },
  {
    name: 'a service owned by a standard user',
    seed: {
      ...base(),
      users: [...base().users, { email: 'human@example.com', apiOnly: false }],
      services: [{ name: 'Svc', user: 'human@example.com' }],
    },
    path: 'services[0].user',
    message: '"human@example.com" is not an API-only user',
  },
  {
    name: 'two services with one client id',
    seed: {
      ...base(),
      services: [
        { name: 'Svc', user: 'api@example.com', clientId: 'same-client-id' },
        { name: 'Other', user: 'api@example.com', clientId: 'same-client-id' },
      ],
    },
    path: 'services[1]',
    message: 'duplicates an id, name, email or client id defined before it',
  },
  {
    name: 'a client secret that is too short',
    seed: { ...base(), services: [{ name: 'Svc', user: 'api@example.com', clientSecret: 'abc' }] },
    path: 'services[0].clientSecret',
    message: '8-128 letters, digits or . _ ~ : -',
  },
  {
    name: 'an API-only user without a role',
    seed: { ...base(), users: [...base().users, { email: 'lonely@example.com' }] },
    path: 'users[1].roles',
    message: 'an API-only user needs at least one role',
  },
  {
    name: 'two users with one email',
    seed: { ...base(), users: [...base().users, { email: 'API@example.com', apiOnly: false }] },
    path: 'users[1]',
    message: 'duplicates',
  },
  {
    name: 'an email that is not an address',
    seed: { ...base(), users: [{ email: 'nope', roles: [{ role: 'Reader', workspace: 'Europe' }] }] },
    path: 'users[0].email',
    message: 'must look like an email address',
  },
  {
    name: 'a partition defined twice',
    seed: { ...base(), partitions: [{ name: 'EMEA' }, { name: 'emea' }] },
    path: 'partitions[1].name',
    message: 'a partition named "emea" is already defined',
  },
  {
    name: 'a custom field named like a standard one',
    seed: { ...base(), leadFields: [{ name: 'email', displayName: 'Mail', dataType: 'string' }] },
    path: 'leadFields[0].name',
    message: '"email" is a standard lead field',
  },
  {
    name: 'a custom field named "partition" (the key a seed lead names its partition with)',
    seed: { ...base(), leadFields: [{ name: 'partition', displayName: 'Partition', dataType: 'string' }] },
    path: 'leadFields[0].name',
    message: '"partition"',
  },
  {
    name: 'a custom field of an unknown type',
    seed: { ...base(), leadFields: [{ name: 'tier', displayName: 'Tier', dataType: 'text' as 'string' }] },
    path: 'leadFields[0].dataType',
    message: 'must be one of',
  },
  {
    name: 'a lead in an unknown partition',
    seed: { ...base(), leads: [{ email: 'a@example.com', partition: 'Mars' }] },
    path: 'leads[0].partition',
    message: 'no partition named "Mars"',
  },
  {
    name: 'a lead with an unknown field',
    seed: { ...base(), leads: [{ email: 'a@example.com', nickname: 'Al' }] },
    path: 'leads[0].nickname',
    message: 'no such lead field',
  },
  {
    name: 'a lead with a value of the wrong type',
    seed: { ...base(), leads: [{ email: 'a@example.com' }, { email: 'b@example.com', numberOfEmployees: 'many' }] },
    path: 'leads[1].numberOfEmployees',
    message: 'invalid integer value "many"',
  },
  {
    name: 'a lead with a read-only field',
    seed: { ...base(), leads: [{ email: 'a@example.com', leadPartitionId: 1 }] },
    path: 'leads[0].leadPartitionId',
    message: 'is read only',
  },
  {
    name: 'a lead with a bad createdAt',
    seed: { ...base(), leads: [{ email: 'a@example.com', createdAt: 'last tuesday' }] },
    path: 'leads[0].createdAt',
    message: 'must be an ISO 8601 date-time',
  },
  {
    name: 'an unknown key in a user',
    seed: { ...base(), users: [{ email: 'api@example.com', rolez: [] } as never] },
    path: 'users[0]',
    message: 'Unrecognized key: "rolez"',
  },
  {
    name: 'an unknown top-level key',
    seed: { ...base(), user: [] } as never,
    path: '',
    message: 'Unrecognized key: "user"',
  },
];

describe('a bad seed stops the start, names the path inside the document, and loads nothing', () => {
  it.each(BAD_SEEDS)('$name → $path', async ({ seed, path, message }) => {
    const db = openDatabase(':memory:', MIGRATIONS);
    try {
      let error: unknown;
      try {
        const app = await buildApp({ config: testConfig(), db, seed });
        apps.push(app);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(SeedError);
      const seedError = error as SeedError;
      expect(seedError.message).toContain(`${path || '(document)'}: ${message}`);
      expect(seedError.problems[0]).toEqual({ path, message: expect.stringContaining(message) });

      // Nothing of it was written: the same database starts empty without the seed.
      const app = await buildApp({ config: testConfig(), db });
      apps.push(app);
      expect(await userData(app)).toEqual(NOTHING);
    } finally {
      for (const app of apps.splice(0)) await app.close();
      db.close();
    }
  });

  it('a file database with a seed whose LAST lead is bad: SeedError, and reopening shows nothing from the seed', async () => {
    const dir = tempDir();
    const databasePath = join(dir, 'fake.sqlite');
    const seed = sampleSeed();
    seed.leads = [...seed.leads!, { email: 'last@example.com', seats: 'lots' }];

    const failed = buildApp({ config: testConfig({ DATABASE_PATH: databasePath }), clock: frozenClock(), seed });
    await expect(failed).rejects.toBeInstanceOf(SeedError);
    await expect(failed).rejects.toThrow('leads[3].seats: invalid integer value "lots"');

    const reopened = await buildApp({ config: testConfig({ DATABASE_PATH: databasePath }), clock: frozenClock() });
    apps.push(reopened);
    expect(await userData(reopened)).toEqual(NOTHING);
    expect((await call(reopened, 'GET', tokenUrl(SAMPLE_CREDENTIALS.writer))).statusCode).toBe(401);
  });

  it('a seed file with a bad grant stops buildApp with the file and the path named', async () => {
    const path = join(tempDir(), 'bad.yaml');
    writeFileSync(
      path,
      SAMPLE_YAML.replace('- { role: Lead Reader, workspace: Europe }', '- { role: X, workspace: Europe }'),
    );
    await expect(buildApp({ config: testConfig({ SEED_FILE: path }) })).rejects.toThrow(
      'users[0].roles[0].role: no role named "X"',
    );
  });
});

describe('a database that already holds a subscription', () => {
  it('keeps its data at start; the seed becomes what POST /admin/reset returns to', async () => {
    const databasePath = join(tempDir(), 'fake.sqlite');
    const first = await buildApp({
      config: testConfig({ DATABASE_PATH: databasePath }),
      clock: frozenClock(),
      seed: { partitions: [{ name: 'Existing' }] },
    });
    await first.close();

    const app = await buildApp({
      config: testConfig({ DATABASE_PATH: databasePath }),
      clock: frozenClock(),
      seed: sampleSeed(),
    });
    apps.push(app);
    expect((await userData(app)).partitions.map((p: { name: string }) => p.name)).toEqual(['Existing']);

    expect((await call(app, 'POST', '/admin/reset')).statusCode).toBe(204);
    const expected = await seeded(sampleSeed());
    expect(await json(app, '/admin/snapshot')).toEqual(await json(expected, '/admin/snapshot'));
  });

  it('a bad seed still stops the start, though it is not loaded', async () => {
    const databasePath = join(tempDir(), 'fake.sqlite');
    const first = await buildApp({
      config: testConfig({ DATABASE_PATH: databasePath }),
      clock: frozenClock(),
      seed: { partitions: [{ name: 'Existing' }] },
    });
    await first.close();

    const bad = sampleSeed();
    bad.users![0]!.roles = [{ role: 'No Such Role', workspace: 'Europe' }];
    let error: unknown;
    try {
      apps.push(
        await buildApp({ config: testConfig({ DATABASE_PATH: databasePath }), clock: frozenClock(), seed: bad }),
      );
    } catch (caught) {
      error = caught;
    }
    // Otherwise the instance starts and every POST /admin/reset fails on the seed.
    expect(error).toBeInstanceOf(SeedError);
    expect((error as Error).message).toContain('users[0].roles[0].role: no role named "No Such Role"');
  });
});
