import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  buildApp,
  ConfigError,
  type FakeMarketo,
  loadConfig,
  SeedError,
  startFakeMarketo,
  testConfig,
} from '../src/index.js';
import { makeTempDir, SAMPLE_CREDENTIALS, sampleSeed } from './helpers.js';
import { DEMO_SERVICE_NAME } from '../src/lifecycle.js';

/** The programmatic entry point, over a real port, as a test suite of an integration would use it. */

const running: FakeMarketo[] = [];
const dirs: { remove(): void }[] = [];

afterEach(async () => {
  for (const fake of running.splice(0)) await fake.close().catch(() => undefined);
  for (const dir of dirs.splice(0)) dir.remove();
});

async function start(options?: Parameters<typeof startFakeMarketo>[0]): Promise<FakeMarketo> {
  const fake = await startFakeMarketo(options);
  running.push(fake);
  return fake;
}

function tempFile(name: string, text: string): string {
  const dir = makeTempDir('fake-marketo-start-');
  dirs.push(dir);
  const path = join(dir.path, name);
  writeFileSync(path, text);
  return path;
}

const timeout = () => AbortSignal.timeout(5000);

async function getJson(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers, signal: timeout() });
  return { status: response.status, body: await response.json() };
}

/** A token from the identity URL, the way Marketo clients get one. */
async function token(fake: FakeMarketo, serviceName: string): Promise<string> {
  const { clientId, clientSecret } = fake.credentials(serviceName);
  const query = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: clientId,
    client_secret: clientSecret,
  });
  const { status, body } = await getJson(`${fake.identityUrl}/oauth/token?${query}`);
  expect(status).toBe(200);
  return body.access_token;
}

async function leadEmails(fake: FakeMarketo, accessToken: string): Promise<unknown> {
  const url = `${fake.restUrl}/v1/leads.json?filterType=leadPartitionId&filterValues=1,2,3&fields=email`;
  const { body } = await getJson(url, { authorization: `Bearer ${accessToken}` });
  return body.success ? body.result.map((lead: { email: string }) => lead.email) : body.errors;
}

