import { afterAll, beforeAll, expect, it } from 'vitest';

// One subscription per test file on the server globalSetup started: files run in parallel workers, each with its
// own leads, tokens, journal and clock, at its own Munchkin id.
const server = process.env.FAKE_MARKETO_SERVER!;
let subscription: { munchkinId: string; baseUrl: string; demo: { clientId: string; clientSecret: string } };

beforeAll(async () => {
  const response = await fetch(`${server}/admin/subscriptions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({}), // or { seed: {...} }, a seed document as JSON
  });
  subscription = await response.json();
});
afterAll(() => fetch(`${server}/admin/subscriptions/${subscription.munchkinId}`, { method: 'DELETE' }));

async function token(): Promise<string> {
  const { clientId, clientSecret } = subscription.demo;
  const query = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: clientId,
    client_secret: clientSecret,
  });
  return (await (await fetch(`${subscription.baseUrl}/identity/oauth/token?${query}`)).json()).access_token;
}

it('has a subscription of its own: lead 1 is the one this file created', async () => {
  const headers = { Authorization: `Bearer ${await token()}`, 'Content-Type': 'application/json' };
  const email = `${subscription.munchkinId}@example.com`;
  const synced = await fetch(`${subscription.baseUrl}/rest/v1/leads.json`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ input: [{ email }] }),
  });
  expect((await synced.json()).result).toEqual([{ id: 1, status: 'created' }]);
  const read = await fetch(`${subscription.baseUrl}/rest/v1/lead/1.json?fields=email`, { headers });
  expect((await read.json()).result).toEqual([{ id: 1, email }]);
});
