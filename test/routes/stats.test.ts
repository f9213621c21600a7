import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import {
  call,
  newSeededInstance,
  provisionService,
  SAMPLE_CREDENTIALS,
  sampleSeed,
  type TestInstance,
  tokenFor,
} from '../helpers.js';
import { bearer, REQUEST_ID } from '../support/subscription.js';

/**
 * Usage statistics (Adobe "Usage" page): GET /rest/v1/stats/usage.json and errors.json for today, and their
 * last7days variants; days are US Central days, like the quota. Result items are
 * {date: "YYYY-MM-DD", total, users:[{userId: <API user email>, count}]} and {date, total, errors:[{errorCode, count}]}.
 */

const apps: FastifyInstance[] = [];

afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

interface UsageDay {
  date: string;
  total: number;
  users: { userId: string; count: number }[];
}
interface ErrorsDay {
  date: string;
  total: number;
  errors: { errorCode: string; count: number }[];
}

const USAGE = '/rest/v1/stats/usage.json';
const USAGE_WEEK = '/rest/v1/stats/usage/last7days.json';
const ERRORS = '/rest/v1/stats/errors.json';
const ERRORS_WEEK = '/rest/v1/stats/errors/last7days.json';

async function setup(): Promise<
  TestInstance & { stats: () => Promise<string>; writer: () => Promise<string>; reader: () => Promise<string> }
> {
  const instance = await newSeededInstance(sampleSeed());
  apps.push(instance.app);
  // A service whose role holds no API permission at all: the stats need none.
  const observer = await provisionService(instance.app, { permissions: ['access-admin'] });
  return {
    ...instance,
    stats: () => tokenFor(instance.app, observer),
    writer: () => tokenFor(instance.app, SAMPLE_CREDENTIALS.writer),
    reader: () => tokenFor(instance.app, SAMPLE_CREDENTIALS.reader),
  };
}

async function get(app: FastifyInstance, token: string, url: string) {
  const response = await call(app, 'GET', url, undefined, bearer(token));
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  return response.json();
}

async function stat<T>(app: FastifyInstance, token: string, url: string): Promise<T[]> {
  const body = await get(app, token, url);
  expect(body).toEqual({ requestId: expect.stringMatching(REQUEST_ID), success: true, result: expect.any(Array) });
  return body.result;
}

const countOf = (day: UsageDay | undefined, email: string) => day?.users.find((u) => u.userId === email)?.count ?? 0;
const errorCount = (day: ErrorsDay | undefined, code: string) =>
  day?.errors.find((e) => e.errorCode === code)?.count ?? 0;
const sum = (counts: { count: number }[]) => counts.reduce((total, item) => total + item.count, 0);

/** The n calendar days ending with `last` (YYYY-MM-DD), newest first. */
function daysEnding(last: string, n = 7): string[] {
  const days: string[] = [];
  const date = new Date(`${last}T12:00:00Z`);
  for (let i = 0; i < n; i++) {
    days.push(date.toISOString().slice(0, 10));
    date.setUTCDate(date.getUTCDate() - 1);
  }
  return days;
}