describe('startFakeMarketo', () => {
  it('starts an in-memory subscription on a free port and says where: url (its Munchkin id), identityUrl, restUrl', async () => {
    const fake = await start();
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\d{3}-[A-Z]{3}-\d{3}$/);
    expect(fake.url.endsWith(`/${fake.munchkinId}`)).toBe(true);
    expect(fake.baseUrl).toBe(fake.url);
    expect(Number(new URL(fake.url).port)).toBeGreaterThan(0);
    expect(fake.identityUrl).toBe(`${fake.url}/identity`);
    expect(fake.restUrl).toBe(`${fake.url}/rest`);

    const { status, body } = await getJson(`${fake.url}/admin/snapshot`);
    expect(status).toBe(200);
    // Without a seed, the demo service the CLI provisions (issue 23, item 17), and nothing else.
    expect(body).toMatchObject({ leads: [] });
    expect(body.services.map((service: { name: string }) => service.name)).toEqual([DEMO_SERVICE_NAME]);

    // Each instance has its own database: a second one does not see the first one's data.
    const created = await fetch(`${fake.url}/admin/partitions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Only in the first' }),
      signal: timeout(),
    });
    expect(created.status).toBe(201);
    const second = await start();
    expect(second.url).not.toBe(fake.url);
    const partitions = (await getJson(`${second.url}/admin/partitions`)).body.items;
    expect(partitions.map((p: { name: string }) => p.name)).toEqual(['Default']);

    // Closed and started again: nothing was kept on disk.
    await fake.close();
    const third = await start();
    expect((await getJson(`${third.url}/admin/partitions`)).body.items).toHaveLength(1);
  });

  it('with a seed object: credentials(name) get a token at identityUrl that opens restUrl', async () => {
    const fake = await start({ seed: sampleSeed() });
    expect(fake.credentials('Writer Service')).toEqual(SAMPLE_CREDENTIALS.writer);
    expect(fake.credentials('Reader Service')).toEqual(SAMPLE_CREDENTIALS.reader);
    const writer = await token(fake, 'Writer Service');
    expect(await leadEmails(fake, writer)).toEqual(['ann@example.com', 'eve@example.com', 'ken@example.com']);
    const reader = await token(fake, 'Reader Service');
    expect(await leadEmails(fake, reader)).toEqual(['eve@example.com']);
  });

  it('with the path of a YAML seed file', async () => {
    const path = tempFile(
      'seed.yaml',
      [
        'roles: [{ name: Reader, permissions: [read-only-lead] }]',
        'users: [{ email: ci@example.com, roles: [{ role: Reader, workspace: Default }] }]',
        'services: [{ name: CI, user: ci@example.com, clientId: ci-client-id, clientSecret: ci-client-secret }]',
        'leads: [{ email: one@example.com }]',
      ].join('\n'),
    );
    const fake = await start({ seed: path });
    expect(fake.credentials('CI')).toEqual({ clientId: 'ci-client-id', clientSecret: 'ci-client-secret' });
    expect(await leadEmails(fake, await token(fake, 'CI'))).toEqual(['one@example.com']);
  });

  it('with the path of a JSON seed file', async () => {
    const fake = await start({ seed: tempFile('seed.json', JSON.stringify(sampleSeed())) });
    expect(fake.credentials('Writer Service')).toEqual(SAMPLE_CREDENTIALS.writer);
  });

  it('a bad seed rejects with a SeedError naming the path inside it', async () => {
    const bad = sampleSeed();
    bad.users![0]!.roles = [{ role: 'X', workspace: 'Europe' }];
    await expect(startFakeMarketo({ seed: bad })).rejects.toThrow(SeedError);
    await expect(startFakeMarketo({ seed: bad })).rejects.toThrow('users[0].roles[0].role: no role named "X"');

    const path = tempFile('bad.yaml', 'services:\n  - name: S\n    user: nobody@example.com\n');
    await expect(startFakeMarketo({ seed: path })).rejects.toThrow('services[0].user: no user with email');
    const dir = makeTempDir('fake-marketo-start-');
    dirs.push(dir);
    const missing = join(dir.path, 'missing.yaml');
    await expect(startFakeMarketo({ seed: missing })).rejects.toThrow(`cannot read ${missing}`);
  });

  it('credentials of an unknown service throw', async () => {
    const fake = await start({ seed: sampleSeed() });
    expect(() => fake.credentials('No Such Service')).toThrow(/No Such Service/);
  });

  it('advanceClock moves the instance clock: a token expires after 3600 s', async () => {
    const fake = await start({ seed: sampleSeed() });
    const writer = await token(fake, 'Writer Service');
    fake.advanceClock(3590);
    expect(await leadEmails(fake, writer)).toHaveLength(3);
    fake.advanceClock(10);
    expect(await leadEmails(fake, writer)).toEqual([{ code: '602', message: 'Access token expired' }]);
    const clock = (await getJson(`${fake.url}/admin/clock`)).body;
    expect(Math.abs(clock.offsetSeconds - 3600)).toBeLessThanOrEqual(1);
  });

  it('requests(filter) gives the journal, newest first, secrets redacted', async () => {
    const fake = await start({ seed: sampleSeed() });
    const writer = await token(fake, 'Writer Service');
    await leadEmails(fake, writer);
    await token(fake, 'Reader Service');

    const all = fake.requests();
    expect(all.map((entry) => [entry.path, entry.clientId])).toEqual([
      ['/identity/oauth/token', 'reader-client-id'],
      ['/rest/v1/leads.json', 'writer-client-id'],
      ['/identity/oauth/token', 'writer-client-id'],
    ]);
    expect(all[0]!.query.client_secret).toBe('[redacted]');
    expect(fake.requests({ path: '/rest/**' })).toEqual([all[1]]);
    expect(fake.requests({ clientId: 'writer-client-id', limit: 1 })).toEqual([all[1]]);
    expect(fake.requests({ decision: 'allowed' })).toEqual([all[1]]);
  });

  it('reset() brings back the seed state: data, tokens, journal, clock', async () => {
    const fake = await start({ seed: sampleSeed() });
    const writer = await token(fake, 'Writer Service');
    const synced = await fetch(`${fake.restUrl}/v1/leads.json`, {
      method: 'POST',
      headers: { authorization: `Bearer ${writer}`, 'content-type': 'application/json' },
      body: JSON.stringify({ input: [{ email: 'new@example.com' }] }),
      signal: timeout(),
    });
    expect((await synced.json()).result[0].status).toBe('created');
    fake.advanceClock(7200);

    await fake.reset();
    expect(fake.requests()).toEqual([]);
    const clock = (await getJson(`${fake.url}/admin/clock`)).body;
    expect(clock).toMatchObject({ mode: 'real', offsetSeconds: 0 });
    expect(await leadEmails(fake, writer)).toEqual([{ code: '601', message: 'Access token invalid' }]);
    expect(await leadEmails(fake, await token(fake, 'Writer Service'))).toEqual([
      'ann@example.com',
      'eve@example.com',
      'ken@example.com',
    ]);
  });

  it('passes settings through: config.ADMIN_TOKEN guards the admin plane', async () => {
    const fake = await start({ config: { ADMIN_TOKEN: 'admin-token-123456' } });
    expect((await fetch(`${fake.url}/admin/snapshot`, { signal: timeout() })).status).toBe(401);
    const allowed = await fetch(`${fake.url}/admin/snapshot`, {
      headers: { authorization: 'Bearer admin-token-123456' },
      signal: timeout(),
    });
    expect(allowed.status).toBe(200);
  });

  it('subscriptions in one process share a server, each isolated; close() removes only its own (issue 32)', async () => {
    const one = await start({ seed: sampleSeed() });
    const two = await start({ seed: sampleSeed() });
    expect(new URL(one.url).origin).toBe(new URL(two.url).origin);
    expect(one.munchkinId).not.toBe(two.munchkinId);
    const tokenOne = await token(one, 'Writer Service');
    const synced = await fetch(`${one.restUrl}/v1/leads.json`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokenOne}`, 'content-type': 'application/json' },
      body: JSON.stringify({ input: [{ email: 'only-in-one@example.com' }] }),
      signal: timeout(),
    });
    expect(((await synced.json()) as { success: boolean }).success).toBe(true);
    expect(await leadEmails(one, tokenOne)).toContain('only-in-one@example.com');
    const tokenTwo = await token(two, 'Writer Service');
    expect(await leadEmails(two, tokenTwo)).not.toContain('only-in-one@example.com');
    // One's token is not two's.
    expect(await leadEmails(two, tokenOne)).toEqual([{ code: '601', message: 'Access token invalid' }]);
    // inject reaches the subscription without a socket.
    const injected = await one.inject({ method: 'GET', url: '/admin/clock' });
    expect(injected.statusCode).toBe(200);
    await one.close();
    expect((await getJson(`${one.url}/admin/clock`)).status).toBe(404);
    expect(await leadEmails(two, tokenTwo)).toEqual(['ann@example.com', 'eve@example.com', 'ken@example.com']);
  });

  it('a port or a server-wide setting gives a subscription a server of its own', async () => {
    const shared = await start();
    const own = await start({ config: { LOG_LEVEL: 'silent', RESPONSE_CHECKS: 'fail' } });
    expect(new URL(own.url).origin).not.toBe(new URL(shared.url).origin);
    expect(new URL(own.url).pathname).toBe('/');
  });

  it('close() stops listening', async () => {
    const fake = await start();
    expect((await fetch(`${fake.url}/admin/clock`, { signal: timeout() })).status).toBe(200);
    await fake.close();
    await expect(fetch(`${fake.url}/admin/clock`, { signal: timeout() })).rejects.toThrow();
  });
});

