import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { call, newSeededInstance, SAMPLE_CREDENTIALS, sampleSeed, tokenFor, tokenUrl } from '../helpers.js';
import { bearer } from '../support/subscription.js';

/**
 * Marketo's limits with RATE_LIMITS=marketo (marketo-reference.md §3.4): 100 calls per 20 s (606), 10 concurrent
 * (615), a daily quota that resets at midnight US Central (607). Identity calls and 601/602 answers do not count.
 */

const apps: FastifyInstance[] = [];

afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

const RATE_MESSAGE = "Max rate limit '100' exceeded with in '20' secs";
const CALL = '/rest/v1/leads/partitions.json';

async function limited(config: Partial<Config> = { RATE_LIMITS: 'marketo' }) {
  const instance = await newSeededInstance(sampleSeed(), config);
  apps.push(instance.app);
  const { app, clock } = instance;
  const writer = () => tokenFor(app, SAMPLE_CREDENTIALS.writer);
  /** One Marketo call; 'ok' or the Marketo error code. */
  const marketo = async (token: string, url = CALL) => {
    const response = await call(app, 'GET', url, undefined, bearer(token));
    expect(response.statusCode).toBe(200);
    const body = response.json();
    return body.success ? 'ok' : (body.errors[0].code as string);
  };
  const times = async (n: number, token: string) => {
    const codes: string[] = [];
    for (let i = 0; i < n; i++) codes.push(await marketo(token));
    return codes;
  };
  const limits = async () => (await call(app, 'GET', '/admin/limits')).json();
  const setLimits = async (body: unknown) => {
    const response = await call(app, 'PUT', '/admin/limits', body);
    expect(response.statusCode, response.body).toBe(200);
  };
  const setClock = async (iso: string) => {
    const response = await call(app, 'POST', '/admin/clock', { set: iso });
    expect(response.statusCode, response.body).toBe(200);
  };
  return { app, clock, writer, marketo, times, limits, setLimits, setClock };
}

const all = (codes: string[], code: string) => codes.every((c) => c === code);

describe('rate limit: 100 calls per 20 seconds', () => {
  it('exactly 100 calls succeed; the 101st is 606 with Marketo’s message, and is not counted itself', async () => {
    const { app, writer, times, limits } = await limited();
    const token = await writer();
    const codes = await times(100, token);
    expect(codes.filter((c) => c === 'ok')).toHaveLength(100);

    const refused = await call(app, 'GET', CALL, undefined, bearer(token));
    expect(refused.statusCode).toBe(200);
    expect(refused.json()).toEqual({
      requestId: expect.any(String),
      success: false,
      errors: [{ code: '606', message: RATE_MESSAGE }],
    });
    expect((await limits()).counters).toEqual({ windowCalls: 100, inFlight: 0, dailyCalls: 100 });
  });

  it('after the window passes calls succeed again: still 606 at 19 s, admitted at 20 s', async () => {
    const { clock, writer, marketo, times } = await limited();
    const token = await writer();
    expect(all(await times(100, token), 'ok')).toBe(true);
    clock.advance(19);
    expect(await marketo(token)).toBe('606');
    clock.advance(1);
    expect(all(await times(100, token), 'ok')).toBe(true);
    expect(await marketo(token)).toBe('606');
  });

  it('the window slides: each call leaves it 20 s after it was made', async () => {
    const { clock, writer, marketo, times } = await limited();
    const token = await writer();
    expect(all(await times(60, token), 'ok')).toBe(true); // at 0 s
    clock.advance(10);
    expect(all(await times(40, token), 'ok')).toBe(true); // at 10 s
    expect(await marketo(token)).toBe('606');
    clock.advance(10); // the 60 made at 0 s leave
    expect(all(await times(60, token), 'ok')).toBe(true);
    expect(await marketo(token)).toBe('606');
  });

  it('identity calls are not counted', async () => {
    const { app, writer, times, limits } = await limited();
    for (let i = 0; i < 120; i++) {
      expect((await call(app, 'GET', tokenUrl(SAMPLE_CREDENTIALS.reader))).statusCode).toBe(200);
    }
    expect((await limits()).counters).toEqual({ windowCalls: 0, inFlight: 0, dailyCalls: 0 });
    const token = await writer();
    const codes = await times(101, token);
    expect(codes.slice(0, 100).every((c) => c === 'ok')).toBe(true);
    expect(codes[100]).toBe('606');
  });

  it('calls answered 601 or 602 are not counted', async () => {
    const { clock, writer, marketo, times, limits } = await limited();
    expect(all(await times(110, 'not-a-token'), '601')).toBe(true);
    const expired = await writer();
    clock.advance(3600);
    expect(all(await times(110, expired), '602')).toBe(true);
    expect((await limits()).counters).toEqual({ windowCalls: 0, inFlight: 0, dailyCalls: 0 });

    const token = await writer();
    expect(all(await times(100, token), 'ok')).toBe(true);
    expect(await marketo(token)).toBe('606');
  });

  it('calls answered 603 are counted', async () => {
    const { app, writer, marketo, limits } = await limited();
    const reader = await tokenFor(app, SAMPLE_CREDENTIALS.reader);
    for (let i = 0; i < 100; i++) {
      const denied = await call(
        app,
        'POST',
        '/rest/v1/leads.json',
        { input: [{ email: 'x@example.com' }] },
        bearer(reader),
      );
      expect(denied.json().errors[0].code).toBe('603');
    }
    expect((await limits()).counters.windowCalls).toBe(100);
    expect(await marketo(await writer())).toBe('606');
  });

  it('PUT /admin/limits changes the rate; the message names the new numbers', async () => {
    const { app, writer, times, setLimits } = await limited();
    await setLimits({ rate: { calls: 2, windowSeconds: 60 } });
    const token = await writer();
    expect(await times(2, token)).toEqual(['ok', 'ok']);
    const body = (await call(app, 'GET', CALL, undefined, bearer(token))).json();
    expect(body.errors).toEqual([{ code: '606', message: "Max rate limit '2' exceeded with in '60' secs" }]);
  });
});

