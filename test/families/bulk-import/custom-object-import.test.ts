import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { frozenClock } from '../../../src/clock.js';
import { customObjectImportJob } from '../../../src/families/bulk-import/custom-object-import.js';
import { call } from '../../helpers.js';
import { failure, type Importing, importing, importSeed, multipartForm } from './support.js';

/**
 * Bulk custom object import (issue 25, item 4; bulk-custom-object-import.md) through the routes, written by the
 * custom-objects family (the customObjectImport port): POST /bulk/v1/customobjects/{apiName}/import.json, its
 * status, failures and warnings, on the fake's clock; each row inserted or updated as Sync Custom Objects would.
 */

/** The doc's "Car" type (color, make, model, vin; vin its dedupe field), with a year and a link to a lead. */
const seed = () => ({
  ...importSeed(),
  customObjectTypes: [
    {
      apiName: 'car_c',
      displayName: 'Car',
      fields: [
        { name: 'vin', displayName: 'VIN', dataType: 'string', isDedupeField: true },
        { name: 'color', displayName: 'Color', dataType: 'string' },
        { name: 'make', displayName: 'Make', dataType: 'string' },
        { name: 'model', displayName: 'Model', dataType: 'string' },
        { name: 'year', displayName: 'Year', dataType: 'integer' },
        { name: 'ownerEmail', displayName: 'Owner', dataType: 'link', relatedTo: { name: 'lead', field: 'email' } },
      ],
    },
    {
      apiName: 'boat_c',
      displayName: 'Boat',
      fields: [{ name: 'hull', displayName: 'Hull', dataType: 'string', isDedupeField: true }],
    },
  ],
  customObjects: [{ type: 'car_c', vin: 'WBA4R7C30HK896061', color: 'black', make: 'bmw', model: '320i' }],
});

/** The doc's file (bulk-custom-object-import.md "Import File"). */
const DOC_FILE =
  'color,make,model,vin\nred,bmw,2002,WBA4R7C55HK895912\nyellow,bmw,320i,WBA4R7C30HK896061\nblue,bmw,325i,WBS3U9C52HP970604\n';

let env: Importing;
beforeAll(async () => {
  env = await importing({ seed: seed() });
});
afterAll(async () => {
  await env.app.close();
});
afterEach(async () => {
  await env.finish();
});

const form = (data: string, filename = 'custom_object_import.csv') =>
  multipartForm([{ name: 'file', filename, contentType: 'text/csv', data }]);

async function submit(data: string, query = 'format=csv', type = 'car_c') {
  const response = await env.marketo('POST', `/bulk/v1/customobjects/${type}/import.json?${query}`, {
    who: 'objects',
    ...form(data),
  });
  return response.json();
}

async function status(batchId: number, type = 'car_c') {
  const body = (
    await env.marketo('GET', `/bulk/v1/customobjects/${type}/import/${batchId}/status.json`, { who: 'objects' })
  ).json();
  return body.success ? body.result[0] : body.errors[0];
}

const problems = (batchId: number, file: 'failures' | 'warnings', status = 200) =>
  env.marketo('GET', `/bulk/v1/customobjects/car_c/import/${batchId}/${file}.json`, { who: 'objects', status });

async function cars(...vins: string[]) {
  const url = `/rest/v1/customobjects/car_c.json?filterType=vin&filterValues=${vins.join(',')}&fields=vin,color,make,model,year`;
  const body = (await env.marketo('GET', url, { who: 'objects' })).json();
  return (body.result as Record<string, unknown>[])
    .map(({ seq: _seq, marketoGUID: _guid, ...fields }) => fields)
    .sort((a, b) => String(a.vin).localeCompare(String(b.vin)));
}

