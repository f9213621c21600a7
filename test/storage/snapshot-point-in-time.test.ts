import { describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/context.js';
import { call, newSeededInstance, tokenFor } from '../helpers.js';

/**
 * A snapshot is of one point in time (issue 23, item 6): what is written while a streamed snapshot is being read
 * is not in it, so the document loads. Before, activities written mid-stream appeared without their lead or
 * partition, and the result did not load ("no partition named …").
 */
const ADMIN = { clientId: 'snapshot-admin', clientSecret: 'snapshot-admin-secret' };

describe('GET /admin/snapshot reads one point in time', () => {
  it('a partition, a lead and activities written while the snapshot streams are not in it; it loads', async () => {
    // Enough leads that the document is written in several chunks before the activity log is reached.
    const leads = Array.from({ length: 1500 }, (_, i) => ({
      id: i + 1,
      email: `lead-${i}@example.com`,
      firstName: 'Ada',
    }));
    const { app } = await newSeededInstance({
      roles: [{ name: 'All', permissions: ['read-write-lead', 'read-write-activity'] }],
      users: [{ email: 'admin@example.com', roles: [{ role: 'All', workspace: '*' }] }],
      services: [{ name: 'Admin', user: 'admin@example.com', ...ADMIN }],
      leads,
      activityTypes: [
        {
          apiName: 'visited',
          name: 'Visited',
          primaryAttribute: { apiName: 'page', name: 'Page', dataType: 'string' },
          attributes: [],
        },
      ],
    });
    try {
      const token = await tokenFor(app, ADMIN);
      const store = (app as unknown as { ctx: AppContext }).ctx.repos.subscription;
      const chunks = store.snapshotJson() as Iterable<string> | AsyncIterable<string>;
      const iterator =
        Symbol.asyncIterator in chunks
          ? chunks[Symbol.asyncIterator]()
          : (chunks as Iterable<string>)[Symbol.iterator]();
      const first = await iterator.next();
      expect(first.done).toBe(false);

      // Meanwhile: a new partition in a new workspace, a lead in it, and an activity of that lead.
      const partition = await call(app, 'POST', '/admin/partitions', { name: 'Later' });
      expect(partition.statusCode, partition.body).toBe(201);
      const workspace = await call(app, 'POST', '/admin/workspaces', {
        name: 'Later',
        partitionIds: [partition.json().id],
      });
      expect(workspace.statusCode, workspace.body).toBe(201);
      const headers = { authorization: `Bearer ${token}` };
      const synced = await call(
        app,
        'POST',
        '/rest/v1/leads.json',
        { action: 'createOnly', partitionName: 'Later', input: [{ email: 'late@example.com' }] },
        headers,
      );
      const lateId = synced.json().result[0].id as number;
      const added = await call(
        app,
        'POST',
        '/rest/v1/activities/external.json',
        {
          input: [
            {
              leadId: lateId,
              activityDate: '2026-01-02T00:00:00Z',
              activityTypeId: 100001,
              primaryAttributeValue: 'x',
            },
          ],
        },
        headers,
      );
      expect(added.json().result[0].status, added.body).toBe('added');

      let text = first.value as string;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) text += next.value;
      const document = JSON.parse(text);
      expect(document.partitions.map((p: { name: string }) => p.name)).toEqual(['Default']);
      expect(document.leads).toHaveLength(1500);
      // The lead's New Lead activity and the custom one were written after the snapshot's point in time.
      expect(document.activities.filter((a: { leadId: number }) => a.leadId === lateId)).toEqual([]);
      const restored = await newSeededInstance(document);
      await restored.app.close();
    } finally {
      await app.close();
    }
  });
});
