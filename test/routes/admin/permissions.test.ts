import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, newInstance, type TestInstance } from '../../helpers.js';

interface CatalogEntry {
  key: string;
  name: string;
  group: 'Access API' | 'Access Admin';
  description: string;
  implies?: string[];
  apiScope?: 'user-management';
}

// custom-services.md, "Permission List" (marketo-reference.md §4.1).
const CUSTOM_SERVICES_PERMISSION_LIST = [
  'Approve Assets',
  'Execute Campaign',
  'Read-Only Activity',
  'Read-Only Activity Metadata',
  'Read-Only Assets',
  'Read-Only Campaign',
  'Read-Only Company',
  'Read-Only Custom Object',
  'Read-Only Lead',
  'Read-Only Named Account',
  'Read-Only Named Account List',
  'Read-Only Opportunity',
  'Read-Only Sales Person',
  'Read-Write Activity',
  'Read-Write Activity Metadata',
  'Read-Write Assets',
  'Read-Write Campaign',
  'Read-Write Company',
  'Read-Write Custom Object',
  'Read-Write Lead',
  'Read-Write Named Account',
  'Read-Write Named Account List',
  'Read-Write Opportunity',
  'Read-Write Sales Person',
];

// Required by Adobe's specs though absent from that list (DESIGN.md §2).
const REQUIRED_BY_THE_SPECS = [
  'Read-Only Custom Object Type',
  'Read-Write Custom Object Type',
  'Read-Write Schema Standard Field',
  'Read-Write Schema Custom Field',
  'Activate Campaign',
  'Deactivate Campaign',
  'Access User Management API',
  // The spec's "Read Only Redirect Rules" / "Read Write Redirect Rules" (marketo-reference.md §4.1), hyphenated as the
  // others are.
  'Read-Only Redirect Rules',
  'Read-Write Redirect Rules',
];

let instance: TestInstance;
let catalog: CatalogEntry[];

beforeAll(async () => {
  instance = await newInstance();
  const response = await call(instance.app, 'GET', '/admin/permissions');
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  catalog = response.json();
});

afterAll(async () => {
  await instance.app.close();
});

const names = (group: CatalogEntry['group']) => catalog.filter((p) => p.group === group).map((p) => p.name);

describe('GET /admin/permissions', () => {
  it('holds the 24 permissions of the Custom Services permission list in the Access API group', () => {
    expect(CUSTOM_SERVICES_PERMISSION_LIST).toHaveLength(24);
    expect(names('Access API')).toEqual(expect.arrayContaining(CUSTOM_SERVICES_PERMISSION_LIST));
  });

  it("holds the 9 Access API permissions that Adobe's specs also require", () => {
    expect(REQUIRED_BY_THE_SPECS).toHaveLength(9);
    expect(names('Access API')).toEqual(expect.arrayContaining(REQUIRED_BY_THE_SPECS));
  });

  it('has nothing else in the Access API group (24 + 9 = 33)', () => {
    expect([...names('Access API')].sort()).toEqual(
      [...CUSTOM_SERVICES_PERMISSION_LIST, ...REQUIRED_BY_THE_SPECS].sort(),
    );
  });

  it('has a few Access Admin permissions, among them Access Admin and Access Users', () => {
    const admin = catalog.filter((p) => p.group === 'Access Admin');
    expect(admin.length).toBeGreaterThanOrEqual(2);
    expect(admin.map((p) => p.key)).toEqual(expect.arrayContaining(['access-admin', 'access-users']));
  });

  it('says that Access Users, alone of the Access Admin group, also counts on the User Management API', () => {
    expect(catalog.filter((p) => p.apiScope !== undefined)).toEqual([
      expect.objectContaining({ key: 'access-users', group: 'Access Admin', apiScope: 'user-management' }),
    ]);
  });

  it('gives every entry a unique kebab-case key, a name and a description', () => {
    for (const permission of catalog) {
      expect(permission.key).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(permission.name.length).toBeGreaterThan(0);
      expect(permission.description.length).toBeGreaterThan(0);
    }
    expect(new Set(catalog.map((p) => p.key)).size).toBe(catalog.length);
    expect(catalog.find((p) => p.name === 'Read-Only Lead')?.key).toBe('read-only-lead');
  });

  it('says that each Read-Write permission implies its Read-Only twin', () => {
    const byName = new Map(catalog.map((p) => [p.name, p]));
    const readWrite = catalog.filter((p) => p.name.startsWith('Read-Write '));
    let pairs = 0;
    for (const permission of readWrite) {
      const twin = byName.get(permission.name.replace('Read-Write ', 'Read-Only '));
      if (twin) {
        pairs++;
        expect(permission.implies).toEqual([twin.key]);
      }
    }
    // Activity, Activity Metadata, Assets, Campaign, Company, Custom Object, Lead, Named Account,
    // Named Account List, Opportunity, Sales Person, Custom Object Type, Redirect Rules.
    expect(pairs).toBe(13);
    expect(byName.get('Read-Only Lead')?.implies ?? []).toEqual([]);
  });
});
