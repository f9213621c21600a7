import { performance } from 'node:perf_hooks';
import type { AdjustableClock } from '../../clock.js';
import type { PortName, Ports } from '../../ports.js';
import type { Database } from '../../storage/database.js';
import {
  type AnyJobKind,
  FAILED,
  type Job,
  type JobChange,
  type JobFilter,
  type JobKind,
  type JobKinds,
  type Jobs,
  type JobStep,
  type NewJob,
} from './kinds.js';
import { type JobRow, JobStore, type KindKey, toJob } from './store.js';

/** A family's job kinds, with the repository their steps are given. */
export interface FamilyJobs {
  key: string;
  jobs?: JobKinds<unknown> | undefined;
  repo: unknown;
}

interface Registration {
  key: KindKey;
  kind: JobKind<unknown, unknown>;
  repo: unknown;
}

export interface RunnerOptions {
  /**
   * Wall-clock milliseconds of steps per turn before the runner yields to the event loop (what is still due runs in
   * the next turns). A request never waits for more than one turn and one step.
   */
  budgetMs?: number;
}

/** Where a step's failure is reported besides the job itself (the server log). */
export type StepFailureReport = (error: unknown, job: { id: number; family: string; kind: string }) => void;

const DEFAULT_BUDGET_MS = 10;
/** setTimeout's longest delay; a timer set for later fires early, finds nothing due and is set again. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const RETRY_AFTER_MS = 1000;
const MAX_STATE_LENGTH = 64;
const MAX_ERROR_LENGTH = 1000;

/** A problem in what a family passed or answered: a bug in the family, reported as the job's failure. */
class JobDefinitionError extends Error {}

/**
 * Runs the jobs of every registered kind on the fake's clock. What is due runs:
 * - before each request is handled (`nextDueAt` is one comparison on the hot path: see src/app.ts),
 * - right after the clock is moved (`clockMoved`), and at start (`start`: what fell due while the server was stopped),
 * - while no calls come, on an unref'd timer when the clock runs (real or offset mode; none when it is frozen).
 * Each step runs in its own transaction; a turn runs due steps, earliest due first, until none is due or its budget is
 * spent, then yields (setImmediate) and goes on.
 */
export class JobRunner implements Jobs {
  /**
   * When the first job falls due (epoch ms): a request arriving at or after it runs a turn first. -Infinity: not known
   * (after a reset or a load), read again by the next turn; Infinity: nothing will.
   */
  nextDueAt: number;
  private readonly store: JobStore;
  private readonly byKind = new Map<JobKind<unknown, unknown>, Registration>();
  private readonly byKey = new Map<string, Registration>();
  private readonly budgetMs: number;
  private started = false;
  private stopped = false;
  private turning = false;
  private timer: NodeJS.Timeout | undefined;
  private timerFor: number | undefined;
  private continuation: NodeJS.Immediate | undefined;
  private report: StepFailureReport = () => {};

  constructor(
    private readonly db: Database,
    private readonly clock: AdjustableClock,
    families: readonly FamilyJobs[],
    private readonly ports: {
      port<K extends PortName>(name: K): Ports[K];
      findPort<K extends PortName>(name: K): Ports[K] | undefined;
    },
    options: RunnerOptions = {},
  ) {
    this.budgetMs = options.budgetMs ?? DEFAULT_BUDGET_MS;
    for (const family of families) {
      for (const [name, kind] of Object.entries(family.jobs ?? {})) {
        const other = this.byKind.get(kind);
        if (other) {
          throw new Error(`the job kind "${name}" of "${family.key}" is also declared as "${other.key.join('.')}"`);
        }
        const registration: Registration = { key: [family.key, name], kind, repo: family.repo };
        this.byKind.set(kind, registration);
        this.byKey.set(keyOf(family.key, name), registration);
      }
    }
    this.store = new JobStore(
      db,
      clock,
      [...this.byKey.values()].map((r) => r.key),
    );
    this.nextDueAt = this.byKey.size > 0 ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }

  /** Runs what fell due while the server was stopped, and keeps running jobs from now on. */
  start(report?: StepFailureReport): void {
    if (report) this.report = report;
    this.started = true;
    this.runDue();
  }