/** The message loadConfig gives the command line for the same value in the environment. */
function cliMessage(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`the CLI accepts ${JSON.stringify(env)}`);
}

describe("startFakeMarketo options are checked like the CLI's settings", () => {
  it.each([
    [{ RATE_LIMITS: 'bogus' }, { RATE_LIMITS: 'bogus' }],
    [{ TOKEN_TTL_SECONDS: -1 }, { TOKEN_TTL_SECONDS: '-1' }],
    [{ LOG_LEVEL: 'loud' }, { LOG_LEVEL: 'loud' }],
    [{ JOURNAL_LIMIT: 0 }, { JOURNAL_LIMIT: '0' }],
    [{ POD: 'Not A Pod' }, { POD: 'Not A Pod' }],
    [{ ACCESS_TOKEN_QUERY: 'sometimes' }, { ACCESS_TOKEN_QUERY: 'sometimes' }],
    [{ ADMIN_TOKEN: 'short' }, { ADMIN_TOKEN: 'short' }],
  ])('config %o rejects with the ConfigError the CLI prints for %o', async (config, env) => {
    const started = startFakeMarketo({ config: config as never });
    await expect(started).rejects.toBeInstanceOf(ConfigError);
    await expect(started).rejects.toThrow(cliMessage(env));
  });

  it('a name that is not a setting is refused, not ignored', async () => {
    const started = startFakeMarketo({ config: { RATE_LIMIT: 'marketo' } as never });
    await expect(started).rejects.toBeInstanceOf(ConfigError);
    await expect(started).rejects.toThrow(/RATE_LIMIT: is not a setting \(the settings are HOST, PORT, .*RATE_LIMITS/);
  });

  it('an unknown option, a seed that is neither a document nor a path, and a config that is not an object', async () => {
    await expect(startFakeMarketo({ seedFile: 'x.yaml' } as never)).rejects.toThrow(
      'seedFile: is not an option (the options are seed, port, host, stubsDir, config)',
    );
    await expect(startFakeMarketo({ seed: 42 } as never)).rejects.toThrow(
      'seed: must be a seed document or the path of a YAML or JSON seed file',
    );
    await expect(startFakeMarketo({ config: 'RATE_LIMITS=marketo' } as never)).rejects.toThrow(
      'config: must be an object of settings',
    );
    await expect(startFakeMarketo('x' as never)).rejects.toBeInstanceOf(ConfigError);
  });

  it('port and host are checked as PORT and HOST are, and named as the options they came from', async () => {
    await expect(startFakeMarketo({ port: -1 })).rejects.toThrow(/^Invalid configuration:\n {2}- port: /);
    await expect(startFakeMarketo({ port: 70000 })).rejects.toThrow(/- port: /);
    await expect(startFakeMarketo({ host: '' })).rejects.toThrow(/- host: /);
    // A non-loopback host needs an admin token, as on the command line.
    await expect(startFakeMarketo({ host: '0.0.0.0' })).rejects.toThrow(/ADMIN_TOKEN: is required when HOST/);
  });

  it('port overrides config.PORT, and config.PORT is used when no port is given', async () => {
    // As a flag over the environment on the command line: the option wins and the setting is not looked at.
    const overridden = await start({ port: 0, config: { PORT: 99999 } });
    expect(overridden.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await expect(startFakeMarketo({ config: { PORT: 99999 } })).rejects.toThrow(/- PORT: /);
    const free = await start({ config: { PORT: 0, RATE_LIMITS: 'marketo' } });
    expect(free.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await getJson(`${free.url}/admin/limits`)).body).toMatchObject({ enabled: true });
  });

  it('a setting given as undefined keeps the in-process default (port 0, in memory)', async () => {
    const fake = await start({ config: { PORT: undefined, DATABASE_PATH: undefined } });
    expect(fake.url).not.toMatch(/:3000$/);
    expect((await getJson(`${fake.url}/health`)).body).toMatchObject({ database: 'memory' });
    expect(testConfig({ DATABASE_PATH: undefined }).DATABASE_PATH).toBe(':memory:');
  });

  it('buildApp checks a config object the same way', async () => {
    await expect(buildApp({ config: { ...testConfig(), LOG_LEVEL: 'loud' as never } })).rejects.toThrow(
      cliMessage({ LOG_LEVEL: 'loud' }),
    );
    expect(() => testConfig({ TOKEN_TTL_SECONDS: 0 })).toThrow(cliMessage({ TOKEN_TTL_SECONDS: '0' }));
  });
});
