import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { SeedInput } from '../../../src/seed.js';
import { buildApp } from '../../../src/app.js';
import { frozenClock } from '../../../src/clock.js';
import { testConfig } from '../../../src/config.js';
import { MIGRATIONS } from '../../../src/families.js';
import { type Database, openDatabase } from '../../../src/storage/database.js';
import { call, tokenFor } from '../../helpers.js';

/**
 * The subscription the emails tests share: workspaces Default and Other; a writer (Read-Write Assets in Default,
 * Read-Only Assets in Other), an approver (Read-Write and Approve Assets in Default), a reader (Read-Only Assets in
 * Default) and a lead-only caller (Read-Write Lead); Design Studio folders, a program with My Tokens, templates of both
 * editor versions, snippets, a segmentation, emails and a lead.
 */
export const CREDENTIALS = {
  writer: { clientId: 'email-writer', clientSecret: 'email-writer-secret' },
  approver: { clientId: 'email-approver', clientSecret: 'email-approver-secret' },
  reader: { clientId: 'email-reader', clientSecret: 'email-reader-secret' },
  leadOnly: { clientId: 'email-lead-only', clientSecret: 'email-lead-only-secret' },
} as const;

export const V1_TEMPLATE = `<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><title>{{my.Title}}</title></head>
<body>
<div class="mktEditable" id="greeting"><h1>Hello {{lead.First Name:default=friend}}</h1></div>
<div class="mktEditable" id="body"><p>Default body</p></div>
<div class="mktEditable" id="footer"><p>Footer</p></div>
</body>
</html>`;

export const V2_TEMPLATE = `<!DOCTYPE html>
<html>
<head>
<meta class="mktoString" id="headline" mktoName="Headline" default="Big news">
<meta class="mktoColor" id="ctaColor" mktoName="CTA colour" default="#ff0000" mktoModuleScope="true">
</head>
<body>
<table class="mktoContainer" id="template-wrapper">
<tr class="mktoModule" id="hero" mktoName="Hero"><td><div class="mktoText" id="heroText" mktoName="Hero text">\${headline}</div></td></tr>
<tr class="mktoModule" id="cta" mktoName="Call to action"><td style="color:\${ctaColor}"><div class="mktoText" id="ctaText" mktoName="CTA">Click</div></td></tr>
<tr class="mktoModule" id="footer" mktoName="Footer"><td><div class="mktoSnippet" id="sig" mktoName="Signature"></div></td></tr>
</table>
</body>
</html>`;

export const OWN_HTML = `<html><body><div class="mktEditable" id="only">Own content</div></body></html>`;