describe('GET /rest/v1/stats/usage.json', () => {
  it("counts today's calls per API user (by email)", async () => {
    const { app, stats, writer, reader } = await setup();
    const w = await writer();
    const r = await reader();
    for (let i = 0; i < 3; i++) await get(app, w, '/rest/v1/lead/1.json');
    await get(app, r, '/rest/v1/leads/partitions.json');
    await get(app, r, '/rest/v1/lead/2.json');
    expect((await call(app, 'POST', '/rest/v1/leads.json', { input: [{}] }, bearer(r))).json().errors[0].code).toBe(
      '603',
    );

    const [today, ...others] = await stat<UsageDay>(app, await stats(), USAGE);
    expect(others).toEqual([]);
    expect(today).toEqual({ date: '2026-01-15', total: expect.any(Number), users: expect.any(Array) });
    expect(today!.users).toEqual(
      expect.arrayContaining([
        { userId: 'writer@example.com', count: 3 },
        { userId: 'reader@example.com', count: 3 },
      ]),
    );
    expect(today!.total).toBe(sum(today!.users));
    expect(today!.total).toBeGreaterThanOrEqual(6);
  });

  it('does not count identity calls or calls without a valid token', async () => {
    const { app, stats } = await setup();
    for (let i = 0; i < 3; i++) await tokenFor(app, SAMPLE_CREDENTIALS.writer);
    await get(app, 'not-a-token', '/rest/v1/lead/1.json');
    const [today] = await stat<UsageDay>(app, await stats(), USAGE);
    expect(countOf(today, 'writer@example.com')).toBe(0);
  });

  it('a day is a US Central day: 23:30 and 00:30 Central are two days, though both are Jan 16 in UTC', async () => {
    const { app, clock, stats, writer } = await setup();
    clock.freeze(Date.parse('2026-01-15T23:30:00-06:00'));
    const late = await writer();
    await get(app, late, '/rest/v1/lead/1.json');
    await get(app, late, '/rest/v1/lead/2.json');
    clock.advance(3600);
    await get(app, await writer(), '/rest/v1/lead/3.json');

    const [today] = await stat<UsageDay>(app, await stats(), USAGE);
    expect(today!.date).toBe('2026-01-16');
    expect(countOf(today, 'writer@example.com')).toBe(1);
    const week = await stat<UsageDay>(app, await stats(), USAGE_WEEK);
    expect(
      countOf(
        week.find((day) => day.date === '2026-01-15'),
        'writer@example.com',
      ),
    ).toBe(2);
  });
});

describe('GET /rest/v1/stats/errors.json', () => {
  it("counts today's errors by code", async () => {
    const { app, stats, writer, reader } = await setup();
    const r = await reader();
    const w = await writer();
    for (let i = 0; i < 2; i++) {
      const denied = await call(app, 'POST', '/rest/v1/leads.json', { input: [{}] }, bearer(r));
      expect(denied.json().errors[0].code).toBe('603');
    }
    const badPage = await get(
      app,
      w,
      '/rest/v1/leads.json?filterType=email&filterValues=a@example.com&nextPageToken=NOTATOKEN',
    );
    expect(badPage.errors[0].code).toBe('1003');
    await get(app, w, '/rest/v1/lead/1.json');

    const [today, ...others] = await stat<ErrorsDay>(app, await stats(), ERRORS);
    expect(others).toEqual([]);
    expect(today).toEqual({
      date: '2026-01-15',
      total: 3,
      errors: expect.arrayContaining([
        { errorCode: '603', count: 2 },
        { errorCode: '1003', count: 1 },
      ]),
    });
    expect(today!.errors).toHaveLength(2);
  });

  it('a day without errors is reported with total 0', async () => {
    const { app, stats, writer } = await setup();
    await get(app, await writer(), '/rest/v1/lead/1.json');
    expect(await stat<ErrorsDay>(app, await stats(), ERRORS)).toEqual([{ date: '2026-01-15', total: 0, errors: [] }]);
  });
});

