import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { frozenClock } from '../src/clock.js';
import { testConfig } from '../src/config.js';
import {
  accessToken,
  call,
  expectProblem,
  journalEntries,
  newInstance,
  newLoggedInstance,
  provisionService,
  type Provisioned,
  tokenUrl,
} from './helpers.js';

describe('the log (LOG_LEVEL=debug, where every request is logged)', () => {
  it('records identity requests but never a client secret, right or wrong, in the query or the body', async () => {
    const { app, lines } = await newLoggedInstance('debug');
    try {
      const secret = 'LogSecret0123456789abcdefABCDEF';
      const wrongSecret = 'WrongLogSecret0123456789abcdef';
      const role = (
        await call(app, 'POST', '/admin/roles', { name: 'Logged', permissionSets: ['read-only-lead'] })
      ).json();
      const user = (
        await call(app, 'POST', '/admin/users', {
          email: 'logged@example.com',
          apiOnly: true,
          roles: [{ roleId: role.id, workspaceId: 1 }],
        })
      ).json();
      const service = await call(app, 'POST', '/admin/services', {
        name: 'Logged',
        apiOnlyUserId: user.id,
        clientId: 'logged-client',
        clientSecret: secret,
      });
      expect(service.statusCode).toBe(201);
      expect((await call(app, 'GET', `/admin/services/${service.json().id}`)).statusCode).toBe(200);
      expect((await call(app, 'POST', `/admin/services/${service.json().id}/token`)).statusCode).toBe(200);

      const params = (clientSecret: string) =>
        new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: 'logged-client',
          client_secret: clientSecret,
        });
      expect((await call(app, 'GET', `/identity/oauth/token?${params(secret)}`)).statusCode).toBe(200);
      expect((await call(app, 'GET', `/identity/oauth/token?${params(wrongSecret)}`)).statusCode).toBe(401);
      const form = { 'content-type': 'application/x-www-form-urlencoded' };
      expect((await call(app, 'POST', '/identity/oauth/token', params(secret).toString(), form)).statusCode).toBe(200);
      expect((await call(app, 'POST', '/identity/oauth/token', params(wrongSecret).toString(), form)).statusCode).toBe(
        401,
      );
      // A secret echoed in an unusual place: a repeated parameter.
      await call(app, 'GET', `/identity/oauth/token?client_secret=${secret}&client_id=x&client_secret=${wrongSecret}`);

      const log = lines.join('');
      expect(log).toContain('/identity/oauth/token'); // the requests were logged, so a leak would show
      expect(log).toContain('client_secret=[redacted]');
      expect(log).not.toContain(secret);
      expect(log).not.toContain(wrongSecret);
    } finally {
      await app.close();
    }
  });
});

describe('the log at LOG_LEVEL=info', () => {
  it('logs a denial with its reason once per caller and route, and not every call (the journal keeps those)', async () => {
    const lines: string[] = [];
    const app = await buildApp({
      config: testConfig({ LOG_LEVEL: 'info' }),
      clock: frozenClock(),
      logStream: { write: (line) => lines.push(line) },
    });
    try {
      const allowed = await provisionService(app, { permissions: ['read-only-lead'] });
      const denied = await provisionService(app, { permissions: ['read-only-assets'] });
      const bearer = async (service: Provisioned) => ({ authorization: `Bearer ${await accessToken(app, service)}` });
      expect((await call(app, 'GET', '/rest/v1/lead/1.json', undefined, await bearer(allowed))).json().success).toBe(
        true,
      );
      const deniedHeaders = await bearer(denied);
      for (let i = 0; i < 3; i++) {
        const refused = await call(app, 'GET', '/rest/v1/lead/1.json', undefined, deniedHeaders);
        expect(refused.json().errors[0].code).toBe('603');
      }
      const messages = lines.map((line) => JSON.parse(line) as { msg: string });
      // Once per caller and route while their access stays the same: a retrying client does not flood the log.
      const denials = messages.filter((entry) => entry.msg.startsWith('access denied'));
      expect(denials).toHaveLength(1);
      expect(denials[0]!.msg).toContain('needs Read-Only Lead or Read-Write Lead');
      expect(messages.filter((entry) => /request completed|incoming request/.test(entry.msg))).toEqual([]);
      expect((await journalEntries(app)).length).toBeGreaterThanOrEqual(4);
    } finally {
      await app.close();
    }
  });
});

describe('the foundation walkthrough, as a Marketo admin would do it', () => {
  it('workspace and partition → role → API-only user → custom service → View Details → Get Token → identity → delete', async () => {
    const { app, clock } = await newInstance();
    try {
      // 1. Workspaces & Partitions
      const partition = (await call(app, 'POST', '/admin/partitions', { name: 'North America' })).json();
      const workspace = (
        await call(app, 'POST', '/admin/workspaces', { name: 'US', partitionIds: [partition.id] })
      ).json();
      expect(workspace.partitionIds).toEqual([partition.id]);

      // 2. The permission catalog
      const catalog = (await call(app, 'GET', '/admin/permissions')).json();
      expect(catalog.some((p: { key: string }) => p.key === 'read-write-lead')).toBe(true);

      // 3. Users & Roles: a role with Access API permissions
      const role = (
        await call(app, 'POST', '/admin/roles', { name: 'Lead Sync', permissionSets: ['read-write-lead'] })
      ).json();

      // 4. An API-only user with the role in the workspace, and a LaunchPoint service it owns
      const user = (
        await call(app, 'POST', '/admin/users', {
          email: 'lead-sync@example.com',
          firstName: 'Lead',
          lastName: 'Sync',
          apiOnly: true,
          roles: [{ roleId: role.id, workspaceId: workspace.id }],
        })
      ).json();
      const created = (
        await call(app, 'POST', '/admin/services', { name: 'Lead Sync', apiOnlyUserId: user.id })
      ).json();
      const details = (await call(app, 'GET', `/admin/services/${created.id}`)).json();
      expect(details).toMatchObject({ clientId: created.clientId, clientSecret: created.clientSecret });
      const fromLaunchPoint = (await call(app, 'POST', `/admin/services/${created.id}/token`)).json();

      // 5. The identity endpoint answers the same token, counting down
      clock.advance(30);
      const identity = await call(app, 'GET', tokenUrl(details));
      expect(identity.json()).toEqual({
        access_token: fromLaunchPoint.access_token,
        token_type: 'bearer',
        expires_in: 3569,
        scope: 'lead-sync@example.com',
      });

      // 6. Deleting: the user is refused while owning the service; deleting the service revokes the token
      expectProblem(await call(app, 'DELETE', `/admin/users/${user.id}`), 409);
      expect((await call(app, 'DELETE', `/admin/services/${created.id}`)).statusCode).toBe(204);
      expect(app.ctx.repos.tokens.find(fromLaunchPoint.access_token)).toBeUndefined();
      expect((await call(app, 'GET', tokenUrl(details))).statusCode).toBe(401);
      expect((await call(app, 'DELETE', `/admin/users/${user.id}`)).statusCode).toBe(204);
    } finally {
      await app.close();
    }
  });
});