  /** No more steps, timers or continuations (on close). */
  stop(): void {
    this.stopped = true;
    this.nextDueAt = Number.POSITIVE_INFINITY;
    this.disarm();
    if (this.continuation) clearImmediate(this.continuation);
    this.continuation = undefined;
  }

  /** After the clock was advanced, set or switched between frozen and running: run what is now due, time the rest. */
  clockMoved(): void {
    this.timerFor = undefined;
    this.runDue();
  }

  /** What this runner knew of the table may be stale (a reset, a load rolled back): read it again on the next turn. */
  forget(): void {
    if (this.byKey.size === 0) return;
    this.nextDueAt = Number.NEGATIVE_INFINITY;
    this.arm();
  }

  /** A job of a registered kind was written with this due time (a seed's): the next turn at or after it runs it. */
  noteDue(dueAt: number | null): void {
    if (dueAt !== null && dueAt < this.nextDueAt) {
      this.nextDueAt = dueAt;
      this.arm();
    }
  }

  /**
   * One turn: due steps, earliest first, until none is due or the budget is spent (then the next turn is set for
   * the event loop's next round). Never throws: a step's failure is its job's, and a failure of the database is
   * reported and tried again on the next turn.
   */
  runDue(): void {
    if (!this.started || this.stopped || this.turning) return;
    this.turning = true;
    let more = false;
    try {
      const deadline = performance.now() + this.budgetMs;
      for (;;) {
        const row = this.store.firstDueBy(this.clock.now());
        if (!row) break;
        this.step(row);
        if (performance.now() >= deadline) {
          more = true;
          break;
        }
      }
      this.nextDueAt = this.store.earliestDueAt() ?? Number.POSITIVE_INFINITY;
    } catch (error) {
      // The database itself failed (a step's own failure is its job's): try again a second later, not in a loop.
      this.nextDueAt = this.clock.now() + RETRY_AFTER_MS;
      this.report(error, { id: 0, family: '', kind: '' });
    } finally {
      this.turning = false;
    }
    if (more && !this.continuation) {
      // Not unref'd: libuv's poll phase waits for I/O while only unref'd immediates are pending, so an unref'd
      // continuation ran only when the next request came in (a 1,000,000-lead export took 4× its CPU time in wall
      // time, bench:scale). stop() clears it.
      this.continuation = setImmediate(() => {
        this.continuation = undefined;
        this.runDue();
      });
    }
    this.arm();
  }

  /** Runs turns, yielding between them, until nothing is due on the clock as it stands (for tests and scripts). */
  async drain(): Promise<void> {
    while (this.started && !this.stopped && this.clock.now() >= this.nextDueAt) {
      await new Promise((resolve) => setImmediate(resolve));
      this.runDue();
    }
  }

  schedule<P>(kind: AnyJobKind<P>, job: NewJob<P>): Job<P> {
    const { key, kind: declared } = this.registration(kind);
    const row = this.store.insert({
      family: key[0],
      kind: key[1],
      state: checkedState(job.state),
      due_at: checkedDueAt(job.dueAt),
      payload: payloadJson(declared, job.payload),
      owner_user_id: job.ownerId ?? null,
      error: null,
    });
    this.noteDue(row.due_at);
    return toJob(row);
  }

  get<P>(kind: AnyJobKind<P>, id: number): Job<P> | undefined {
    const row = this.store.get(id, this.registration(kind).key);
    return row && toJob(row);
  }

  update<P>(kind: AnyJobKind<P>, id: number, change: JobChange<P>): Job<P> | undefined {
    const { key, kind: declared } = this.registration(kind);
    const row = this.store.get(id, key);
    if (!row) return undefined;
    const updated = this.store.update(id, {
      state: change.state === undefined ? row.state : checkedState(change.state),
      due_at: change.dueAt === undefined ? row.due_at : checkedDueAt(change.dueAt),
      payload: change.payload === undefined ? row.payload : payloadJson(declared, change.payload),
      error: row.error,
    });
    this.noteDue(updated.due_at);
    return toJob(updated);
  }

  fail<P>(kind: AnyJobKind<P>, id: number, message: string): Job<P> | undefined {
    const row = this.store.get(id, this.registration(kind).key);
    return row && toJob(this.failed(row, message));
  }

  remove(kind: AnyJobKind<unknown>, id: number): boolean {
    return this.store.remove(id, this.registration(kind).key);
  }

