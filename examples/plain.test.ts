import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { startFakeMarketo, type FakeMarketo } from 'fake-marketo';

let fake: FakeMarketo;

beforeAll(async () => {
  fake = await startFakeMarketo({ seed: new URL('./marketo-seed.yaml', import.meta.url).pathname });
});
beforeEach(() => fake.reset()); // every test starts from the seed: data, tokens, journal, clock
afterAll(() => fake.close());

async function token(): Promise<string> {
  const { clientId, clientSecret } = fake.credentials('CI');
  const query = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: clientId,
    client_secret: clientSecret,
  });
  return (await (await fetch(`${fake.identityUrl}/oauth/token?${query}`)).json()).access_token;
}

it('syncs a lead, and the journal shows the call and its authorization', async () => {
  const response = await fetch(`${fake.restUrl}/v1/leads.json`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${await token()}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ input: [{ email: 'cy@example.com', firstName: 'Cy' }] }),
  });
  expect((await response.json()).result).toEqual([{ id: 3, status: 'created' }]);
  const [call] = fake.requests({ path: '/rest/v1/leads.json' });
  expect(call).toMatchObject({ method: 'POST', status: 200, decision: { allowed: true } });
});

it('answers 602 once the token has lived 3600 s', async () => {
  const stale = await token();
  fake.advanceClock(3600);
  const response = await fetch(`${fake.restUrl}/v1/leads/partitions.json`, {
    headers: { Authorization: `Bearer ${stale}` },
  });
  expect((await response.json()).errors).toEqual([{ code: '602', message: 'Access token expired' }]);
});