describe('last7days', () => {
  it('usage and errors of the last seven Central days, each day with its own counts', async () => {
    const { app, clock, stats, writer, reader } = await setup();
    // Three days: 2 calls on Jan 13, none on Jan 14, 1 call and 1 denied call on Jan 15.
    clock.freeze(Date.parse('2026-01-13T10:00:00-06:00'));
    let w = await writer();
    await get(app, w, '/rest/v1/lead/1.json');
    await get(app, w, '/rest/v1/lead/2.json');
    clock.advance(2 * 24 * 3600);
    w = await writer();
    await get(app, w, '/rest/v1/lead/1.json');
    await call(app, 'POST', '/rest/v1/leads.json', { input: [{}] }, bearer(await reader()));

    const token = await stats();
    const usage = await stat<UsageDay>(app, token, USAGE_WEEK);
    expect(
      usage
        .map((day) => day.date)
        .sort()
        .reverse(),
    ).toEqual(daysEnding('2026-01-15'));
    const usageOn = (date: string) => usage.find((day) => day.date === date);
    expect(countOf(usageOn('2026-01-13'), 'writer@example.com')).toBe(2);
    expect(usageOn('2026-01-14')).toEqual({ date: '2026-01-14', total: 0, users: [] });
    expect(countOf(usageOn('2026-01-15'), 'writer@example.com')).toBe(1);
    expect(countOf(usageOn('2026-01-15'), 'reader@example.com')).toBe(1);
    for (const day of usage) expect(day.total).toBe(sum(day.users));

    const errors = await stat<ErrorsDay>(app, token, ERRORS_WEEK);
    expect(
      errors
        .map((day) => day.date)
        .sort()
        .reverse(),
    ).toEqual(daysEnding('2026-01-15'));
    expect(
      errorCount(
        errors.find((day) => day.date === '2026-01-15'),
        '603',
      ),
    ).toBe(1);
    expect(errors.find((day) => day.date === '2026-01-13')).toEqual({ date: '2026-01-13', total: 0, errors: [] });
  });

  it('seven distinct days just after the spring-forward day (2026-03-08 has 23 hours)', async () => {
    const { app, clock, stats, writer } = await setup();
    clock.freeze(Date.parse('2026-03-08T12:00:00-05:00'));
    await get(app, await writer(), '/rest/v1/lead/1.json');
    clock.freeze(Date.parse('2026-03-09T00:30:00-05:00'));

    const usage = await stat<UsageDay>(app, await stats(), USAGE_WEEK);
    expect(
      usage
        .map((day) => day.date)
        .sort()
        .reverse(),
    ).toEqual(daysEnding('2026-03-09'));
    expect(
      countOf(
        usage.find((day) => day.date === '2026-03-08'),
        'writer@example.com',
      ),
    ).toBe(1);
  });

  it('seven distinct days late on the fall-back day (2026-11-01 has 25 hours)', async () => {
    const { app, clock, stats } = await setup();
    clock.freeze(Date.parse('2026-11-01T23:30:00-06:00'));
    const usage = await stat<UsageDay>(app, await stats(), USAGE_WEEK);
    expect(
      usage
        .map((day) => day.date)
        .sort()
        .reverse(),
    ).toEqual(daysEnding('2026-11-01'));
  });
});

describe('access', () => {
  it.each([USAGE, USAGE_WEEK, ERRORS, ERRORS_WEEK])('%s needs a valid token but no permission', async (url) => {
    const { app, clock, stats } = await setup();
    const token = await stats();
    // The observer holds no API permission: lead calls are denied, the stats are not.
    const lead = await get(app, token, '/rest/v1/lead/1.json');
    expect(lead.errors).toEqual([{ code: '603', message: 'Access denied' }]);
    expect((await get(app, token, url)).success).toBe(true);

    expect((await get(app, 'not-a-token', url)).errors).toEqual([{ code: '601', message: 'Access token invalid' }]);
    expect((await call(app, 'GET', url)).json().errors).toEqual([{ code: '601', message: 'Access token invalid' }]);
    clock.advance(3600);
    expect((await get(app, token, url)).errors).toEqual([{ code: '602', message: 'Access token expired' }]);
  });

  it('POST /admin/reset clears the counts', async () => {
    const { app, writer, stats } = await setup();
    await get(app, await writer(), '/rest/v1/lead/1.json');
    expect(countOf((await stat<UsageDay>(app, await stats(), USAGE))[0], 'writer@example.com')).toBe(1);
    expect((await call(app, 'POST', '/admin/reset')).statusCode).toBe(204);
    // The observer service was not part of the seed; ask as the writer.
    const [today] = await stat<UsageDay>(app, await writer(), USAGE);
    expect(today).toEqual({ date: '2026-01-15', total: 0, users: [] });
  });
});