describe('POST /bulk/v1/customobjects/{apiName}/import.json (Import Custom Objects)', () => {
  it('the doc’s Car import: Queued with the object’s name, then Complete with its counts, time and message', async () => {
    const created = await submit(DOC_FILE);
    expect(created).toMatchObject({
      success: true,
      result: [{ batchId: expect.any(Number), operation: 'import', status: 'Queued', objectApiName: 'car_c' }],
    });
    const { batchId } = created.result[0];
    await env.finish();
    // bulk-custom-object-import.md's status: operation, objectApiName, numOfObjectsProcessed, importTime, message.
    expect(await status(batchId)).toEqual({
      batchId,
      operation: 'import',
      status: 'Complete',
      objectApiName: 'car_c',
      numOfObjectsProcessed: 3,
      numOfRowsFailed: 0,
      numOfRowsWithWarning: 0,
      importTime: '1 second(s)',
      message: 'Import succeeded, 3 records imported (3 members)',
    });
    // Insert or update: the seeded 320i is updated (its color now yellow), the other two are new.
    expect(await cars('WBA4R7C55HK895912', 'WBA4R7C30HK896061', 'WBS3U9C52HP970604')).toEqual([
      { vin: 'WBA4R7C30HK896061', color: 'yellow', make: 'bmw', model: '320i' },
      { vin: 'WBA4R7C55HK895912', color: 'red', make: 'bmw', model: '2002' },
      { vin: 'WBS3U9C52HP970604', color: 'blue', make: 'bmw', model: '325i' },
    ]);
    await problems(batchId, 'failures', 404);
    await problems(batchId, 'warnings', 404);
  });

  it('the doc’s “ vin” header: each row fails with missing.dedupe.fields, in the file’s own header and format', async () => {
    const { batchId } = (await submit(DOC_FILE.replace('model,vin', 'model, vin'))).result[0];
    await env.finish();
    expect(await status(batchId)).toMatchObject({
      status: 'Complete',
      numOfObjectsProcessed: 0,
      numOfRowsFailed: 3,
      message: 'Import completed with errors, 0 records imported (0 members), 3 failed',
    });
    const failures = await problems(batchId, 'failures');
    expect(failures.headers['content-type']).toBe('text/csv;charset=UTF-8');
    expect(failures.body).toBe(
      'color,make,model, vin,Import Failure Reason\n' +
        'red,bmw,2002,WBA4R7C55HK895912,missing.dedupe.fields\n' +
        'yellow,bmw,320i,WBA4R7C30HK896061,missing.dedupe.fields\n' +
        'blue,bmw,325i,WBS3U9C52HP970604,missing.dedupe.fields\n',
    );
  });

  it('a row fails with the reason Sync Custom Objects gives the same record; the others are written (tsv)', async () => {
    const bad = { vin: 'BAD-YEAR-1', year: 'nineteen' };
    const orphan = { vin: 'ORPHAN-1', ownerEmail: 'nobody@example.com' };
    const sync = (
      await env.marketo('POST', '/rest/v1/customobjects/car_c.json', {
        who: 'objects',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ action: 'createOrUpdate', dedupeBy: 'dedupeFields', input: [bad, orphan] }),
      })
    ).json();
    const reasons = sync.result.map((record: { reasons: { message: string }[] }) => record.reasons[0]!.message);
    expect(reasons).toEqual(["Invalid value for field 'year' and value 'nineteen'", 'Lead not found']);
    const file =
      'vin\tyear\townerEmail\nBAD-YEAR-1\tnineteen\t\nORPHAN-1\t\tnobody@example.com\nGOOD-1\t1999\tann@example.com\n';
    const { batchId } = (await submit(file, 'format=TSV')).result[0];
    await env.finish();
    expect(await status(batchId)).toMatchObject({ status: 'Complete', numOfObjectsProcessed: 1, numOfRowsFailed: 2 });
    expect((await problems(batchId, 'failures')).body).toBe(
      `vin\tyear\townerEmail\tImport Failure Reason\nBAD-YEAR-1\tnineteen\t\t${reasons[0]}\nORPHAN-1\t\tnobody@example.com\t${reasons[1]}\n`,
    );
    expect(await cars('GOOD-1', 'BAD-YEAR-1', 'ORPHAN-1')).toEqual([{ vin: 'GOOD-1', year: 1999 }]);
  });

  it('a vin twice in one file updates the record twice, the later row last', async () => {
    const { batchId } = (await submit('vin,color\nTWICE-1,green\nTWICE-1,white\n')).result[0];
    await env.finish();
    expect(await status(batchId)).toMatchObject({ numOfObjectsProcessed: 2, numOfRowsFailed: 0 });
    expect(await cars('TWICE-1')).toEqual([{ vin: 'TWICE-1', color: 'white' }]);
  });

  it('a malformed file fails the import with a message, and no row of it is written', async () => {
    const { batchId } = (await submit('vin,color\nMALFORMED-1,red\nMALFORMED-2,"blue\n')).result[0];
    await env.finish();
    expect(await status(batchId)).toMatchObject({
      status: 'Failed',
      numOfObjectsProcessed: 0,
      message: 'Invalid file format at line 3: Quote Not Closed',
    });
    expect(await cars('MALFORMED-1')).toEqual([]);
  });
});

