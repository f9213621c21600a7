import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customObjectImportJob } from '../../../src/families/bulk-import/custom-object-import.js';
import { programMemberImportJob } from '../../../src/families/bulk-import/program-member-import.js';
import { failure, familiesWithout, type Importing, importing, multipartForm } from './support.js';

/**
 * Bulk import of custom objects and program members (issue 25, item 4) in a build whose families do not provide the
 * ports they write through (src/ports.ts customObjectImport, programMemberImport): the routes are there, with
 * Adobe's permissions, and answer a clear error (README "Bulk import") — nothing is queued.
 */

let env: Importing;
beforeAll(async () => {
  env = await importing({ families: familiesWithout(['customObjectImport', 'programMemberImport']) });
});
afterAll(async () => {
  await env.app.close();
});

const csv = multipartForm([
  { name: 'file', filename: 'rows.csv', contentType: 'text/csv', data: 'email\na@example.com\n' },
]);
const queued = () =>
  env.app.ctx.jobs.list(customObjectImportJob).length + env.app.ctx.jobs.list(programMemberImportJob).length;

describe('custom object import without a custom objects family', () => {
  it('answers 1026 Custom object not enabled to a caller with Read-Write Custom Object, on every route', async () => {
    for (const [method, url] of [
      ['POST', '/bulk/v1/customobjects/car_c/import.json?format=csv'],
      ['GET', '/bulk/v1/customobjects/car_c/import/1/status.json'],
      ['GET', '/bulk/v1/customobjects/car_c/import/1/failures.json'],
      ['GET', '/bulk/v1/customobjects/car_c/import/1/warnings.json'],
    ] as const) {
      const response = await env.marketo(method, url, { who: 'objects', ...(method === 'POST' ? csv : {}) });
      expect(failure(response), url).toEqual({ code: '1026', message: 'Custom object not enabled' });
    }
    expect(queued()).toBe(0);
  });

  it('is 603 without Read-Write Custom Object (Read-Write Lead is not it), and a batchId that is no number 1003', async () => {
    for (const url of [
      '/bulk/v1/customobjects/car_c/import.json',
      '/bulk/v1/customobjects/car_c/import/1/status.json',
      '/bulk/v1/customobjects/car_c/import/1/failures.json',
    ]) {
      const method = url.endsWith('import.json') ? 'POST' : 'GET';
      const response = await env.marketo(method, url, { who: 'importer', ...(method === 'POST' ? csv : {}) });
      expect(failure(response), url).toEqual({ code: '603', message: 'Access denied' });
    }
    const bad = await env.marketo('GET', '/bulk/v1/customobjects/car_c/import/abc/status.json', { who: 'objects' });
    expect(failure(bad)).toMatchObject({ code: '1003' });
  });
});

describe('program member import without a program members family', () => {
  it('answers 610 saying program member import is not available; nothing is queued', async () => {
    const response = await env.marketo(
      'POST',
      '/bulk/v1/program/1001/members/import.json?programMemberStatus=Member',
      csv,
    );
    expect(failure(response)).toEqual({
      code: '610',
      message: 'Program member import is not available: no registered family provides programMemberImport',
    });
    expect(queued()).toBe(0);
  });

  it('a batch that does not exist is 1013 on the status, failures and warnings routes', async () => {
    for (const file of ['status', 'failures', 'warnings']) {
      const response = await env.marketo('GET', `/bulk/v1/program/members/import/4242/${file}.json`);
      expect(failure(response), file).toEqual({ code: '1013', message: 'Object not found' });
    }
  });

  it('is 603 without Read-Write Lead on every route, and a batchId that is no number 1003', async () => {
    for (const [method, url] of [
      ['POST', '/bulk/v1/program/1001/members/import.json?programMemberStatus=Member'],
      ['GET', '/bulk/v1/program/members/import/1/status.json'],
      ['GET', '/bulk/v1/program/members/import/1/failures.json'],
      ['GET', '/bulk/v1/program/members/import/1/warnings.json'],
    ] as const) {
      const response = await env.marketo(method, url, { who: 'reader', ...(method === 'POST' ? csv : {}) });
      expect(failure(response), url).toEqual({ code: '603', message: 'Access denied' });
    }
    const bad = await env.marketo('GET', '/bulk/v1/program/members/import/abc/status.json');
    expect(failure(bad)).toMatchObject({ code: '1003' });
  });
});
