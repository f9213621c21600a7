import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildBundle } from '../scripts/bundle.js';

/**
 * The CLI as a user runs it (`npx tsx src/main.ts`), here as `node --import tsx src/main.ts` so that the
 * process we start is the server itself and killing it leaves nothing behind.
 */

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CONFIG_VARIABLES = [
  'HOST',
  'PORT',
  'DATABASE_PATH',
  'ADMIN_TOKEN',
  'SEED_FILE',
  'ACCESS_TOKEN_QUERY',
  'RATE_LIMITS',
  'TOKEN_TTL_SECONDS',
  'POD',
  'LOG_LEVEL',
  'JOURNAL_LIMIT',
  'JOURNAL_MAX_BYTES',
  'LEAST_PRIVILEGE_MAX_BYTES',
  'LEAST_PRIVILEGE_CHECK',
  'DEMO_CLIENT_ID',
  'DEMO_CLIENT_SECRET',
  'DEMO_PERMISSIONS',
];
const PROCESS_TIMEOUT_MS = 15_000;

interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

const running: Running[] = [];
const tempDirs: string[] = [];

afterEach(async () => {
  for (const process of running.splice(0)) await stop(process);
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function start(args: string[], env: Record<string, string> = {}, main = ['--import', 'tsx', 'src/main.ts']): Running {
  return spawnRunning(process.execPath, [...main, ...args], env);
}

function spawnRunning(command: string, args: string[], env: Record<string, string>): Running {
  const cleanEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const variable of CONFIG_VARIABLES) delete cleanEnv[variable];
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...cleanEnv, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // Bounded: whatever happens, the process does not outlive its test by more than the timeout.
  const timer = setTimeout(() => child.kill('SIGKILL'), PROCESS_TIMEOUT_MS);
  void exited.then(() => clearTimeout(timer));
  const handle = { child, stdout: () => stdout, stderr: () => stderr, exited };
  running.push(handle);
  return handle;
}

async function stop(handle: Running): Promise<void> {
  if (handle.child.exitCode === null && handle.child.signalCode === null) handle.child.kill('SIGKILL');
  await handle.exited;
}

async function waitFor(handle: Running, pattern: RegExp): Promise<RegExpMatchArray> {
  const deadline = Date.now() + PROCESS_TIMEOUT_MS;
  for (;;) {
    const match = handle.stdout().match(pattern);
    if (match) return match;
    if (handle.child.exitCode !== null) {
      throw new Error(
        `exited ${handle.child.exitCode} before printing ${pattern}\n${handle.stdout()}\n${handle.stderr()}`,
      );
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${pattern}\n${handle.stdout()}\n${handle.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fake-marketo-main-'));
  tempDirs.push(dir);
  return dir;
}

const CURL_LINE = /curl -s '(http:\/\/127\.0\.0\.1:\d+\/identity\/oauth\/token\?[^']+)'/;
const LISTENING = /fake-marketo is listening on (http:\/\/127\.0\.0\.1:\d+)/;

describe('src/main.ts', () => {
  it('refuses to start on a non-loopback HOST without ADMIN_TOKEN: exit 1, a readable message, no listening', async () => {
    const server = start([], { HOST: '0.0.0.0', DATABASE_PATH: ':memory:' });
    expect(await server.exited).toBe(1);
    expect(server.stderr()).toContain('ADMIN_TOKEN');
    expect(server.stderr()).toContain('0.0.0.0');
    expect(server.stderr()).not.toMatch(/\n\s+at /); // no stack trace
    expect(server.stdout()).not.toContain('listening');
  });

  it('exits 1 with a message naming the setting when the configuration is bad', async () => {
    const server = start([], { PORT: 'not-a-port', DATABASE_PATH: ':memory:' });
    expect(await server.exited).toBe(1);
    expect(server.stderr()).toMatch(/Invalid configuration/);
    expect(server.stderr()).toContain('PORT');
    expect(server.stderr()).not.toMatch(/\n\s+at /);
  });

  it('exits 1 and prints the usage for an unknown flag', async () => {
    const server = start(['--no-such-flag']);
    expect(await server.exited).toBe(1);
    expect(server.stderr()).toContain('Usage: fake-marketo');
  });

  it('logs JSON lines when stdout is not a terminal', async () => {
    const server = start(['--memory', '--port', '0']);
    await waitFor(server, LISTENING);
    // The log line, wherever it falls beside the banner (the two writers may interleave on a loaded machine).
    const line = server
      .stdout()
      .split('\n')
      .find((text) => text.includes('Server listening at'))!;
    expect(JSON.parse(line)).toMatchObject({ level: 30, msg: expect.stringMatching(/^Server listening at http/) });
  });

  // A terminal needs a pseudo-terminal, which Node cannot open: util-linux's `script` (in every Debian) gives one.
  it.runIf(existsSync('/usr/bin/script'))('logs readable lines when stdout is a terminal', async () => {
    const command = `'${process.execPath}' --import tsx src/main.ts --memory --port 0`;
    const server = spawnRunning('/usr/bin/script', ['-qec', command, '/dev/null'], { NO_COLOR: '1' });
    await waitFor(server, LISTENING);
    expect(server.stdout()).toMatch(
      /^\d\d:\d\d:\d\d\.\d{3} INFO {2}Server listening at http:\/\/127\.0\.0\.1:\d+\r?\n/m,
    );
    expect(server.stdout()).not.toContain('{"level"');
    server.child.kill('SIGTERM');
    await server.exited;
  });

  it('--help prints the usage and exits 0', async () => {
    const server = start(['--help']);
    expect(await server.exited).toBe(0);
    expect(server.stdout()).toContain('--memory');
  });

  it('--version prints the package version and exits 0 (issue 23, item 19)', async () => {
    const server = start(['--version']);
    expect(await server.exited).toBe(0);
    expect(server.stdout()).toBe(`${JSON.parse(readFileSync('package.json', 'utf8')).version}\n`);
  });

  it('on first start prints the demo credentials and a curl line that gets a token', async () => {
    const server = start(['--memory', '--port', '0'], { LOG_LEVEL: 'silent' });
    const [, url] = await waitFor(server, CURL_LINE);
    const [, clientId] = server.stdout().match(/client id:\s+(\S+)/)!;
    const [, clientSecret] = server.stdout().match(/client secret:\s+(\S+)/)!;
    const params = new URL(url!).searchParams;
    expect(params.get('client_id')).toBe(clientId);
    expect(params.get('client_secret')).toBe(clientSecret);
    expect(params.get('grant_type')).toBe('client_credentials');

    const response = await fetch(url!);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      access_token: expect.stringMatching(/^[0-9a-f-]{36}:ab$/),
      token_type: 'bearer',
      expires_in: 3599,
      scope: 'demo-api-user@fake-marketo.local',
    });
  });

  it('shuts down cleanly on SIGTERM (exit 0)', async () => {
    const server = start(['--memory', '--port', '0'], { LOG_LEVEL: 'silent' });
    await waitFor(server, LISTENING);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('never writes a client secret to the log, even at LOG_LEVEL=debug (every request logged) with a file database', async () => {
    const dir = tempDir();
    const server = start([], { PORT: '0', DATABASE_PATH: join(dir, 'fake.sqlite'), LOG_LEVEL: 'debug' });
    const [, baseUrl] = await waitFor(server, LISTENING);
    const curl = await waitFor(server, CURL_LINE);
    const bannerEnd = curl.index! + curl[0].length;

    const role = await (
      await fetch(`${baseUrl}/admin/roles`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Logged', permissionSets: ['read-only-lead'] }),
      })
    ).json();
    const user = await (
      await fetch(`${baseUrl}/admin/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          email: 'logged@example.com',
          apiOnly: true,
          roles: [{ roleId: role.id, workspaceId: 1 }],
        }),
      })
    ).json();
    const secret = 'TopSecretValue0123456789abcdef';
    const created = await fetch(`${baseUrl}/admin/services`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Logged', apiOnlyUserId: user.id, clientId: 'logged-client', clientSecret: secret }),
    });
    expect(created.status).toBe(201);
    const service = await created.json();
    expect((await fetch(`${baseUrl}/admin/services/${service.id}`)).status).toBe(200);

    const query = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'logged-client',
      client_secret: secret,
    });
    expect((await fetch(`${baseUrl}/identity/oauth/token?${query}`)).status).toBe(200);
    expect((await fetch(`${baseUrl}/identity/oauth/token?${query}`, { method: 'POST' })).status).toBeLessThan(500);
    expect((await fetch(`${baseUrl}/identity/oauth/token`, { method: 'POST', body: query })).status).toBe(200);
    const wrongSecret = 'WrongSecretValue0123456789xyz';
    const wrong = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'logged-client',
      client_secret: wrongSecret,
    });
    expect((await fetch(`${baseUrl}/identity/oauth/token?${wrong}`)).status).toBe(401);
    expect(
      (await fetch(`${baseUrl}/identity/oauth/token?client_secret=${secret}&client_id=x&client_secret=y`)).status,
    ).toBe(400);

    server.child.kill('SIGTERM');
    await server.exited;
    const output = server.stdout() + server.stderr();
    // The requests were logged (so this test can see a leak)...
    expect(output).toContain('/identity/oauth/token');
    expect(output).toContain('client_secret=[redacted]');
    // ...but no secret is: not the service's, not a wrong one, and the demo's only in the start-up banner.
    expect(output).not.toContain(secret);
    expect(output).not.toContain(wrongSecret);
    const [, demoSecret] = server.stdout().match(/client secret:\s+(\S+)/)!;
    expect(server.stdout().slice(bannerEnd)).not.toContain(demoSecret);
    expect(server.stderr()).not.toContain(demoSecret!);
  });
});

describe('the start-up banner', () => {
  it('shows the first five services of a large subscription and counts the rest', async () => {
    const dir = tempDir();
    const seedFile = join(dir, 'seed.json');
    const services = Array.from({ length: 7 }, (_, i) => ({
      name: `Service ${i + 1}`,
      user: 'api@example.com',
      clientId: `client-id-${i + 1}`,
      clientSecret: `client-secret-${i + 1}`,
    }));
    writeFileSync(
      seedFile,
      JSON.stringify({
        roles: [{ name: 'Leads', permissions: ['read-only-lead'] }],
        users: [{ email: 'api@example.com', roles: [{ role: 'Leads', workspace: 'Default' }] }],
        services,
      }),
    );
    const server = start(['--memory', '--port', '0', '--seed', seedFile], { LOG_LEVEL: 'silent' });
    await waitFor(server, /more \(GET \/admin\/services\)/);
    const banner = server.stdout();
    for (let i = 1; i <= 5; i++) expect(banner).toContain(`client id:     client-id-${i}\n`);
    expect(banner).not.toContain('client-id-6');
    expect(banner).toContain('… and 2 more (GET /admin/services)');
  });
});

describe('the bundled CLI (dist/fake-marketo.mjs, the package bin)', () => {
  // Built here from the sources with the same options as `npm run build`, so the test never runs a stale bundle.
  const bundle = join(ROOT, 'dist', 'test-bundle', 'fake-marketo.mjs');
  // The loader writes the program's code cache a second after a start without one (scripts/bundle.ts).
  const codeCache = join(dirname(bundle), `.fake-marketo.cjs.${process.version}.${process.arch}.cache`);
  beforeAll(async () => {
    rmSync(codeCache, { force: true });
    await buildBundle(bundle);
  }, 60_000);

  async function servesUsersCalls(server: Running): Promise<void> {
    const [, tokenUrl] = await waitFor(server, CURL_LINE);
    const [, baseUrl] = await waitFor(server, LISTENING);
    const token = (await (await fetch(tokenUrl!)).json()) as { access_token: string; expires_in: number };
    expect(token.expires_in).toBe(3599);
    const lead = await fetch(`${baseUrl}/rest/v1/leads.json`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ input: [{ email: 'bundle@example.com' }] }),
    });
    const [created] = ((await lead.json()) as { result: { id: number; status: string }[] }).result;
    expect(created!.status).toBe('created');
    // A route with a path parameter, through the router's functions the bundle compiles on first use.
    const byId = await fetch(`${baseUrl}/rest/v1/lead/${created!.id}.json`, {
      headers: { authorization: `Bearer ${token.access_token}` },
    });
    expect(((await byId.json()) as { result: { email: string }[] }).result).toEqual([
      expect.objectContaining({ id: created!.id, email: 'bundle@example.com' }),
    ]);
    const docs = await fetch(`${baseUrl}/docs/`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger-ui');
    // The console's script is served as its own source: bundled, it is still a script a browser can run.
    const script = await (await fetch(`${baseUrl}/console/console.js`)).text();
    expect(() => new Script(script)).not.toThrow();
    expect(script).toContain('/admin/permissions');
  }

  it('starts on a file database, answers a token request and lead calls, and serves Swagger UI — compiled, then in memory from the code cache the first start wrote', async () => {
    const dir = tempDir();
    // A database each: a restart on one prints no secret (issue 11), and the token URL is what this test follows.
    const args = (name: string) => ['--db', join(dir, name), '--port', '0'];
    const first = start(args('compiled.sqlite'), { LOG_LEVEL: 'silent' }, [bundle]);
    await servesUsersCalls(first);
    await expect.poll(() => existsSync(codeCache), { timeout: 5_000, interval: 100 }).toBe(true);
    await stop(first);
    const written = statSync(codeCache).mtimeMs;
    // Swagger UI is loaded on the first visit: from the cache, an import() would have lost its callback (a 500).
    // In memory, the start copies the migrated database the bundle carries (scripts/bundle.ts).
    const cached = start(['--memory', '--port', '0'], { LOG_LEVEL: 'silent' }, [bundle]);
    await servesUsersCalls(cached);
    // The cache was used: a start whose cache V8 rejects writes a new one a second after it began.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(statSync(codeCache).mtimeMs).toBe(written);
  });
});

describe('the start-up banner prints a secret only for a service this start created (issue 11)', () => {
  it('a restart on a file database prints client ids and where to read secrets, no secret', async () => {
    const dir = tempDir();
    const env = { PORT: '0', DATABASE_PATH: join(dir, 'banner.sqlite'), LOG_LEVEL: 'silent' };
    const first = start([], env);
    const [, baseUrl] = await waitFor(first, LISTENING);
    await waitFor(first, CURL_LINE);
    const [, demoSecret] = first.stdout().match(/client secret:\s+(\S+)/)!;
    const role = await (
      await fetch(`${baseUrl}/admin/roles`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Banner', permissionSets: ['read-only-lead'] }),
      })
    ).json();
    const user = await (
      await fetch(`${baseUrl}/admin/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          email: 'banner@example.com',
          apiOnly: true,
          roles: [{ roleId: role.id, workspaceId: 1 }],
        }),
      })
    ).json();
    const secret = 'AdminCreatedSecret0123456789abc';
    const created = await fetch(`${baseUrl}/admin/services`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Banner', apiOnlyUserId: user.id, clientId: 'banner-client', clientSecret: secret }),
    });
    expect(created.status).toBe(201);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = start([], env);
    const [, secondUrl] = await waitFor(second, LISTENING);
    await waitFor(second, /client id:\s+banner-client\n.*\n/);
    const banner = second.stdout();
    expect(banner).not.toContain(demoSecret);
    expect(banner).not.toContain(secret);
    expect(banner).toContain(`client secret: GET ${secondUrl}/admin/services/1\n`);
    expect(banner).toContain(`client secret: GET ${secondUrl}/admin/services/2\n`);
    // Where the banner points, the secret is.
    expect((await (await fetch(`${secondUrl}/admin/services/2`)).json()).clientSecret).toBe(secret);
  });
});

