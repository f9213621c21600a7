import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { call, newInstance } from '../../helpers.js';

let app: FastifyInstance;
beforeEach(async () => {
  ({ app } = await newInstance());
});
afterEach(async () => {
  await app.close();
});

describe('custom lead fields /admin/lead-fields', () => {
  it('declares, lists and deletes a custom field', async () => {
    const created = await call(app, 'POST', '/admin/lead-fields', {
      name: 'loyaltyTier',
      displayName: 'Loyalty Tier',
      dataType: 'string',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toEqual({
      name: 'loyaltyTier',
      displayName: 'Loyalty Tier',
      dataType: 'string',
      length: 255,
    });
    await call(app, 'POST', '/admin/lead-fields', { name: 'visits', displayName: 'Visits', dataType: 'integer' });
    expect((await call(app, 'GET', '/admin/lead-fields')).json()).toEqual({
      items: [
        { name: 'loyaltyTier', displayName: 'Loyalty Tier', dataType: 'string', length: 255 },
        { name: 'visits', displayName: 'Visits', dataType: 'integer' },
      ],
    });
    expect((await call(app, 'DELETE', '/admin/lead-fields/loyaltyTier')).statusCode).toBe(204);
    expect((await call(app, 'GET', '/admin/lead-fields')).json().items).toHaveLength(1);
    const again = await call(app, 'DELETE', '/admin/lead-fields/loyaltyTier');
    expect(again.statusCode).toBe(404);
    expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('refuses a name already taken by a standard or custom field (409, case-insensitive)', async () => {
    for (const name of ['email', 'FirstName']) {
      const response = await call(app, 'POST', '/admin/lead-fields', { name, displayName: 'X', dataType: 'string' });
      expect(response.statusCode, name).toBe(409);
    }
    await call(app, 'POST', '/admin/lead-fields', { name: 'tier', displayName: 'Tier', dataType: 'string' });
    expect(
      (await call(app, 'POST', '/admin/lead-fields', { name: 'TIER', displayName: 'Tier', dataType: 'integer' }))
        .statusCode,
    ).toBe(409);
    expect((await call(app, 'GET', '/admin/lead-fields')).json().items).toHaveLength(1);
  });

  it.each([
    [{ name: '1abc', displayName: 'X', dataType: 'string' }, 'body.name'],
    [{ name: 'a.b', displayName: 'X', dataType: 'string' }, 'body.name'],
    [{ name: 'ok', displayName: '', dataType: 'string' }, 'body.displayName'],
    [{ name: 'ok', displayName: 'X', dataType: 'picklist' }, 'body.dataType'],
    [{ name: 'ok', displayName: 'X', dataType: 'integer', length: 10 }, 'body.length'],
    [{ name: 'ok', displayName: 'X', dataType: 'string', extra: true }, 'body'],
  ])('rejects %j with problem+json naming %s, and stores nothing', async (payload, path) => {
    const response = await call(app, 'POST', '/admin/lead-fields', payload);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = response.json();
    expect(problem).toMatchObject({ status: 400, title: expect.any(String), detail: expect.any(String) });
    expect(problem.errors.map((error: { path: string }) => error.path)).toContain(path);
    expect((await call(app, 'GET', '/admin/lead-fields')).json().items).toEqual([]);
  });
});
