// vitest.config.ts: test.globalSetup = ['./global-setup.ts']
import { startFakeMarketo, type FakeMarketo } from 'fake-marketo';

let fake: FakeMarketo;

export async function setup() {
  fake = await startFakeMarketo({ seed: new URL('./marketo-seed.yaml', import.meta.url).pathname });
  const { clientId, clientSecret } = fake.credentials('CI');
  // Test workers inherit the environment: point the code under test at the fake.
  process.env.MARKETO_IDENTITY_URL = fake.identityUrl;
  process.env.MARKETO_REST_URL = fake.restUrl;
  process.env.MARKETO_CLIENT_ID = clientId;
  process.env.MARKETO_CLIENT_SECRET = clientSecret;
  // The server itself: a test file may ask it for a subscription of its own (examples/subscription-per-file.test.ts).
  process.env.FAKE_MARKETO_SERVER = new URL(fake.baseUrl).origin;
}

export async function teardown() {
  await fake.close();
}