describe('acknowledged tokens survive kill -9 (issue 11)', () => {
  // End to end, as the defect was found. The window it closed (an answer sent before its token's batch is written,
  // about a millisecond under load) is too narrow to hit on every run; test/http/reliability.test.ts checks
  // deterministically that an answered token is already committed.
  it('every token answered 200 before the kill is accepted after the restart', async () => {
    const dir = tempDir();
    const seedFile = join(dir, 'seed.json');
    const clients = Array.from({ length: 3000 }, (_, i) => ({
      name: `Service ${i}`,
      user: 'api@example.com',
      clientId: `kill-client-${i}`,
      clientSecret: `kill-secret-${i}`,
    }));
    writeFileSync(
      seedFile,
      JSON.stringify({
        roles: [{ name: 'Leads', permissions: ['read-only-lead'] }],
        users: [{ email: 'api@example.com', roles: [{ role: 'Leads', workspace: 'Default' }] }],
        services: clients,
      }),
    );
    const env = { PORT: '0', DATABASE_PATH: join(dir, 'kill.sqlite'), SEED_FILE: seedFile, LOG_LEVEL: 'silent' };
    const first = start([], env);
    const [, baseUrl] = await waitFor(first, LISTENING);
    const answered: string[] = [];
    let next = 0;
    let killed = false;
    const worker = async () => {
      while (!killed && next < clients.length) {
        const client = clients[next++]!;
        const query = new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: client.clientId,
          client_secret: client.clientSecret,
        });
        try {
          const response = await fetch(`${baseUrl}/identity/oauth/token?${query}`);
          if (response.status === 200)
            answered.push(((await response.json()) as { access_token: string }).access_token);
        } catch {
          return; // the server is gone
        }
      }
    };
    const workers = Array.from({ length: 16 }, worker);
    // Killed in the middle of the stream of token requests.
    await new Promise((resolve) => setTimeout(resolve, 600));
    first.child.kill('SIGKILL');
    killed = true;
    await first.exited;
    await Promise.all(workers);
    expect(answered.length).toBeGreaterThan(50);

    const second = start([], env);
    const [, secondUrl] = await waitFor(second, LISTENING);
    const lost: string[] = [];
    for (let i = 0; i < answered.length; i += 50) {
      await Promise.all(
        answered.slice(i, i + 50).map(async (token) => {
          const response = await fetch(`${secondUrl}/rest/v1/leads/partitions.json`, {
            headers: { authorization: `Bearer ${token}` },
          });
          const body = (await response.json()) as { success: boolean };
          if (!body.success) lost.push(token);
        }),
      );
    }
    expect(lost).toEqual([]);
  }, 30_000);
});

