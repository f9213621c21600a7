import { quotaDay } from './limits.js';

interface DayUsage {
  total: number;
  users: Map<string, number>;
  errors: Map<string, number>;
  errorTotal: number;
}

/** Per-day API usage and errors, for /rest/v1/stats/usage.json and errors.json; keeps the last 7 days. */
export class UsageStats {
  private days = new Map<string, DayUsage>();

  record(at: number, userEmail: string, errorCode: string | undefined): void {
    const key = quotaDay(at);
    let day = this.days.get(key);
    if (!day) {
      this.days.set(key, (day = { total: 0, users: new Map(), errors: new Map(), errorTotal: 0 }));
      this.prune();
    }
    day.total++;
    day.users.set(userEmail, (day.users.get(userEmail) ?? 0) + 1);
    if (errorCode !== undefined) {
      day.errorTotal++;
      day.errors.set(errorCode, (day.errors.get(errorCode) ?? 0) + 1);
    }
  }

  usage(dates: string[]) {
    return dates.map((date) => {
      const day = this.days.get(date);
      return {
        date,
        total: day?.total ?? 0,
        users: [...(day?.users ?? [])].map(([userId, count]) => ({ userId, count })),
      };
    });
  }

  errors(dates: string[]) {
    return dates.map((date) => {
      const day = this.days.get(date);
      return {
        date,
        total: day?.errorTotal ?? 0,
        errors: [...(day?.errors ?? [])].map(([errorCode, count]) => ({ errorCode, count })),
      };
    });
  }

  clear(): void {
    this.days.clear();
  }

  private prune(): void {
    const keys = [...this.days.keys()].sort();
    for (const key of keys.slice(0, Math.max(0, keys.length - 7))) this.days.delete(key);
  }
}

/** The quota day of `now` and the six calendar days before it, newest first (DST days included). */
export function lastSevenDays(now: number): string[] {
  const [year, month, day] = quotaDay(now).split('-').map(Number) as [number, number, number];
  return Array.from({ length: 7 }, (_, i) => new Date(Date.UTC(year, month - 1, day - i)).toISOString().slice(0, 10));
}
