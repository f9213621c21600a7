// Drives Swagger UI at /docs in headless Chromium, as a new user would, and checks what it shows:
//   npx tsx scripts/check-swagger-ui.ts            (Debian: apt-get install -y chromium; CHROMIUM=… for another path)
// Not part of `npm test`: it needs a browser. It talks to Chromium over the DevTools protocol on a pipe
// (--remote-debugging-pipe), so it needs no package of its own, and writes tmp/swagger-ui.png to look at.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { startFakeMarketo } from '../src/index.js';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** A DevTools protocol client over Chromium's pipe: JSON messages, each ended by a NUL byte. */
class DevTools {
  private nextId = 1;
  private pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private buffer = '';

  constructor(
    private readonly input: Writable,
    output: Readable,
  ) {
    output.setEncoding('utf8');
    output.on('data', (chunk: string) => {
      this.buffer += chunk;
      for (let end = this.buffer.indexOf('\0'); end >= 0; end = this.buffer.indexOf('\0')) {
        const message = JSON.parse(this.buffer.slice(0, end)) as {
          id?: number;
          result?: unknown;
          error?: { message: string };
        };
        this.buffer = this.buffer.slice(end + 1);
        const waiting = message.id === undefined ? undefined : this.pending.get(message.id);
        if (!waiting) continue;
        this.pending.delete(message.id!);
        if (message.error) waiting.reject(new Error(message.error.message));
        else waiting.resolve(message.result);
      }
    });
  }

  send<T = Record<string, unknown>>(method: string, params: object = {}, sessionId?: string): Promise<T> {
    const id = this.nextId++;
    this.input.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
    });
  }
}

const fake = await startFakeMarketo();
const profile = mkdtempSync(join(tmpdir(), 'fake-marketo-chromium-'));
const chromium = spawn(
  CHROMIUM,
  [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--remote-debugging-pipe',
    `--user-data-dir=${profile}`,
    '--window-size=1280,2400',
    'about:blank',
  ],
  { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] },
);
const devtools = new DevTools(chromium.stdio[3] as Writable, chromium.stdio[4] as Readable);

let failures = 0;
function check(what: string, ok: boolean, detail = ''): void {
  if (!ok) failures++;
  process.stdout.write(`${ok ? 'ok  ' : 'FAIL'}  ${what}${detail ? `: ${detail}` : ''}\n`);
}

