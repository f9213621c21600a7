import type { z } from 'zod';
import type { PortName, Ports } from '../../ports.js';

/**
 * Timed work, as a family declares it: `jobs: { export: exportJob }` in its defineFamily, each kind made with
 * defineJob. The runner (runner.ts) keeps every job in the core's `jobs` table and advances it on the fake's clock,
 * one step at a time, each step in a transaction (docs/architecture.md, "Jobs on the clock").
 */

/** One job, as its family sees it. */
export interface Job<Payload = unknown> {
  readonly id: number;
  /** The declaring family's key and the kind's name in its `jobs`. */
  readonly family: string;
  readonly kind: string;
  /** The family's word for where the job stands: 'Queued', 'Processing', 'Completed'… (`FAILED` when a step threw). */
  readonly state: string;
  /** When its next step falls due (epoch ms, the fake's clock); null: nothing more to do. */
  readonly dueAt: number | null;
  /** The family's data for the job, as JSON (checked against the kind's schema whenever it is written). */
  readonly payload: Payload;
  /** The API user it belongs to; null for the subscription's own work (a scheduled campaign run). */
  readonly ownerId: number | null;
  /** What went wrong, when a step threw. */
  readonly error: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** A job whose step runs now: its step happens as of `dueAt`. */
export interface DueJob<Payload> extends Job<Payload> {
  readonly dueAt: number;
}

/** The state a job is in after a step threw; the step's writes are rolled back and `error` says why. */
export const FAILED = 'Failed';

/** What a step answers: the job's next state, and when its next step falls due. */
export interface JobStep<Payload> {
  state: string;
  /**
   * `job.dueAt` to go on at once (the runner's next step, after other requests have had their turn);
   * `job.dueAt + ms` to wait (counted from the step's own time, so a clock moved far ahead runs every step it passed);
   * null when the job is finished.
   */
  dueAt: number | null;
  /** The new payload; the job keeps its payload when absent. */
  payload?: Payload;
}

/** What a step has at hand. */
export interface JobStepContext<Repo> {
  /** The declaring family's repository. */
  repo: Repo;
  /** The fake's clock now; ≥ the job's dueAt (several steps may have fallen due since the last call). */
  now: number;
  port<K extends PortName>(name: K): Ports[K];
  findPort<K extends PortName>(name: K): Ports[K] | undefined;
  /** Other jobs (a flow step that schedules a Wait); the job being stepped is changed by the step's answer only. */
  jobs: Jobs;
}

/** A kind of job, typed with its family's repository and its payload. */
export interface JobKind<Repo, Payload> {
  /**
   * The payload's schema: checked when a job is scheduled, changed, stepped or loaded from a seed. Its output is stored
   * as JSON and read back as it is, so it must be JSON (no transforms into dates or maps).
   */
  payload: z.ZodType<Payload>;
  /**
   * Advances one job one step, inside a transaction: its writes and the job's new state are committed together, or,
   * when it throws, none of them (the job is then `FAILED` with the message). Keep a step to a few milliseconds: split
   * long work into steps that go on at once.
   */
  step(job: DueJob<Payload>, context: JobStepContext<Repo>): JobStep<Payload>;
}

/** Declares a job kind; the identity function gives it its types (annotate the step's context with the repository). */
export const defineJob = <Repo, Payload>(kind: JobKind<Repo, Payload>): JobKind<Repo, Payload> => kind;

/** The job kinds a family declares, by name (the name is stored with each job). */
export type JobKinds<Repo> = Readonly<Record<string, JobKind<Repo, unknown>>>;

/** Any family's kind, where only the payload matters (the repository is the runner's business). */
export type AnyJobKind<Payload> = JobKind<never, Payload>;

export interface NewJob<Payload> {
  state: string;
  dueAt: number | null;
  payload: Payload;
  ownerId?: number | null;
}

export interface JobChange<Payload> {
  state?: string;
  dueAt?: number | null;
  payload?: Payload;
}

export interface JobFilter {
  /** One owner's jobs (null: the subscription's own). */
  ownerId?: number | null;
  states?: readonly string[];
  /** Jobs after this id (paging). */
  afterId?: number;
  limit?: number;
}

/**
 * The jobs of registered kinds, for routes (create, enqueue, cancel, status) and steps. Each method names the kind,
 * whose family is the job's: a job of another kind is not found.
 */
export interface Jobs {
  schedule<P>(kind: AnyJobKind<P>, job: NewJob<P>): Job<P>;
  get<P>(kind: AnyJobKind<P>, id: number): Job<P> | undefined;
  /** Changes state, due time or payload (enqueue, cancel); undefined when there is no such job. */
  update<P>(kind: AnyJobKind<P>, id: number, change: JobChange<P>): Job<P> | undefined;
  /** Marks the job `FAILED` with `message`, nothing more due (an injected fault). */
  fail<P>(kind: AnyJobKind<P>, id: number, message: string): Job<P> | undefined;
  /** Deletes the job, and through their foreign keys the family's rows for it. */
  remove(kind: AnyJobKind<unknown>, id: number): boolean;
  /** In id order. */
  list<P>(kind: AnyJobKind<P>, filter?: JobFilter): Job<P>[];
}
