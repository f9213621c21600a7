import { expect, it } from 'vitest';

// The code under test would read these; here a few direct calls stand in for it.
const { MARKETO_IDENTITY_URL, MARKETO_REST_URL, MARKETO_CLIENT_ID, MARKETO_CLIENT_SECRET } = process.env;

async function token(): Promise<string> {
  const query = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: MARKETO_CLIENT_ID!,
    client_secret: MARKETO_CLIENT_SECRET!,
  });
  const response = await fetch(`${MARKETO_IDENTITY_URL}/oauth/token?${query}`);
  return (await response.json()).access_token;
}

it('reads the seeded leads through the fake started by globalSetup', async () => {
  const response = await fetch(`${MARKETO_REST_URL}/v1/leads.json?filterType=email&filterValues=ann@example.com`, {
    headers: { Authorization: `Bearer ${await token()}` },
  });
  const body = await response.json();
  expect(body.success).toBe(true);
  expect(body.result).toEqual([expect.objectContaining({ email: 'ann@example.com', firstName: 'Ann' })]);
});