export function emailsSeed(): SeedInput {
  return {
    partitions: [{ name: 'Elsewhere' }],
    workspaces: [{ name: 'Other', partitions: ['Elsewhere'] }],
    roles: [
      { name: 'Writer', permissions: ['read-write-assets'] },
      { name: 'Reader', permissions: ['read-only-assets'] },
      { name: 'Approver', permissions: ['read-write-assets', 'approve-assets', 'read-only-lead'] },
      { name: 'Lead writer', permissions: ['read-write-lead'] },
    ],
    users: [
      {
        email: 'writer@example.com',
        roles: [
          { role: 'Writer', workspace: 'Default' },
          { role: 'Reader', workspace: 'Other' },
        ],
      },
      { email: 'approver@example.com', roles: [{ role: 'Approver', workspace: 'Default' }] },
      { email: 'reader@example.com', roles: [{ role: 'Reader', workspace: 'Default' }] },
      { email: 'lead@example.com', roles: [{ role: 'Lead writer', workspace: '*' }] },
    ],
    services: [
      { name: 'Writer', user: 'writer@example.com', ...CREDENTIALS.writer },
      { name: 'Approver', user: 'approver@example.com', ...CREDENTIALS.approver },
      { name: 'Reader', user: 'reader@example.com', ...CREDENTIALS.reader },
      { name: 'Lead only', user: 'lead@example.com', ...CREDENTIALS.leadOnly },
    ],
    leads: [{ id: 7, email: 'ada@example.com', firstName: 'Ada' }],
    assets: [
      { kind: 'folder', id: 100, name: 'Templates', parent: '/Design Studio/Default' },
      { kind: 'folder', id: 101, name: 'Snippets', parent: '/Design Studio/Default' },
      { kind: 'folder', id: 102, name: 'Emails', parent: '/Design Studio/Default' },
      { kind: 'folder', id: 103, name: 'Campaigns', parent: '/Marketing Activities/Default' },
      { kind: 'folder', id: 104, name: 'Other emails', parent: '/Design Studio/Other' },
      {
        kind: 'program',
        id: 200,
        name: 'Spring Launch',
        folder: '/Marketing Activities/Default/Campaigns',
        type: 'Default',
        channel: 'Email Blast',
      },
      {
        kind: 'token',
        folder: '/Marketing Activities/Default/Campaigns',
        name: 'Title',
        type: 'text',
        value: 'Spring',
      },
      {
        kind: 'token',
        folder: '/Marketing Activities/Default/Campaigns/Spring Launch',
        name: 'Host',
        type: 'text',
        value: 'Grace',
      },
    ],
    segmentations: [{ id: 1001, name: 'Region', folder: '/Design Studio/Default', segments: ['Europe', 'Americas'] }],
    emailTemplates: [
      { id: 10, name: 'Classic', folder: 100, approved: { content: V1_TEMPLATE } },
      { id: 11, name: 'Modular', folder: 100, approved: { content: V2_TEMPLATE } },
      { id: 12, name: 'Unfinished', folder: 100, draft: { content: V1_TEMPLATE } },
      { id: 20, name: 'Elsewhere', folder: 104, approved: { content: V1_TEMPLATE } },
    ],
    snippets: [
      { id: 30, name: 'Signature', folder: 101, approved: { html: '<p>Regards, {{my.Host}}</p>', text: 'Regards' } },
      { id: 31, name: 'Draft snippet', folder: 101, draft: { html: '<p>Soon</p>' } },
    ],
    emails: [
      {
        id: 50,
        name: 'Launch',
        program: 'Spring Launch',
        template: 10,
        approved: {
          subject: 'Hi {{lead.First Name:default=there}}',
          fromName: 'Grace',
          fromEmail: 'grace@example.com',
          replyEmail: 'replies@example.com',
          sections: { body: '<p>Launch day at {{my.Host}}</p>', footer: { snippet: 30 } },
        },
      },
      { id: 51, name: 'Draft email', folder: 102, template: 10, draft: { subject: 'Work in progress' } },
      { id: 52, name: 'Own HTML', folder: 102, draft: { html: OWN_HTML, subject: 'Own' } },
      { id: 53, name: 'Modular email', folder: 102, template: 11, draft: { subject: 'Modules' } },
      { id: 60, name: 'Other email', folder: 104, template: 20, draft: { subject: 'Elsewhere' } },
    ],
  };
}

export interface Session {
  app: FastifyInstance;
  /** The instance's database, to check what the API cannot show (rows left behind). */
  db: Database;
  tokens: Record<keyof typeof CREDENTIALS, string>;
  /** Calls as `who`, expecting HTTP 200; the parsed body. */
  as(who: keyof typeof CREDENTIALS, method: 'GET' | 'POST', url: string, form?: Record<string, string>): Promise<Body>;
  raw(
    who: keyof typeof CREDENTIALS,
    method: 'GET' | 'POST',
    url: string,
    payload?: string | Buffer,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
}

export interface Body {
  requestId: string;
  success: boolean;
  errors: { code: string; message: string }[];
  warnings: string[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  result?: any[];
}

export async function session(seed: SeedInput = emailsSeed()): Promise<Session> {
  const db = openDatabase(':memory:', MIGRATIONS);
  const app = await buildApp({ config: testConfig(), db, clock: frozenClock(), seed });
  app.addHook('onClose', async () => db.close());
  const tokens = Object.fromEntries(
    await Promise.all(Object.entries(CREDENTIALS).map(async ([who, c]) => [who, await tokenFor(app, c)])),
  ) as Session['tokens'];
  const raw: Session['raw'] = (who, method, url, payload, headers = {}) =>
    call(app, method, url, payload, { authorization: `Bearer ${tokens[who]}`, ...headers });
  const as: Session['as'] = async (who, method, url, form) => {
    const response = await raw(
      who,
      method,
      url,
      form ? new URLSearchParams(form).toString() : undefined,
      form ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
    );
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as Body;
  };
  return { app, db, tokens, as, raw };
}

/** A multipart/form-data body with text fields and one file part. */
export function multipart(
  fields: Record<string, string>,
  file?: { name: string; filename: string; content: string | Buffer; type?: string },
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----fakeMarketoBoundary7MA4YWxkTrZu0gW';
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${file.filename}"\r\n` +
          `Content-Type: ${file.type ?? 'text/html'}\r\n\r\n`,
      ),
      Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content),
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export const REQUEST_ID = /^[0-9a-f]{1,5}#[0-9a-f]{11}$/;
export const NO_ASSETS = 'No assets found for the given search criteria.';

export function failure(code: string, message: string | RegExp = /.+/) {
  return {
    requestId: expect.stringMatching(REQUEST_ID),
    success: false,
    errors: [{ code, message: typeof message === 'string' ? message : expect.stringMatching(message) }],
    warnings: [],
  };
}
