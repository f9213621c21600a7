import { describe, expect, it } from 'vitest';
import { formatUserManagementDatetime, parseUserManagementDatetime } from '../../src/domain/datetime.js';

describe("the User Management API's datetimes (user-management.md: yyyyMMdd'T'HH:mm:ss.SSS't'+|-hhmm)", () => {
  it('formats in UTC with milliseconds and a literal t', () => {
    expect(formatUserManagementDatetime(Date.parse('2020-02-05T01:02:23Z'))).toBe('20200205T01:02:23.000t+0000');
    expect(formatUserManagementDatetime(Date.parse('2026-12-31T23:59:59.123Z'))).toBe('20261231T23:59:59.123t+0000');
  });

  it.each([
    ['2020-12-31T23:59:59-05:00', '2021-01-01T04:59:59.000Z'], // the guide's Invite User example
    ['20211231T08:00:00.000t+0000', '2021-12-31T08:00:00.000Z'], // the guide's Update User example
    ['2020-12-31T08:00:00.000t+0000', '2020-12-31T08:00:00.000Z'], // the guide's user record
    ['20200807T20:49:54.0t+0000', '2020-08-07T20:49:54.000Z'], // the guide's invited user
    ['2027-06-01T10:00:00Z', '2027-06-01T10:00:00.000Z'],
    ['2027-06-01T10:00:00.5+02:30', '2027-06-01T07:30:00.500Z'],
  ])('reads %s', (text, iso) => {
    expect(new Date(parseUserManagementDatetime(text)!).toISOString()).toBe(iso);
  });

  it.each([
    '2027-06-01',
    '2027-06-01T10:00:00',
    '2027-02-30T00:00:00Z',
    '2027-06-01T24:00:00Z',
    'soon',
    '',
    '20270601T10:00:00t+2500',
  ])('refuses %j', (text) => {
    expect(parseUserManagementDatetime(text)).toBeUndefined();
  });
});
