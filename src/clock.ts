/** Time source for all domain code; never read Date.now() elsewhere, so the clock control and tests see one time. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/**
 * A clock that follows real time from an adjustable offset, or stands still when frozen.
 * Tests freeze it; the admin clock control (advance/set/real) moves it.
 */
export class AdjustableClock implements Clock {
  private offsetMs = 0;
  private frozenAt: number | undefined;

  constructor(private readonly realNow: () => number = Date.now) {}

  now(): number {
    return this.frozenAt ?? this.realNow() + this.offsetMs;
  }

  /** Moves the clock by whole milliseconds, so every timestamp and request id stays an integer. */
  advance(seconds: number): void {
    const ms = Math.round(seconds * 1000);
    if (this.frozenAt !== undefined) this.frozenAt += ms;
    else this.offsetMs += ms;
  }

  /** Put the clock at `epochMs`; it keeps ticking from there unless frozen. */
  set(epochMs: number): void {
    const ms = Math.round(epochMs);
    if (this.frozenAt !== undefined) this.frozenAt = ms;
    else this.offsetMs = ms - this.realNow();
  }

  freeze(epochMs: number = this.now()): void {
    this.frozenAt = epochMs;
  }

  /** Back to real time. */
  real(): void {
    this.frozenAt = undefined;
    this.offsetMs = 0;
  }

  get mode(): 'real' | 'frozen' | 'offset' {
    if (this.frozenAt !== undefined) return 'frozen';
    return this.offsetMs === 0 ? 'real' : 'offset';
  }

  /** Where the clock stands, to be restored by `restore` (reset brings the clock back too). */
  state(): { offsetMs: number; frozenAt: number | undefined } {
    return { offsetMs: this.offsetMs, frozenAt: this.frozenAt };
  }

  restore(state: { offsetMs: number; frozenAt: number | undefined }): void {
    this.offsetMs = state.offsetMs;
    this.frozenAt = state.frozenAt;
  }

  offsetSeconds(): number {
    return Math.round((this.now() - this.realNow()) / 1000);
  }
}

/** A frozen clock at a fixed instant, for tests. */
export function frozenClock(iso = '2026-01-15T12:00:00.000Z'): AdjustableClock {
  const clock = new AdjustableClock();
  clock.freeze(Date.parse(iso));
  return clock;
}