describe('acknowledged imports survive kill -9 (issue 25)', () => {
  it('an import answered Queued is there after a kill -9 and completes; what it imported is there after another', async () => {
    const dir = tempDir();
    const seedFile = join(dir, 'seed.json');
    const client = { clientId: 'import-client', clientSecret: 'import-secret' };
    writeFileSync(
      seedFile,
      JSON.stringify({
        roles: [{ name: 'Importer', permissions: ['read-write-lead'] }],
        users: [{ email: 'importer@example.com', roles: [{ role: 'Importer', workspace: 'Default' }] }],
        services: [{ name: 'Importer', user: 'importer@example.com', ...client }],
      }),
    );
    const env = { PORT: '0', DATABASE_PATH: join(dir, 'import.sqlite'), SEED_FILE: seedFile, LOG_LEVEL: 'silent' };
    const bearer = async (base: string) => {
      const query = new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: client.clientId,
        client_secret: client.clientSecret,
      });
      const { access_token } = (await (await fetch(`${base}/identity/oauth/token?${query}`)).json()) as {
        access_token: string;
      };
      return { authorization: `Bearer ${access_token}` };
    };
    const rows = Array.from({ length: 300 }, (_, i) => `kill${i}@example.com,Row ${i}`);
    const form = new FormData();
    form.append('file', new Blob([`email,firstName\n${rows.join('\n')}\n`], { type: 'text/csv' }), 'leads.csv');

    const first = start([], env);
    const firstUrl = (await waitFor(first, LISTENING))[1]!;
    const queued = (await (
      await fetch(`${firstUrl}/bulk/v1/leads.json?format=csv`, {
        method: 'POST',
        headers: await bearer(firstUrl),
        body: form,
      })
    ).json()) as { result: { batchId: number; status: string }[] };
    expect(queued.result[0]!.status).toBe('Queued');
    const { batchId } = queued.result[0]!;
    first.child.kill('SIGKILL');
    await first.exited;

    const second = start([], env);
    const secondUrl = (await waitFor(second, LISTENING))[1]!;
    const status = async (base: string) =>
      (
        (await (
          await fetch(`${base}/bulk/v1/leads/batch/${batchId}.json`, { headers: await bearer(base) })
        ).json()) as {
          result: { status: string; numOfLeadsProcessed: number }[];
        }
      ).result[0]!;
    expect((await status(secondUrl)).status).toMatch(/^(Queued|Importing|Complete)$/);
    // The fake's clock past the queue: each call then runs the import's steps.
    await fetch(`${secondUrl}/admin/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceSeconds: 10 }),
    });
    let done = await status(secondUrl);
    for (let polls = 0; done.status !== 'Complete' && polls < 50; polls++) done = await status(secondUrl);
    expect(done).toMatchObject({ status: 'Complete', numOfLeadsProcessed: 300 });
    second.child.kill('SIGKILL');
    await second.exited;

    const third = start([], env);
    const thirdUrl = (await waitFor(third, LISTENING))[1]!;
    expect(await status(thirdUrl)).toMatchObject({ status: 'Complete', numOfLeadsProcessed: 300 });
    const found = (await (
      await fetch(
        `${thirdUrl}/rest/v1/leads.json?filterType=email&filterValues=kill0@example.com,kill299@example.com`,
        {
          headers: await bearer(thirdUrl),
        },
      )
    ).json()) as { result: { email: string }[] };
    expect(found.result.map((lead) => lead.email)).toEqual(['kill0@example.com', 'kill299@example.com']);
  }, 30_000);
});

describe('LEAST_PRIVILEGE_CHECK=fail (issue 31)', () => {
  const DEMO = { DEMO_CLIENT_ID: 'ci-client-id', DEMO_CLIENT_SECRET: 'ci-client-secret-0123456789' };

  async function readLeads(base: string): Promise<void> {
    const query = new URLSearchParams({ grant_type: 'client_credentials', client_id: DEMO.DEMO_CLIENT_ID });
    query.set('client_secret', DEMO.DEMO_CLIENT_SECRET);
    const { access_token } = (await (await fetch(`${base}/identity/oauth/token?${query}`)).json()) as {
      access_token: string;
    };
    const leads = await fetch(`${base}/rest/v1/leads.json?filterType=id&filterValues=1`, {
      headers: { authorization: `Bearer ${access_token}` },
    });
    expect(((await leads.json()) as { success: boolean }).success).toBe(true);
  }

  /** Starts with the demo role holding `permissions`, reads leads once, stops: the exit code and stderr. */
  async function readLeadsAndStop(permissions: string): Promise<{ code: number | null; stderr: string }> {
    const server = start(['--memory', '--port', '0'], {
      ...DEMO,
      DEMO_PERMISSIONS: permissions,
      LEAST_PRIVILEGE_CHECK: 'fail',
      LOG_LEVEL: 'silent',
    });
    const [, base] = await waitFor(server, LISTENING);
    await readLeads(base!);
    server.child.kill('SIGTERM');
    return { code: await server.exited, stderr: server.stderr() };
  }

  it('stopping the server reports an integration holding permissions it never used, and exits 1', async () => {
    const { code, stderr } = await readLeadsAndStop('read-only-lead,read-only-assets');
    expect(code).toBe(1);
    expect(stderr).toContain('LEAST_PRIVILEGE_CHECK=fail');
    expect(stderr).toContain(
      'demo-api-user@fake-marketo.local (service Demo Service), 1 call(s): in Default holds read-only-assets never ' +
        'needed (needed: read-only-lead)',
    );
  });

  it('exits 0 when every permission held was needed', async () => {
    expect(await readLeadsAndStop('read-only-lead')).toEqual({ code: 0, stderr: '' });
  });
});

describe('in a container or a CI job (issue 18)', () => {
  const DEMO = {
    DEMO_CLIENT_ID: 'ci-client-id',
    DEMO_CLIENT_SECRET: 'ci-client-secret-0123456789',
    DEMO_PERMISSIONS: 'read-only-lead, read-write-activity',
  };
  const LISTENING = /fake-marketo is listening on (http:\/\/127\.0\.0\.1:\d+)/;

  async function tokenWith(base: string, clientId: string, clientSecret: string): Promise<Response> {
    const query = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    });
    return fetch(`${base}/identity/oauth/token?${query}`);
  }

  it('the demo service takes its credentials and permissions from DEMO_*, keeps them on reset, and the banner prints no given secret', async () => {
    const server = start(['--memory', '--port', '0'], DEMO);
    const [, base] = await waitFor(server, LISTENING);
    const banner = server.stdout();
    expect(banner).toContain('client id:     ci-client-id');
    expect(banner).toContain('client secret: (as given in DEMO_CLIENT_SECRET)');
    expect(banner).toContain(
      `curl -s "${base}/identity/oauth/token?grant_type=client_credentials&client_id=ci-client-id&client_secret=$DEMO_CLIENT_SECRET"`,
    );
    expect(banner + server.stderr()).not.toContain(DEMO.DEMO_CLIENT_SECRET);
    const token = await tokenWith(base!, DEMO.DEMO_CLIENT_ID, DEMO.DEMO_CLIENT_SECRET);
    expect(token.status).toBe(200);
    const roles = (await (await fetch(`${base}/admin/roles`)).json()) as {
      roles: { name: string; permissionSets: string[] }[];
    };
    expect(roles.roles.find((role) => role.name === 'Demo API Role')?.permissionSets.sort()).toEqual([
      'read-only-lead',
      'read-write-activity',
    ]);
    expect((await fetch(`${base}/admin/reset`, { method: 'POST' })).status).toBe(204);
    expect((await tokenWith(base!, DEMO.DEMO_CLIENT_ID, DEMO.DEMO_CLIENT_SECRET)).status).toBe(200);
  });

  it('bound to every interface (as a container must), it prints an address a user can call, not 0.0.0.0', async () => {
    const server = start(['--memory', '--port', '0', '--host', '0.0.0.0'], { ADMIN_TOKEN: 'ci-admin-token-0123' });
    const [, base] = await waitFor(server, LISTENING);
    const banner = server.stdout().slice(server.stdout().indexOf('fake-marketo is listening'));
    expect(banner).not.toContain('0.0.0.0');
    expect(banner).toContain('on every interface');
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect((await fetch(`${base}/admin/services`)).status).toBe(401);
  });

  it('bound to every interface without ADMIN_TOKEN, it stops with the docker run line to use', async () => {
    const server = start(['--memory', '--host', '0.0.0.0']);
    expect(await server.exited).toBe(1);
    expect(server.stderr()).toContain('ADMIN_TOKEN: is required when HOST is not a loopback address (HOST=0.0.0.0)');
    expect(server.stderr()).toContain('docker run -p 3000:3000 -e ADMIN_TOKEN=<a-secret-of-your-own> fake-marketo');
  });

  it('DEMO_* are ignored, with a warning saying why, on a database that already holds a subscription', async () => {
    const dir = tempDir();
    const db = join(dir, 'kept.sqlite');
    const first = start(['--db', db, '--port', '0']);
    await waitFor(first, LISTENING);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    const second = start(['--db', db, '--port', '0'], { ...DEMO, LOG_LEVEL: 'warn' });
    const [, base] = await waitFor(second, LISTENING);
    // The log's writes to stdout are asynchronous: the warning may come after the banner.
    await waitFor(
      second,
      /DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_PERMISSIONS ignored: the database already holds a subscription/,
    );
    expect((await tokenWith(base!, DEMO.DEMO_CLIENT_ID, DEMO.DEMO_CLIENT_SECRET)).status).toBe(401);
  });

  it('an unknown permission in DEMO_PERMISSIONS stops the start, naming it', async () => {
    const server = start(['--memory'], { DEMO_PERMISSIONS: 'read-only-lead,read-only-leads' });
    expect(await server.exited).toBe(1);
    expect(server.stderr()).toContain('DEMO_PERMISSIONS');
    expect(server.stderr()).toContain('unknown permission "read-only-leads"');
  });

  it('started by npm (npm start, npx), it stops when npm is stopped, which does not pass SIGTERM on (issue 23, item 16)', async () => {
    const dir = tempDir();
    const db = join(dir, 'npm.sqlite');
    // What npm does with `npm start` / `npx`: runs the bin as its child with npm_command set, and on SIGTERM exits
    // without signalling it.
    const launcher = `
      const { spawn } = require('node:child_process');
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--db', ${JSON.stringify(db)}, '--port', '0'],
        { stdio: 'inherit', env: { ...process.env, npm_command: 'run-script' } });
      process.on('SIGTERM', () => process.exit(143));`;
    const npm = spawnRunning(process.execPath, ['-e', launcher], {});
    const [, base] = await waitFor(npm, LISTENING);
    expect((await fetch(`${base}/health`)).status).toBe(200);
    npm.child.kill('SIGTERM');
    expect(await npm.exited).toBe(143);
    // The server saw npm go, closed its database and stopped listening.
    const deadline = Date.now() + 5000;
    let answering = true;
    while (answering && Date.now() < deadline) {
      answering = await fetch(`${base}/health`).then(
        () => true,
        () => false,
      );
      if (answering) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(answering).toBe(false);
    const next = start(['--db', db, '--port', '0']);
    await waitFor(next, LISTENING);
  });
});