describe('errors of the custom object import routes', () => {
  it('an unknown type is 1013 naming it, and nothing is queued; no file is 701; a bad format 1003', async () => {
    const before = env.app.ctx.jobs.list(customObjectImportJob).length;
    const post = async (url: string, data = form('vin\nX-1\n')) =>
      failure(await env.marketo('POST', url, { who: 'objects', ...data }));
    expect(await post('/bulk/v1/customobjects/plane_c/import.json')).toEqual({
      code: '1013',
      message: "Custom object type 'plane_c' not found",
    });
    expect(await post('/bulk/v1/customobjects/car_c/import.json?format=xls')).toMatchObject({ code: '1003' });
    expect(
      await post('/bulk/v1/customobjects/car_c/import.json', multipartForm([{ name: 'format', data: 'csv' }])),
    ).toEqual({
      code: '701',
      message: 'file cannot be blank',
    });
    expect(env.app.ctx.jobs.list(customObjectImportJob).length).toBe(before);
  });

  it('a batch is found only under its own type, by its own user: else 1013; 1019 for its files until it is done', async () => {
    const { batchId } = (await submit('vin\nOWN-1\n')).result[0];
    expect(await status(batchId, 'boat_c')).toEqual({ code: '1013', message: 'Object not found' });
    const other = await env.marketo('GET', `/bulk/v1/customobjects/car_c/import/${batchId}/status.json`, {
      who: 'importer',
    });
    expect(failure(other)).toEqual({ code: '603', message: 'Access denied' });
    expect(await status(987654)).toEqual({ code: '1013', message: 'Object not found' });
    expect(failure(await problems(batchId, 'failures'))).toEqual({ code: '1019', message: 'Import in progress' });
    // A lead import's batch is not a custom object import's.
    const lead = await env.submit('email\nlead-batch@example.com\n');
    expect(await status(lead)).toEqual({ code: '1013', message: 'Object not found' });
  });

  it('answers 1026 while custom objects are off (admin switch), on create and status alike', async () => {
    const { batchId } = (await submit('vin\nSWITCH-1\n')).result[0];
    await call(env.app, 'PUT', '/admin/custom-objects', { enabled: false, metadataApi: true });
    try {
      expect(await status(batchId)).toEqual({ code: '1026', message: 'Custom object not enabled' });
      const refused = await env.marketo('POST', '/bulk/v1/customobjects/car_c/import.json', {
        who: 'objects',
        ...form('vin\nSWITCH-2\n'),
      });
      expect(failure(refused)).toEqual({ code: '1026', message: 'Custom object not enabled' });
    } finally {
      await call(env.app, 'PUT', '/admin/custom-objects', { enabled: true, metadataApi: true });
    }
  });
});

describe('custom object imports are state', () => {
  it('a Queued import in a snapshot runs to its end in a fresh instance; reset goes back to it', async () => {
    const { batchId } = (await submit('vin,color\nSNAP-1,teal\n')).result[0];
    const snapshot = (await call(env.app, 'GET', '/admin/snapshot')).json();
    expect(snapshot.jobs).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: batchId, kind: 'customObjects', state: 'Queued' })]),
    );
    const restored = await importing({ seed: snapshot, clock: frozenClock(new Date(env.clock.now()).toISOString()) });
    try {
      await restored.finish();
      const body = (
        await restored.marketo('GET', `/bulk/v1/customobjects/car_c/import/${batchId}/status.json`, { who: 'objects' })
      ).json();
      expect(body.result[0]).toMatchObject({ status: 'Complete', numOfObjectsProcessed: 1 });
      // Reset goes back to the instance's seed: the import Queued again, its record not written.
      await call(restored.app, 'POST', '/admin/reset');
      const again = (
        await restored.marketo('GET', `/bulk/v1/customobjects/car_c/import/${batchId}/status.json`, { who: 'objects' })
      ).json();
      expect(again.result[0]).toMatchObject({ status: 'Queued', numOfObjectsProcessed: 0 });
      const url = '/rest/v1/customobjects/car_c.json?filterType=vin&filterValues=SNAP-1';
      expect((await restored.marketo('GET', url, { who: 'objects' })).json().result).toEqual([]);
    } finally {
      await restored.app.close();
    }
  });
});
