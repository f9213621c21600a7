import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeMarketo, startFakeMarketo } from '../../src/index.js';

/**
 * The admin console (GET /console) in a real browser: Debian's Chromium, driven by playwright-core. The walk is the
 * seed's: create a role, an API-only user holding it in a workspace, a LaunchPoint service, View Details, Get Token;
 * then the REST API called with that token holds the role's permission, and the least-privilege screen says so.
 *
 * `.ci/run` installs Chromium where it can (apt-get install chromium); without /usr/bin/chromium this file skips,
 * saying why. CONSOLE_SCREENSHOTS=<dir> writes the screenshots README shows (docs/console/).
 */
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const SKIPPED = hasChromium ? '' : ` (skipped: ${CHROMIUM} is absent; apt-get install -y chromium)`;
if (!hasChromium) console.warn(`console-browser.test.ts${SKIPPED}`);

const ADMIN_TOKEN = 'console-admin-token-0123456789';
const SCREENSHOTS = process.env.CONSOLE_SCREENSHOTS;

/** The flags that work on this kind of machine (no sandbox as root, no network beyond loopback). */
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

describe.skipIf(!hasChromium)(`the admin console in Chromium${SKIPPED}`, () => {
  let fake: FakeMarketo;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    fake = await startFakeMarketo({
      seed: {
        partitions: [{ name: 'Americas Leads' }],
        workspaces: [{ name: 'Americas', partitions: ['Americas Leads'] }],
        leads: [{ email: 'ann@example.com', partition: 'Americas Leads' }],
      },
      config: { ADMIN_TOKEN },
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
    page = await browser.newPage({ viewport: { width: 1000, height: 640 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    if (SCREENSHOTS) mkdirSync(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await fake?.close();
  });

  const admin = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${fake.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${ADMIN_TOKEN}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return response.status === 204 ? undefined : response.json();
  };

  /** The screen has been drawn from the admin plane. */
  const drawn = () => page.waitForSelector('main[aria-busy="false"]');

  /** The page from its top, or one element of it. */
  const screenshot = async (name: string, selector?: string) => {
    if (!SCREENSHOTS) return;
    const path = join(SCREENSHOTS, `${name}.png`);
    if (selector) return void (await page.locator(selector).screenshot({ path }));
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path });
  };

  it('asks for the admin token the server requires, and sends it from script (the page holds no secret)', async () => {
    const html = await (await fetch(`${fake.url}/console`)).text();
    expect(html).not.toContain(ADMIN_TOKEN);
    await page.goto(`${fake.url}/console`);
    await page.waitForSelector('#admin-token');
    await page.fill('#admin-token', 'not-the-token-0123456789');
    await page.click('#sign-in-submit');
    await expect.poll(() => page.textContent('#sign-in')).toContain('That token was refused.');
    await page.fill('#admin-token', ADMIN_TOKEN);
    await page.click('#sign-in-submit');
    await page.waitForSelector('#roles');
    expect(page.url()).not.toContain(ADMIN_TOKEN);
  });

  it('walks the seed: a role, an API-only user with it in a workspace, a service, View Details, Get Token', async () => {
    // Admin > Users & Roles > Roles > New Role, with its Access API tree.
    await page.click('#new-role');
    await page.fill('#role-name', 'Lead Reader');
    await page.fill('#role-description', 'Reads leads');
    await page.getByLabel('Read-Only Lead', { exact: true }).check();
    await screenshot('roles', '#role-form');
    await page.click('#role-save');
    await expect.poll(() => page.textContent('#roles')).toContain('Lead Reader');
    const roles = (await admin('GET', '/admin/roles')).roles as {
      id: number;
      name: string;
      permissionSets: string[];
    }[];
    const role = roles.find((candidate) => candidate.name === 'Lead Reader')!;
    expect(role.permissionSets).toEqual(['read-only-lead']);

    // Users > Invite New User > API Only, the role in the Americas workspace.
    await page.click('#nav-users');
    await drawn();
    await page.click('#new-user');
    await page.fill('#user-email', 'reader@example.com');
    await page.fill('#user-first-name', 'Lead');
    await page.fill('#user-last-name', 'Reader');
    expect(await page.isChecked('#user-api-only')).toBe(true);
    await page.click('#user-add-grant');
    await page.selectOption('#user-grants li:last-child .grant-role', { label: 'Lead Reader' });
    await page.selectOption('#user-grants li:last-child .grant-workspace', { label: 'Americas' });
    await page.click('#user-save');
    await expect.poll(() => page.textContent('#users')).toContain('reader@example.com');
    expect(await page.textContent('#users')).toContain('Lead Reader in Americas');
    const users = (await admin('GET', '/admin/users')).items as { id: number; email: string; roles: unknown[] }[];
    const user = users.find((candidate) => candidate.email === 'reader@example.com')!;
    expect(user.roles).toEqual([{ roleId: role.id, workspaceId: 2 }]);

    // Admin > LaunchPoint > New Service, owned by the user.
    await page.click('#nav-launchpoint');
    await drawn();
    await page.click('#new-service');
    await page.fill('#service-name', 'Reader Service');
    await page.fill('#service-description', 'Reads leads nightly');
    await page.selectOption('#service-user', { label: 'reader@example.com' });
    await page.click('#service-save');
    await expect.poll(() => page.textContent('#services')).toContain('Reader Service');
    const [service] = (await admin('GET', '/admin/services')).items as { id: number; clientId: string }[];
    const { clientSecret } = (await admin('GET', `/admin/services/${service!.id}`)) as { clientSecret: string };
    // Created, but not shown: the secret is in the page only once revealed.
    expect(await page.content()).not.toContain(clientSecret);

    // View Details: the client id; the secret once revealed.
    const row = page.locator('#services tr', { hasText: 'Reader Service' });
    await row.locator('.view-details').click();
    await expect.poll(() => page.textContent('#detail-client-id')).toBe(service!.clientId);
    expect(await page.content()).not.toContain(clientSecret);
    await page.click('#reveal-secret');
    await expect.poll(() => page.textContent('#detail-client-secret')).toBe(clientSecret);

    // The revealed credentials work on the identity endpoint.
    const identity = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: (await page.textContent('#detail-client-id'))!,
      client_secret: (await page.textContent('#detail-client-secret'))!,
    });
    expect((await fetch(`${fake.url}/identity/oauth/token?${identity}`)).status).toBe(200);

    // Get Token: a working token and its expiry.
    await row.locator('.get-token').click();
    await page.waitForSelector('#token-value');
    const token = (await page.textContent('#token-value'))!;
    expect(token).toMatch(/^[0-9a-f-]{36}:ab$/);
    expect(await page.textContent('#token-expires-in')).toMatch(/^3\d{3} s$/);
    const expiresAt = Date.parse((await page.textContent('#token-expires-at'))!);
    expect(expiresAt - Date.now()).toBeGreaterThan(3500_000);
    expect(expiresAt - Date.now()).toBeLessThan(3700_000);
    await screenshot('launchpoint');

    // The REST API with that token: the role's permission holds — reads in Americas' partition, no writes.
    const headers = { authorization: `Bearer ${token}` };
    const read = await fetch(`${fake.url}/rest/v1/leads.json?filterType=email&filterValues=ann@example.com`, {
      headers,
    });
    const readBody = (await read.json()) as { success: boolean; result: { email: string }[] };
    expect(readBody.success).toBe(true);
    expect(readBody.result.map((lead) => lead.email)).toEqual(['ann@example.com']);
    const write = await fetch(`${fake.url}/rest/v1/leads.json`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ input: [{ email: 'new@example.com' }] }),
    });
    expect(await write.json()).toMatchObject({ success: false, errors: [{ code: '603', message: 'Access denied' }] });
  });

  it('shows the journal with each call’s decision', async () => {
    await page.click('#nav-requests');
    await drawn();
    const rows = page.locator('#requests tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(3);
    const denied = page.locator('#requests tr', { hasText: 'POST' }).first();
    expect(await denied.textContent()).toMatch(/denied: needs Read-Write Lead/);
    await page.selectOption('#filter-decision', 'allowed');
    await page.click('#requests-refresh');
    await expect.poll(() => page.locator('#requests .denied').count()).toBe(0);
    expect(await page.locator('#requests .allowed').count()).toBeGreaterThan(0);
  });

  it("shows the user's least-privilege report, and creates its role", async () => {
    await page.click('#nav-least-privilege');
    await drawn();
    await page.selectOption('#lp-user', { label: 'reader@example.com' });
    await expect.poll(() => page.textContent('#lp-summary')).toContain('2 calls observed, 1 denied');
    const americas = page.locator('.workspace-report[data-workspace="Americas"]');
    expect(await americas.locator('.needed').textContent()).toBe('Read-Only Lead');
    expect(await americas.locator('.unused').textContent()).toBe('—');
    expect(await americas.textContent()).toContain('POST /rest/v1/leads.json');
    await screenshot('least-privilege');
    await page.click('#lp-create-role');
    await expect
      .poll(() => page.textContent('#messages'))
      .toContain('Role "Least privilege: reader@example.com" created');
    const roles = (await admin('GET', '/admin/roles')).roles as { name: string; permissionSets: string[] }[];
    expect(roles.find((role) => role.name === 'Least privilege: reader@example.com')?.permissionSets).toEqual([
      'read-only-lead',
    ]);
    await page.click('#lp-show-seed');
    await expect.poll(() => page.textContent('#lp-seed')).toContain('- read-only-lead');
  });

  it('shows names as text, never as markup (names are user input)', async () => {
    const name = '<img src=x onerror="window.__injected=1">';
    await admin('POST', '/admin/roles', { name, description: '<b>bold</b>' });
    await page.click('#nav-roles');
    await drawn();
    await expect.poll(() => page.textContent('#roles')).toContain(name);
    expect(await page.locator('#roles img, #roles b').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __injected?: number }).__injected)).toBeUndefined();
    // A problem answer is shown as text too.
    await page.click('#new-role');
    await page.fill('#role-name', name);
    await page.click('#role-save');
    await expect.poll(() => page.textContent('#messages')).toContain('409');
    expect(pageErrors).toEqual([]);
  });

  it("at a subscription's base URL, manages that subscription only (issue 32)", async () => {
    const created = await admin('POST', '/admin/subscriptions', {
      seed: { roles: [{ name: 'Only In This Subscription', permissions: ['read-only-lead'] }] },
    });
    try {
      await page.goto(`${created.baseUrl}/console`);
      await page.waitForSelector('#admin-token');
      await page.fill('#admin-token', ADMIN_TOKEN);
      await page.click('#sign-in-submit');
      await page.waitForSelector('#roles');
      await expect.poll(() => page.textContent('#roles')).toContain('Only In This Subscription');
      // The root's roles (made by the tests above) are not this subscription's.
      expect(await page.textContent('#roles')).not.toContain('<img src=x');
      await page.click('#new-role');
      await page.fill('#role-name', 'Made Here');
      await page.click('#role-save');
      await expect
        .poll(async () => JSON.stringify(await admin('GET', `/${created.munchkinId}/admin/roles`)))
        .toContain('Made Here');
      expect(JSON.stringify(await admin('GET', '/admin/roles'))).not.toContain('Made Here');
      expect(pageErrors).toEqual([]);
    } finally {
      await admin('DELETE', `/admin/subscriptions/${created.munchkinId}`);
    }
  });
});
