import type { IncomingMessage } from 'node:http';
import { randomInt } from 'node:crypto';
import type { AppContext } from './context.js';
import { ConflictError, InvalidInputError, NotFoundError } from './domain/errors.js';

/**
 * Many subscriptions in one server, each at its own Munchkin id, as moto isolates by account and LocalStack by account
 * and region (issue 32). A real subscription lives at `https://123-ABC-456.mktorest.com/rest`; here at
 * `http://host:port/123-ABC-456/rest`, `/identity`, `/bulk`, `/userservice`, `/admin`, `/console`. Each has its own
 * AppContext — database, tokens, journal, clock, faults, limits, stubs, jobs — and the one route table serves them
 * all: a request's subscription is read from its path before routing, the prefix removed, and `request.ctx` set to it.
 * The root subscription is the one at `/` (and at its own id), the one a single-subscription user always had.
 */

/** Marketo's Munchkin id form: three digits, three capital letters, three digits. */
export const MUNCHKIN_ID = /^[0-9]{3}-[A-Z]{3}-[0-9]{3}$/;

const PREFIX = /^\/([0-9]{3}-[A-Z]{3}-[0-9]{3})(?=\/|$)/;

/** Where a path under an unknown Munchkin id is sent: its route answers 404, naming the id. */
export const UNKNOWN_SUBSCRIPTION_PREFIX = '/__unknown-subscription';

/** The most subscriptions one server holds (each costs memory whether used or not). */
export const MAX_SUBSCRIPTIONS = 10_000;

export interface SubscriptionInfo {
  munchkinId: string;
  root: boolean;
}

/**
 * Opens a new subscription's context in memory (from the migrated template), its seed loaded (else the demo service),
 * its jobs running; `settings` are its own values of the subscription-wide settings (RATE_LIMITS, POD, …).
 */
export type OpenSubscription = (munchkinId: string, seed: unknown, settings: Record<string, unknown>) => AppContext;

export class Subscriptions {
  private readonly others = new Map<string, AppContext>();
  /** The subscription each request's path named (set before routing, read by the root onRequest hook). */
  private readonly byRequest = new WeakMap<IncomingMessage, AppContext>();

  constructor(
    readonly root: AppContext,
    private readonly open: OpenSubscription,
  ) {}

  /**
   * The path a request is routed by: `/123-ABC-456/rest/v1/…` becomes `/rest/v1/…`, the request remembered as that
   * subscription's. The root answers at `/` and under its own id; an id no subscription has goes to the
   * unknown-subscription route.
   */
  route(request: IncomingMessage, path: string): string {
    const match = PREFIX.exec(path);
    if (!match) return path;
    const id = match[1]!;
    const rest = path.slice(match[0].length) || '/';
    if (id === this.root.munchkinId) return rest;
    const ctx = this.others.get(id);
    if (!ctx) return `${UNKNOWN_SUBSCRIPTION_PREFIX}/${id}${rest}`;
    this.byRequest.set(request, ctx);
    return rest;
  }

  /** The subscription a request is addressed to. */
  of(request: IncomingMessage): AppContext {
    return this.byRequest.get(request) ?? this.root;
  }

  /** The path prefix that addresses `ctx` (empty for the root, which answers at `/` too). */
  prefixOf(ctx: AppContext): string {
    return ctx === this.root ? '' : `/${ctx.munchkinId}`;
  }

  find(munchkinId: string): AppContext | undefined {
    return munchkinId === this.root.munchkinId ? this.root : this.others.get(munchkinId);
  }

  list(): SubscriptionInfo[] {
    return [
      { munchkinId: this.root.munchkinId, root: true },
      ...[...this.others.keys()].map((munchkinId) => ({ munchkinId, root: false })),
    ];
  }

  /** A new subscription: the given Munchkin id (409 when taken) or a free one; its seed, else the demo service. */
  create(input: { munchkinId?: string | undefined; seed?: unknown; settings?: Record<string, unknown> }): AppContext {
    if (this.others.size + 1 >= MAX_SUBSCRIPTIONS) {
      throw new ConflictError(`This server holds ${MAX_SUBSCRIPTIONS} subscriptions; delete one first`);
    }
    const munchkinId = input.munchkinId ?? this.freeId();
    if (!MUNCHKIN_ID.test(munchkinId)) {
      throw new InvalidInputError('A Munchkin id looks like 123-ABC-456', [
        { path: 'body.munchkinId', message: 'three digits, three capital letters, three digits' },
      ]);
    }
    if (this.find(munchkinId)) throw new ConflictError(`A subscription with Munchkin id ${munchkinId} already exists`);
    const ctx = this.open(munchkinId, input.seed, input.settings ?? {});
    this.others.set(munchkinId, ctx);
    return ctx;
  }

  /** Removes a subscription and everything it holds; the root cannot go (409). */
  delete(munchkinId: string): void {
    if (munchkinId === this.root.munchkinId) {
      throw new ConflictError(`${munchkinId} is the server's root subscription, which cannot be deleted`);
    }
    const ctx = this.others.get(munchkinId);
    if (!ctx) throw new NotFoundError('Subscription', munchkinId);
    this.others.delete(munchkinId);
    ctx.close();
  }

  /** Every subscription but the root closed (the server is closing; the root closes with it). */
  closeOthers(): void {
    for (const ctx of this.others.values()) ctx.close();
    this.others.clear();
  }

  private freeId(): string {
    const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    for (;;) {
      const digits = () => String(randomInt(1000)).padStart(3, '0');
      const word = Array.from({ length: 3 }, () => letters[randomInt(letters.length)]).join('');
      const id = `${digits()}-${word}-${digits()}`;
      if (!this.find(id)) return id;
    }
  }
}
