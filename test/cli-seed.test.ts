import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir, SAMPLE_CREDENTIALS, sampleSeed } from './helpers.js';

/**
 * The CLI with a seed (`--seed file` or SEED_FILE), started as `node --import tsx src/main.ts` so that the process
 * we start is the server itself; every process is killed after its test and after at most PROCESS_TIMEOUT_MS.
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
  'JOURNAL_LIMIT',
  'JOURNAL_MAX_BYTES',
  'LEAST_PRIVILEGE_MAX_BYTES',
  'LEAST_PRIVILEGE_CHECK',
  'TOKEN_TTL_SECONDS',
  'POD',
  'LOG_LEVEL',
];
const PROCESS_TIMEOUT_MS = 15_000;

interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

const running: Running[] = [];
const dirs: { remove(): void }[] = [];

afterEach(async () => {
  for (const handle of running.splice(0)) await stop(handle);
  for (const dir of dirs.splice(0)) dir.remove();
});

function start(args: string[], env: Record<string, string> = {}): Running {
  const cleanEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const variable of CONFIG_VARIABLES) delete cleanEnv[variable];
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    cwd: ROOT,
    env: { ...cleanEnv, LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
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

/** Waits until the banner is complete: the last service's curl line follows the listening line. */
async function waitForBanner(handle: Running): Promise<string> {
  const deadline = Date.now() + PROCESS_TIMEOUT_MS;
  for (;;) {
    const out = handle.stdout();
    // The banner is written in one piece and ends with a blank line.
    if (/fake-marketo is listening on/.test(out) && /\n\n$/.test(out)) return out;
    if (handle.child.exitCode !== null) {
      throw new Error(`exited ${handle.child.exitCode} before the banner\n${out}\n${handle.stderr()}`);
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for the banner\n${out}\n${handle.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function tempDir(): string {
  const dir = makeTempDir('fake-marketo-cli-seed-');
  dirs.push(dir);
  return dir.path;
}

const SEED_YAML = `partitions:
  - name: EMEA
workspaces:
  - name: Europe
    partitions: [EMEA]
roles:
  - name: Lead Reader
    permissions: [read-only-lead]
  - name: Lead Writer
    permissions: [read-write-lead]
users:
  - email: reader@example.com
    roles: [{ role: Lead Reader, workspace: Europe }]
  - email: writer@example.com
    roles: [{ role: Lead Writer, workspace: "*" }]
services:
  - name: Reader Service
    user: reader@example.com
    clientId: reader-client-id
    clientSecret: reader-client-secret
  - name: Writer Service
    user: writer@example.com
    clientId: writer-client-id
    clientSecret: writer-client-secret
leads:
  - { email: ann@example.com, partition: EMEA }
`;

const CURL_LINES = /curl -s '(http:\/\/127\.0\.0\.1:\d+\/identity\/oauth\/token\?[^']+)'/g;

/** Every curl line of the banner gets a token; returns the scopes (API user emails) in banner order. */
async function scopesOfCurlLines(banner: string): Promise<string[]> {
  const scopes: string[] = [];
  for (const [, url] of banner.matchAll(CURL_LINES)) {
    const response = await fetch(url!, { signal: AbortSignal.timeout(5000) });
    expect(response.status).toBe(200);
    scopes.push((await response.json()).scope);
  }
  return scopes;
}

describe('CLI with a seed', () => {
  it('--seed <yaml> --memory --port 0 prints the seeded services’ credentials, each with a working curl line', async () => {
    const path = join(tempDir(), 'subscription.yaml');
    writeFileSync(path, SEED_YAML);
    const server = start(['--seed', path, '--memory', '--port', '0']);
    const banner = await waitForBanner(server);

    for (const [name, credentials] of [
      ['Reader Service', SAMPLE_CREDENTIALS.reader],
      ['Writer Service', SAMPLE_CREDENTIALS.writer],
    ] as const) {
      expect(banner).toContain(
        `  ${name}:\n    client id:     ${credentials.clientId}\n    client secret: ${credentials.clientSecret}\n`,
      );
    }
    // The seed replaces the demo provisioning.
    expect(banner).not.toContain('Demo Service');
    expect(await scopesOfCurlLines(banner)).toEqual(['reader@example.com', 'writer@example.com']);

    const [, baseUrl] = banner.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/)!;
    const snapshot = await (await fetch(`${baseUrl}/admin/snapshot`, { signal: AbortSignal.timeout(5000) })).json();
    expect(snapshot.leads.map((lead: { email: string }) => lead.email)).toEqual(['ann@example.com']);
  });

  it('SEED_FILE from the environment, a JSON file', async () => {
    const path = join(tempDir(), 'subscription.json');
    writeFileSync(path, JSON.stringify(sampleSeed()));
    const server = start(['--memory', '--port', '0'], { SEED_FILE: path });
    const banner = await waitForBanner(server);
    expect(banner).toContain(`client id:     ${SAMPLE_CREDENTIALS.writer.clientId}`);
    expect(banner).toContain(`client secret: ${SAMPLE_CREDENTIALS.writer.clientSecret}`);
    expect(await scopesOfCurlLines(banner)).toEqual(['reader@example.com', 'writer@example.com']);
  });

  it('a bad seed: exit 1, stderr names the path inside the file and what is wrong, nothing listens', async () => {
    const path = join(tempDir(), 'bad.yaml');
    writeFileSync(
      path,
      SEED_YAML.replace('{ role: Lead Reader, workspace: Europe }', '{ role: X, workspace: Europe }'),
    );
    const server = start(['--seed', path, '--memory', '--port', '0']);
    expect(await server.exited).toBe(1);
    expect(server.stderr()).toContain('users[0].roles[0].role: no role named "X"');
    expect(server.stderr()).not.toMatch(/\n\s+at /); // no stack trace
    expect(server.stdout()).not.toContain('listening');
  });

  it('a seed that does not match the schema: exit 1, stderr names the file and the path', async () => {
    const path = join(tempDir(), 'schema.yaml');
    writeFileSync(path, SEED_YAML.replace('email: writer@example.com', 'email: not-an-email'));
    const server = start(['--seed', path, '--memory', '--port', '0']);
    expect(await server.exited).toBe(1);
    expect(server.stderr()).toContain(path);
    expect(server.stderr()).toContain('users[1].email: must look like an email address');
    expect(server.stderr()).not.toMatch(/\n\s+at /);
  });

  it('a seed file that does not exist: exit 1, stderr names it', async () => {
    const path = join(tempDir(), 'missing.yaml');
    const server = start(['--seed', path, '--memory', '--port', '0']);
    expect(await server.exited).toBe(1);
    expect(server.stderr()).toContain(`cannot read ${path}`);
    expect(server.stdout()).not.toContain('listening');
  });

  it('with a file database a bad seed writes nothing: the next start finds it empty and provisions the demo', async () => {
    const dir = tempDir();
    const database = join(dir, 'fake.sqlite');
    const path = join(dir, 'bad.yaml');
    // Everything is fine but the last lead.
    writeFileSync(path, `${SEED_YAML}  - { email: last@example.com, partition: Mars }\n`);
    const failed = start(['--seed', path, '--db', database, '--port', '0']);
    expect(await failed.exited).toBe(1);
    expect(failed.stderr()).toContain('leads[1].partition: no partition named "Mars"');

    const server = start(['--db', database, '--port', '0']);
    const banner = await waitForBanner(server);
    expect(banner).toContain('Demo Service');
    expect(banner).not.toContain('reader-client-id');
  });
});
