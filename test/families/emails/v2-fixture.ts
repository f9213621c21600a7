import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { SeedInput } from '../../../src/seed.js';
import { emailsSeed, type Session, session } from './fixture.js';
import type { Who } from './route-cases.js';

/**
 * The v2 Asset API tests' subscription: the emails tests' one (fixture.ts) and two fragments, an approved one (40)
 * and a draft (41), in the Snippets folder. `v2` calls with a JSON body and the `x-app-type` header.
 */
export function v2Seed(): SeedInput {
  return {
    ...emailsSeed(),
    fragments: [
      {
        id: 40,
        name: 'Hero',
        folder: 101,
        approved: { fragmentType: 'email', supportedChannels: ['email'], html: '<div class="hero">Hero</div>' },
      },
      {
        id: 41,
        name: 'Draft fragment',
        folder: 101,
        draft: { fragmentType: 'email', supportedChannels: ['email'], html: '' },
      },
    ],
  };
}

export interface V2Session extends Session {
  /** Calls as `who` with a JSON body (when given) and `x-app-type: marketo` unless `headers` says otherwise. */
  v2(
    who: Who,
    method: 'GET' | 'POST',
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  /** The same, expecting HTTP 200: the parsed body. */
  v2Body(
    who: Who,
    method: 'GET' | 'POST',
    url: string,
    body?: unknown,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
  ): Promise<any>;
  /** The Default workspace's id. */
  defaultWorkspace: number;
  otherWorkspace: number;
}

export async function v2Session(): Promise<V2Session> {
  const s = await session(v2Seed());
  const v2: V2Session['v2'] = (who, method, url, body, headers = { 'x-app-type': 'marketo' }) =>
    s.raw(
      who,
      method,
      url,
      body === undefined ? undefined : JSON.stringify(body),
      body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    );
  const v2Body: V2Session['v2Body'] = async (who, method, url, body) => {
    const response = await v2(who, method, url, body);
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  };
  const workspace = (name: string) =>
    (s.db.prepare('SELECT id FROM workspaces WHERE name = ?').get(name) as { id: number }).id;
  return { ...s, v2, v2Body, defaultWorkspace: workspace('Default'), otherWorkspace: workspace('Other') };
}
