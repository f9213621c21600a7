import type { LedgerEntry, Requirement, Tally } from './least-privilege.js';
import { missingFor } from './least-privilege.js';

/** One authorization decision, as the gate's authorize step saw it. */
export interface ObservedDecision {
  user: string;
  service: string;
  operation: string;
  requirement: Requirement;
  /** Workspaces whose permissions allowed the call; empty when it was denied. */
  workspaces: readonly number[];
  /** Where the caller holds a permission (implications included): `request.access.workspacesHolding`. */
  workspacesHolding(key: string): readonly number[];
}

export interface LedgerStatus {
  entries: number;
  bytes: number;
  maxBytes: number;
  /** Entries dropped (the oldest first) to stay within maxBytes since the ledger was last cleared. */
  droppedEntries: number;
  /** The calls those entries had counted. */
  droppedCalls: number;
}

/** The tallies one more call of a known (decision, service) adds to: the entry's total, and its workspaces' or denials. */
interface Slot {
  entry: StoredEntry;
  tallies: Tally[];
}

interface StoredEntry extends LedgerEntry {
  bytes: number;
  dropped: boolean;
}

/*
 * What an entry costs, estimated from what it holds (strings at 2 bytes a character, as V8 may keep them, and the
 * objects and maps around them, measured to stay under these): bounded, so the ledger stays within its bytes whatever
 * the traffic.
 */
const ENTRY_OVERHEAD_BYTES = 900;
const WORKSPACE_USE_BYTES = 350;
const stringBytes = (strings: readonly string[]) => strings.reduce((sum, text) => sum + 2 * text.length + 16, 0);

function tally(at: number): Tally {
  return { calls: 0, firstSeen: at, lastSeen: at };
}

/**
 * The least-privilege ledger (issue 31): per (API-only user, service, operation, workspace), the permissions that
 * allowed the calls, how many and when; and the denials with what was missing. Apart from the journal: it is kept
 * across POST /admin/reset (a suite resets before every test; the report must see the whole suite) until it is
 * cleared, and holds at most `maxBytes`, dropping its oldest entries first and counting what it dropped. Users are
 * known by email and services by name, as a seed names them, so entries from before a reset meet the same
 * integration after it.
 */
export class DecisionLedger {
  private readonly byKey = new Map<string, StoredEntry>();
  // The gate hands out the same decision object per caller and route until their access changes; with the route and the
  // service, it finds the entry without building a key: one more call costs three lookups.
  private recent = new WeakMap<object, WeakMap<object, Map<number, Slot>>>();
  private bytes = 0;
  private droppedEntries = 0;
  private droppedCalls = 0;

  constructor(readonly maxBytes: number) {}

  /**
   * Counts one decision at `at`. `route` (the route's own config object, undefined where the operation is read from the
   * path) and `decision` find a known slot at once; `describe` is called only when they do not.
   */
  observe(
    route: object | undefined,
    decision: object,
    serviceId: number,
    at: number,
    describe: () => ObservedDecision,
  ): void {
    let slot = route && this.recent.get(route)?.get(decision)?.get(serviceId);
    if (!slot || slot.entry.dropped) {
      slot = this.slotFor(describe(), at);
      if (route) {
        let byDecision = this.recent.get(route);
        if (!byDecision) this.recent.set(route, (byDecision = new WeakMap()));
        let byService = byDecision.get(decision);
        if (!byService) byDecision.set(decision, (byService = new Map()));
        byService.set(serviceId, slot);
      }
    }
    for (const counted of slot.tallies) {
      counted.calls++;
      counted.lastSeen = at;
    }
    if (this.bytes > this.maxBytes) this.dropOldest();
  }

  /** The entries, oldest first. */
  entries(): LedgerEntry[] {
    return [...this.byKey.values()];
  }

  status(): LedgerStatus {
    return {
      entries: this.byKey.size,
      bytes: this.bytes,
      maxBytes: this.maxBytes,
      droppedEntries: this.droppedEntries,
      droppedCalls: this.droppedCalls,
    };
  }

  clear(): void {
    for (const entry of this.byKey.values()) entry.dropped = true;
    this.byKey.clear();
    this.recent = new WeakMap();
    this.bytes = 0;
    this.droppedEntries = 0;
    this.droppedCalls = 0;
  }

  private slotFor(observed: ObservedDecision, at: number): Slot {
    const { requirement } = observed;
    const key = [
      observed.user.toLowerCase(),
      observed.service.toLowerCase(),
      observed.operation,
      requirement.requireAll ? 'all' : 'any',
      ...requirement.permissions,
    ].join('\n');
    let entry = this.byKey.get(key);
    if (!entry) {
      entry = {
        user: observed.user,
        service: observed.service,
        operation: observed.operation,
        requirement: { permissions: [...requirement.permissions], requireAll: requirement.requireAll },
        total: tally(at),
        workspaces: new Map(),
        bytes: ENTRY_OVERHEAD_BYTES + stringBytes([key, observed.user, observed.service]),
        dropped: false,
      };
      this.byKey.set(key, entry);
      this.bytes += entry.bytes;
    }
    const tallies: Tally[] = [entry.total];
    if (observed.workspaces.length === 0) {
      // What was missing as the caller's access stands now (it may have changed since the last such call).
      const missing = missingFor(requirement, observed.workspacesHolding);
      if (entry.denied) entry.denied.missing = missing;
      else entry.denied = { ...tally(at), missing };
      tallies.push(entry.denied);
    } else if (requirement.permissions.length > 0) {
      for (const workspaceId of observed.workspaces) {
        // A requireAll route allowed here held all of its permissions here (some only on its API's calls: Access Users).
        const allowedBy = requirement.requireAll
          ? requirement.permissions
          : requirement.permissions.filter((key) => observed.workspacesHolding(key).includes(workspaceId));
        let use = entry.workspaces.get(workspaceId);
        if (!use) {
          entry.workspaces.set(workspaceId, (use = { ...tally(at), allowedBy: [] }));
          this.grow(entry, WORKSPACE_USE_BYTES);
        }
        // Access may have changed since the last such call: what allowed it then and now.
        for (const key of allowedBy) {
          if (!use.allowedBy.includes(key)) {
            use.allowedBy.push(key);
            this.grow(entry, stringBytes([key]));
          }
        }
        tallies.push(use);
      }
    }
    return { entry, tallies };
  }

  private grow(entry: StoredEntry, bytes: number): void {
    entry.bytes += bytes;
    this.bytes += bytes;
  }

  private dropOldest(): void {
    for (const [key, entry] of this.byKey) {
      if (this.bytes <= this.maxBytes) break;
      this.byKey.delete(key);
      entry.dropped = true;
      this.bytes -= entry.bytes;
      this.droppedEntries++;
      this.droppedCalls += entry.total.calls;
    }
  }
}
