import { describe, expect, it } from 'vitest';
import { formatDatetime } from '../../../src/domain/datetime.js';

describe('formatDatetime (Marketo lead datetimes: ISO 8601 in UTC, seconds, no milliseconds)', () => {
  it.each([
    [Date.UTC(2021, 10, 23, 22, 57, 8, 999), '2021-11-23T22:57:08Z'],
    [0, '1970-01-01T00:00:00Z'],
    [-1, '1969-12-31T23:59:59Z'],
    [Date.UTC(2024, 1, 29, 0, 0, 0), '2024-02-29T00:00:00Z'],
    [Date.UTC(9999, 11, 31, 23, 59, 59, 999), '9999-12-31T23:59:59Z'],
    [Date.UTC(10000, 0, 1), '+010000-01-01T00:00:00Z'],
    [Date.UTC(999, 0, 1, 1, 2, 3), '0999-01-01T01:02:03Z'],
  ])('%d → %s', (epochMs, expected) => {
    expect(formatDatetime(epochMs)).toBe(expected);
  });

  it('matches toISOString without its milliseconds across the years 1000-9999', () => {
    for (let year = 1000; year <= 9999; year += 37) {
      const epochMs = Date.UTC(year, year % 12, (year % 28) + 1, year % 24, year % 60, (year * 7) % 60, year % 1000);
      expect(formatDatetime(epochMs)).toBe(`${new Date(epochMs).toISOString().slice(0, -5)}Z`);
    }
  });
});