  list<P>(kind: AnyJobKind<P>, filter: JobFilter = {}): Job<P>[] {
    return this.store.list(this.registration(kind).key, filter).map((row) => toJob<P>(row));
  }

  /** The kinds this runner runs, by family key and name (the seed part checks a seed's jobs against them). */
  kindNamed(family: string, kind: string): JobKind<unknown, unknown> | undefined {
    return this.byKey.get(keyOf(family, kind))?.kind;
  }

  /** The table's statements, for the seed part (seed.ts). */
  get rows(): JobStore {
    return this.store;
  }

  /**
   * This runner, or one that only reads the jobs of another database (a copy a snapshot is read from,
   * SubscriptionStore.snapshotJson): it runs nothing.
   */
  over(db: Database): JobRunner {
    return db === this.db ? this : new JobRunner(db, this.clock, [], this.ports);
  }

  private registration(kind: AnyJobKind<unknown>): Registration {
    const registration = this.byKind.get(kind as JobKind<unknown, unknown>);
    if (!registration) throw new Error('this job kind is not declared by a registered family (its `jobs`)');
    return registration;
  }

  /** One step of one job, in a transaction; a throw rolls the step back and fails the job with its message. */
  private step(row: JobRow): void {
    const registration = this.byKey.get(keyOf(row.family, row.kind))!;
    const { kind, repo } = registration;
    const now = this.clock.now();
    try {
      this.db.transaction(() => {
        const job = { ...toJob(row), dueAt: row.due_at! };
        const next: JobStep<unknown> = kind.step(job, {
          repo,
          now,
          port: this.ports.port,
          findPort: this.ports.findPort,
          jobs: this,
        });
        if (typeof next !== 'object' || next === null) throw new JobDefinitionError('the step answered no next state');
        this.store.update(row.id, {
          state: checkedState(next.state),
          due_at: checkedDueAt(next.dueAt),
          payload: next.payload === undefined ? row.payload : payloadJson(kind, next.payload),
          error: null,
        });
      })();
    } catch (error) {
      // Rolled back: nothing the step wrote is kept. The job fails in a transaction of its own.
      this.failed(row, error instanceof Error ? error.message : String(error));
      this.report(error, { id: row.id, family: row.family, kind: row.kind });
    }
  }

  private failed(row: JobRow, message: string): JobRow {
    return this.store.update(row.id, {
      state: FAILED,
      due_at: null,
      payload: row.payload,
      error: message.slice(0, MAX_ERROR_LENGTH) || 'the step failed',
    });
  }

  /** A timer for the next due time, while the clock runs; none while it is frozen (only a call or a move runs jobs). */
  private arm(): void {
    if (!this.started || this.stopped || this.continuation) return this.disarm();
    if (this.clock.mode === 'frozen' || this.nextDueAt === Number.POSITIVE_INFINITY) return this.disarm();
    if (this.timer && this.timerFor === this.nextDueAt) return;
    this.disarm();
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, this.nextDueAt - this.clock.now()));
    this.timerFor = this.nextDueAt;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerFor = undefined;
      this.runDue();
    }, delay);
    // The fake's server keeps the process alive; a job does not (it resumes at the next start).
    this.timer.unref();
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerFor = undefined;
  }
}

const keyOf = (family: string, kind: string): string => `${family}\u0000${kind}`;

function checkedState(state: unknown): string {
  if (typeof state !== 'string' || state.length === 0 || state.length > MAX_STATE_LENGTH) {
    throw new JobDefinitionError(`a job state is a string of 1 to ${MAX_STATE_LENGTH} characters`);
  }
  return state;
}

function checkedDueAt(dueAt: unknown): number | null {
  if (dueAt === null) return null;
  if (typeof dueAt !== 'number' || !Number.isFinite(dueAt)) {
    throw new JobDefinitionError('a job is due at a finite time in epoch milliseconds, or null when finished');
  }
  return Math.round(dueAt);
}

/** The payload as stored: the kind's schema's output, as JSON. */
export function payloadJson(kind: JobKind<unknown, unknown>, payload: unknown): string {
  const parsed = kind.payload.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const at = issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    throw new JobDefinitionError(`the job's payload does not match its kind's schema${at}: ${issue.message}`);
  }
  return JSON.stringify(parsed.data ?? null);
}
