import { compileGlob, type PathMatcher } from './glob.js';
import { formatMessage, RESPONSE_MESSAGES, type ResponseCode } from './marketo-codes.js';

/**
 * What an injected fault answers: a Marketo error, a bare HTTP status, or a delay before the real answer; or
 * `failJob`: the call is answered as usual, and the job it enqueues (a bulk extract's enqueue) fails when it begins
 * processing, with `message` as its error. On a call that enqueues no job, `failJob` changes nothing.
 */
export type FaultResponse =
  | { marketoError: { code: string; message?: string } }
  | { httpStatus: number; body?: unknown }
  | { delayMs: number }
  | { failJob: { message?: string } };

/** The error of a job failed by a `failJob` fault that names none. */
export const INJECTED_JOB_FAILURE = 'Injected fault: the job failed';

export interface FaultRuleInput {
  match: { method?: string; path?: string; clientId?: string };
  respond: FaultResponse;
  /** Only the next N matching calls. */
  times?: number;
  /** Chance (0–1] that a matching call is hit, drawn from a generator seeded with `seed`, so runs repeat. */
  probability?: number;
  seed?: number;
}

export interface FaultRule extends FaultRuleInput {
  id: string;
  /** Calls still to be hit (null: unlimited). */
  remaining: number | null;
  hits: number;
}

/** mulberry32: a tiny, well-known seeded generator; the same seed gives the same sequence. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface ActiveRule {
  rule: FaultRule;
  path?: PathMatcher;
  random: () => number;
}

export class Faults {
  private rules: ActiveRule[] = [];
  private lastId = 0;

  add(input: FaultRuleInput): FaultRule {
    const rule: FaultRule = { id: `fault-${++this.lastId}`, ...input, remaining: input.times ?? null, hits: 0 };
    this.rules.push({
      rule,
      ...(input.match.path ? { path: compileGlob(input.match.path) } : {}),
      random: seededRandom(input.seed ?? 1),
    });
    return rule;
  }

  list(): FaultRule[] {
    return this.rules.map((active) => ({ ...active.rule }));
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((active) => active.rule.id !== id);
    return this.rules.length < before;
  }

  clear(): void {
    this.rules = [];
    this.lastId = 0;
  }

  get empty(): boolean {
    return this.rules.length === 0;
  }

  /** Whether any rule needs the caller's client id to match. */
  get matchesClientIds(): boolean {
    return this.rules.some((active) => active.rule.match.clientId !== undefined);
  }

  /** The first live rule that matches and fires for this call; consumes one of its `times`. */
  fire(method: string, path: string, clientId: string | undefined): FaultRule | undefined {
    for (const active of this.rules) {
      const { rule } = active;
      if (rule.remaining === 0) continue;
      if (rule.match.method && rule.match.method.toUpperCase() !== method) continue;
      if (active.path && !active.path(path)) continue;
      if (rule.match.clientId !== undefined && rule.match.clientId !== clientId) continue;
      if (rule.probability !== undefined && active.random() >= rule.probability) continue;
      if (rule.remaining !== null) rule.remaining--;
      rule.hits++;
      return { ...rule };
    }
    return undefined;
  }
}

export function faultMessage(code: string, message?: string): string {
  if (message !== undefined) return message;
  // A documented response-level code answers with its documented text (701's detail left out).
  return code in RESPONSE_MESSAGES ? formatMessage(RESPONSE_MESSAGES[code as ResponseCode]).trim() : 'Injected fault';
}