describe('daily quota', () => {
  it('the call after the quota is 607 "Daily quota reached"; refused calls are not counted', async () => {
    const { app, writer, times, limits, setLimits } = await limited();
    await setLimits({ dailyQuota: 3 });
    const token = await writer();
    expect(await times(3, token)).toEqual(['ok', 'ok', 'ok']);
    const refused = (await call(app, 'GET', CALL, undefined, bearer(token))).json();
    expect(refused).toMatchObject({ success: false, errors: [{ code: '607', message: 'Daily quota reached' }] });
    expect(await times(2, token)).toEqual(['607', '607']);
    expect((await limits()).counters.dailyCalls).toBe(3);
  });

  it('rolls over at midnight America/Chicago (not at midnight UTC)', async () => {
    const { clock, writer, marketo, times, limits, setLimits, setClock } = await limited();
    await setLimits({ dailyQuota: 3 });
    // 23:59:59 UTC is 17:59:59 in Chicago: crossing UTC midnight changes nothing.
    await setClock('2026-01-15T23:59:59Z');
    let token = await writer();
    expect(await times(4, token)).toEqual(['ok', 'ok', 'ok', '607']);
    clock.advance(1);
    expect(await marketo(token)).toBe('607');

    // 23:59:59 Central Standard Time, the same quota day; one second later a new one.
    await setClock('2026-01-15T23:59:59-06:00');
    token = await writer();
    expect(await marketo(token)).toBe('607');
    clock.advance(1);
    expect(await times(4, token)).toEqual(['ok', 'ok', 'ok', '607']);
    expect((await limits()).counters.dailyCalls).toBe(3);
  });

  it('in summer the quota day starts at midnight Central Daylight Time', async () => {
    const { clock, writer, marketo, setLimits, setClock } = await limited();
    await setLimits({ dailyQuota: 1 });
    await setClock('2026-07-15T23:59:59-05:00');
    const token = await writer();
    expect(await marketo(token)).toBe('ok');
    expect(await marketo(token)).toBe('607');
    clock.advance(1);
    expect(await marketo(token)).toBe('ok');
  });

  it('calls answered 601 or 602 do not use the quota', async () => {
    const { clock, writer, times, setLimits } = await limited();
    await setLimits({ dailyQuota: 2 });
    expect(all(await times(5, 'not-a-token'), '601')).toBe(true);
    const expired = await writer();
    clock.advance(3600);
    expect(all(await times(5, expired), '602')).toBe(true);
    expect(await times(3, await writer())).toEqual(['ok', 'ok', '607']);
  });
});

describe('concurrency: 10 calls in flight', () => {
  it('more than 10 in flight: the 11th and 12th are 615; afterwards calls succeed again', async () => {
    const { app, writer, marketo, limits } = await limited();
    const token = await writer();
    // A delay keeps the calls in flight.
    const fault = await call(app, 'POST', '/admin/faults', { match: { path: CALL }, respond: { delayMs: 300 } });
    expect(fault.statusCode).toBe(201);

    const pending = Array.from({ length: 12 }, () => call(app, 'GET', CALL, undefined, bearer(token)));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const whileInFlight = (await limits()).counters.inFlight;
    const bodies = (await Promise.all(pending)).map((response) => response.json());

    expect(bodies.filter((body) => body.success)).toHaveLength(10);
    expect(bodies.filter((body) => !body.success).map((body) => body.errors)).toEqual([
      [{ code: '615', message: "Concurrent access limit '10' reached" }],
      [{ code: '615', message: "Concurrent access limit '10' reached" }],
    ]);
    expect(whileInFlight).toBe(10);
    expect((await limits()).counters.inFlight).toBe(0);
    expect(await marketo(token)).toBe('ok');
  });

  it('over a real port, with the concurrency lowered to 3', async () => {
    const { app, writer, setLimits } = await limited();
    await setLimits({ concurrency: 3 });
    const token = await writer();
    await call(app, 'POST', '/admin/faults', { match: { path: CALL }, respond: { delayMs: 200 } });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as { port: number };

    const bodies = await Promise.all(
      Array.from({ length: 5 }, () =>
        fetch(`http://127.0.0.1:${port}${CALL}`, { headers: bearer(token), signal: AbortSignal.timeout(5000) }).then(
          (response) => response.json(),
        ),
      ),
    );
    expect(bodies.filter((body) => body.success)).toHaveLength(3);
    expect(bodies.filter((body) => !body.success).map((body) => body.errors[0])).toEqual([
      { code: '615', message: "Concurrent access limit '3' reached" },
      { code: '615', message: "Concurrent access limit '3' reached" },
    ]);
  });
});

describe('RATE_LIMITS=off', () => {
  it('nothing is limited, whatever the settings, until limits are enabled', async () => {
    const { writer, times, limits, setLimits } = await limited({ RATE_LIMITS: 'off' });
    await setLimits({ dailyQuota: 1, concurrency: 1, rate: { calls: 1 } });
    const token = await writer();
    expect(all(await times(120, token), 'ok')).toBe(true);
    expect(await limits()).toMatchObject({
      enabled: false,
      counters: { windowCalls: 0, inFlight: 0, dailyCalls: 0 },
    });

    await setLimits({ enabled: true });
    expect(await times(2, token)).toEqual(['ok', '607']);
  });
});