try {
  const { targetId } = await devtools.send<{ targetId: string }>('Target.createTarget', { url: 'about:blank' });
  const { sessionId } = await devtools.send<{ sessionId: string }>('Target.attachToTarget', {
    targetId,
    flatten: true,
  });
  const evaluate = async <T>(expression: string): Promise<T> => {
    const { result, exceptionDetails } = await devtools.send<{
      result: { value: T };
      exceptionDetails?: { text: string; exception?: { description?: string } };
    }>('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true }, sessionId);
    if (exceptionDetails) {
      throw new Error(`${exceptionDetails.text} ${exceptionDetails.exception?.description ?? ''} in ${expression}`);
    }
    return result.value;
  };
  const waitFor = async (expression: string, what: string): Promise<void> => {
    const deadline = Date.now() + 15_000;
    while (!(await evaluate<boolean>(`Boolean(${expression})`))) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  /** The operation block of `method path`, opened. */
  const open = async (method: string, path: string): Promise<string> => {
    const selector = `[...document.querySelectorAll('.opblock-${method}')].find((block) => block.querySelector('.opblock-summary-path')?.getAttribute('data-path') === '${path}')`;
    await waitFor(selector, `${method.toUpperCase()} ${path}`);
    await evaluate(`(${selector}).querySelector('button.opblock-summary-control').click()`);
    await waitFor(`(${selector}).querySelector('.opblock-body')`, `${method.toUpperCase()} ${path} opened`);
    return selector;
  };

  // `/` is where a browser goes first.
  await devtools.send('Page.navigate', { url: `${fake.url}/` }, sessionId);
  await waitFor("document.querySelector('.information-container .title')", 'the page');
  const page = await evaluate<{ url: string; title: string; heading: string; description: string; topbar: boolean }>(
    `({
      url: location.pathname,
      title: document.title,
      heading: document.querySelector('.information-container .title').textContent,
      description: document.querySelector('.information-container .description')?.textContent ?? '',
      topbar: Boolean(document.querySelector('.topbar')) || document.body.textContent.includes('Explore'),
    })`,
  );
  check('GET / lands on Swagger UI at /docs', page.url.startsWith('/docs'), page.url);
  check('the tab is titled fake-marketo', page.title === 'fake-marketo: Swagger UI', page.title);
  check('the heading names fake-marketo and its version', /^fake-marketo\s*0\.1\.0/.test(page.heading), page.heading);
  check('no Fastify top bar, no "Explore" box', !page.topbar);
  check(
    'the description names the planes that exist, and no /bulk or /userservice',
    ['/identity/oauth/token', '/rest/v1', '/admin', '/health'].every((path) => page.description.includes(path)) &&
      !/\/bulk|\/userservice/.test(page.description),
  );

  const models = await evaluate<string[]>(
    "[...document.querySelectorAll('.models .model-container')].map((model) => model.getAttribute('data-name'))",
  );
  const duplicates = models.filter((name) => name.endsWith('Input') && models.includes(name.slice(0, -5)));
  check(
    'one schema per shape (no XInput beside X)',
    models.length > 0 && duplicates.length === 0,
    `${models.length} schemas${duplicates.length ? `; duplicated: ${duplicates.join(', ')}` : ''}`,
  );

  // Get Leads by Filter Type: Try it out pre-fills realistic values, and the 200 explains the error envelope.
  const getLeads = await open('get', '/rest/v1/leads.json');
  await evaluate(`(${getLeads}).querySelector('.try-out__btn').click()`);
  await waitFor(`(${getLeads}).querySelector('.parameters input')`, 'Try it out');
  const prefilled = await evaluate<Record<string, string[]>>(
    `Object.fromEntries([...(${getLeads}).querySelectorAll('tr[data-param-name]')].map((row) => [
      row.getAttribute('data-param-name'),
      [...row.querySelectorAll('input:not([type=file]), select, textarea')].map((input) => input.value),
    ]))`,
  );
  check(
    'Try it out pre-fills filterType=email, filterValues=ana@example.mx (not "string")',
    prefilled.filterType?.[0] === 'email' &&
      prefilled.filterValues?.includes('ana@example.mx') === true &&
      !Object.values(prefilled).flat().includes('string'),
    JSON.stringify(prefilled),
  );
  const leadResponses = await evaluate<string>(`(${getLeads}).querySelector('.responses-wrapper').textContent`);
  check(
    "the 200 documents Marketo's error envelope (success:false, 603)",
    leadResponses.includes('success:false') &&
      leadResponses.includes('603') &&
      !leadResponses.includes('Default Response'),
  );

  // Sync Leads: the request body example is a lead, not {"additionalProp1": "string"}.
  const sync = await open('post', '/rest/v1/leads.json');
  const syncText = await evaluate<string>(`(${sync}).querySelector('.opblock-body').textContent`);
  check(
    'the Sync Leads body and the Lead example are realistic',
    syncText.includes('ana@example.mx') && !syncText.includes('additionalProp'),
  );

  // An admin call: its problem responses are listed with their media type.
  const partitions = await open('post', '/admin/partitions');
  const adminText = await evaluate<string>(`(${partitions}).querySelector('.responses-wrapper').textContent`);
  check(
    'admin responses: 201, and 400/401/404/409 problems as application/problem+json',
    ['201', '400', '401', '404', '409', 'Invalid request', 'application/problem+json'].every((text) =>
      adminText.includes(text),
    ) && !adminText.includes('Default Response'),
  );

  // Driving it: Try it out → Execute on /health answers 200 in the page.
  const health = await open('get', '/health');
  await evaluate(`(${health}).querySelector('.try-out__btn').click()`);
  await waitFor(`(${health}).querySelector('.execute')`, 'Execute');
  await evaluate(`(${health}).querySelector('.execute').click()`);
  await waitFor(`(${health}).querySelector('.live-responses-table .response-col_status')`, 'the response');
  const live = await evaluate<string>(`(${health}).querySelector('.live-responses-table').textContent`);
  check('Execute on GET /health shows 200 {"status":"ok", …}', live.includes('200') && live.includes('"status": "ok"'));

  const noString = await evaluate<boolean>(`!document.body.textContent.includes('additionalProp1')`);
  check('no "additionalProp1" anywhere on the page', noString);

  const { data } = await devtools.send<{ data: string }>(
    'Page.captureScreenshot',
    { format: 'png', captureBeyondViewport: false },
    sessionId,
  );
  mkdirSync('tmp', { recursive: true });
  writeFileSync('tmp/swagger-ui.png', Buffer.from(data, 'base64'));
  process.stdout.write('wrote tmp/swagger-ui.png\n');
} catch (error) {
  failures++;
  process.stdout.write(`FAIL  ${error instanceof Error ? error.message : String(error)}\n`);
} finally {
  const exited = new Promise((resolve) => chromium.once('exit', resolve));
  if (chromium.exitCode === null) chromium.kill();
  await exited;
  await fake.close();
  rmSync(profile, { recursive: true, force: true, maxRetries: 5 });
}
process.stdout.write(failures === 0 ? 'Swagger UI: all checks passed\n' : `Swagger UI: ${failures} check(s) failed\n`);
process.exit(failures === 0 ? 0 : 1);
