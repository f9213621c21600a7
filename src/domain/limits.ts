import type { Clock } from '../clock.js';
import { UNCOUNTED_CODES } from './marketo-codes.js';

/** Marketo's limits (marketo-reference.md §3.4): 100 calls per 20 s, 10 concurrent, 50,000 a day. */
export interface LimitSettings {
  enabled: boolean;
  rate: { calls: number; windowSeconds: number };
  concurrency: number;
  dailyQuota: number;
}

export const MARKETO_LIMITS: Omit<LimitSettings, 'enabled'> = {
  rate: { calls: 100, windowSeconds: 20 },
  concurrency: 10,
  dailyQuota: 50_000,
};

/** The limits an instance starts (and resets) with: Marketo's numbers, enforced when RATE_LIMITS=marketo. */
export function startingLimits(rateLimits: 'off' | 'marketo'): LimitSettings {
  return { enabled: rateLimits === 'marketo', ...MARKETO_LIMITS };
}

export interface LimitCounters {
  windowCalls: number;
  inFlight: number;
  dailyCalls: number;
}

/** The quota day: Marketo resets the daily quota at 12:00 AM US Central time. Made on first use (time zone data is slow to load). */
let centralDate: Intl.DateTimeFormat | undefined;

const HOUR_MS = 3_600_000;
let lastHour = Number.NaN;
let lastDay = '';

export function quotaDay(epochMs: number): string {
  // US Central time is a whole number of hours from UTC, and changes at whole UTC hours: the day is the same
  // for every instant of a UTC hour, so it is formatted once an hour, not once a call.
  const hour = Math.floor(epochMs / HOUR_MS);
  if (hour !== lastHour) {
    centralDate ??= new Intl.DateTimeFormat('en-CA', {
      timeZone: 'America/Chicago',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    lastDay = centralDate.format(epochMs);
    lastHour = hour;
  }
  return lastDay;
}

export type Rejection = { code: '606' | '607' | '615'; message: string };

/**
 * Rate, concurrency and daily quota. A call is admitted (and counted) before it runs; when it ends with a code
 * Marketo does not count (601, 602, 604, 605, 608, 611) the count is given back. Calls refused by a limit are
 * not counted themselves.
 */
export class Limits {
  private window: number[] = [];
  private inFlight = 0;
  private daily = 0;
  /** The quota day the daily count is of; unknown until the first call (time zone data is loaded on first use). */
  private day: string | undefined;

  constructor(
    private settings: LimitSettings,
    private readonly clock: Clock,
  ) {}

  get enabled(): boolean {
    return this.settings.enabled;
  }

  current(): LimitSettings & { counters: LimitCounters } {
    this.roll(this.clock.now());
    return {
      ...this.settings,
      counters: { windowCalls: this.window.length, inFlight: this.inFlight, dailyCalls: this.daily },
    };
  }

  update(settings: Partial<LimitSettings>): void {
    this.settings = {
      ...this.settings,
      ...settings,
      rate: { ...this.settings.rate, ...settings.rate },
    };
  }

  /** Admits a call, or says which limit refuses it. An admitted call must be `finish`ed. */
  admit(): { admitted: true; at: number } | { admitted: false; rejection: Rejection } {
    const now = this.clock.now();
    this.roll(now);
    const { rate, concurrency, dailyQuota } = this.settings;
    if (this.daily >= dailyQuota)
      return { admitted: false, rejection: { code: '607', message: 'Daily quota reached' } };
    if (this.window.length >= rate.calls) {
      return {
        admitted: false,
        rejection: {
          code: '606',
          message: `Max rate limit '${rate.calls}' exceeded with in '${rate.windowSeconds}' secs`,
        },
      };
    }
    if (this.inFlight >= concurrency) {
      return {
        admitted: false,
        rejection: { code: '615', message: `Concurrent access limit '${concurrency}' reached` },
      };
    }
    this.window.push(now);
    this.daily++;
    this.inFlight++;
    return { admitted: true, at: now };
  }

  finish(admittedAt: number, marketoCode: string | undefined): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    if (marketoCode !== undefined && UNCOUNTED_CODES.has(marketoCode)) {
      const index = this.window.lastIndexOf(admittedAt);
      if (index >= 0) this.window.splice(index, 1);
      if (quotaDay(admittedAt) === this.day) this.daily = Math.max(0, this.daily - 1);
    }
  }

  reset(settings?: LimitSettings): void {
    if (settings) this.settings = settings;
    this.window = [];
    this.inFlight = 0;
    this.daily = 0;
    this.day = undefined;
  }

  private roll(now: number): void {
    const since = now - this.settings.rate.windowSeconds * 1000;
    // Calls stamped after `now` happened before the clock was moved back: they leave the window too.
    this.window = this.window.filter((at) => at > since && at <= now);
    const day = quotaDay(now);
    if (day !== this.day) {
      this.day = day;
      this.daily = 0;
    }
  }
}
