import { describe, expect, it, vi } from 'vitest';
import { DecisionLedger, type ObservedDecision } from '../../src/domain/decision-ledger.js';

/** The ledger behind the least-privilege report (src/domain/decision-ledger.ts): what it counts, and its bound. */
const READ = { permissions: ['read-only-lead', 'read-write-lead'], requireAll: false };
const T0 = Date.parse('2026-01-15T12:00:00Z');

function observed(overrides: Partial<ObservedDecision> = {}): ObservedDecision {
  return {
    user: 'sync@example.com',
    service: 'CI',
    operation: 'GET /rest/v1/leads.json',
    requirement: READ,
    workspaces: [1],
    workspacesHolding: (key) => (key === 'read-only-lead' ? [1, 2] : []),
    ...overrides,
  };
}

describe('DecisionLedger', () => {
  it('counts the calls of one (user, service, operation) per workspace that allowed them, first and last seen', () => {
    const ledger = new DecisionLedger(1024 * 1024);
    const route = {};
    const decision = {};
    ledger.observe(route, decision, 7, T0, () => observed({ workspaces: [1, 2] }));
    ledger.observe(route, decision, 7, T0 + 5000, () => observed({ workspaces: [1, 2] }));
    const [entry, ...others] = ledger.entries();
    expect(others).toEqual([]);
    expect(entry).toMatchObject({
      user: 'sync@example.com',
      service: 'CI',
      operation: 'GET /rest/v1/leads.json',
      requirement: READ,
      total: { calls: 2, firstSeen: T0, lastSeen: T0 + 5000 },
    });
    expect([...entry!.workspaces]).toEqual([
      [1, { calls: 2, firstSeen: T0, lastSeen: T0 + 5000, allowedBy: ['read-only-lead'] }],
      [2, { calls: 2, firstSeen: T0, lastSeen: T0 + 5000, allowedBy: ['read-only-lead'] }],
    ]);
    expect(entry!.denied).toBeUndefined();
  });

  it('works a (route, decision, service) out once; another service, route or decision is worked out again', () => {
    const ledger = new DecisionLedger(1024 * 1024);
    const route = {};
    const decision = {};
    const describe = vi.fn(() => observed());
    for (let i = 0; i < 5; i++) ledger.observe(route, decision, 7, T0, describe);
    expect(describe).toHaveBeenCalledTimes(1);
    ledger.observe(route, decision, 8, T0, () => observed({ service: 'Other' }));
    ledger.observe({}, decision, 7, T0, describe);
    ledger.observe(route, {}, 7, T0, describe);
    expect(describe).toHaveBeenCalledTimes(3);
    // The new route and decision of the same user, service and operation (access changed) add to the same entry.
    expect(ledger.entries().map((entry) => [entry.service, entry.total.calls])).toEqual([
      ['CI', 7],
      ['Other', 1],
    ]);
  });

  it('without a route (an operation named by its path), works every call out', () => {
    const ledger = new DecisionLedger(1024 * 1024);
    const describe = vi.fn(() => observed({ operation: 'GET /rest/v1/unknown.json' }));
    ledger.observe(undefined, {}, 7, T0, describe);
    ledger.observe(undefined, {}, 7, T0, describe);
    expect(describe).toHaveBeenCalledTimes(2);
    expect(ledger.entries()[0]!.total.calls).toBe(2);
  });

  it('knows users by email and services by name, whatever their case (ids change across resets, names do not)', () => {
    const ledger = new DecisionLedger(1024 * 1024);
    ledger.observe({}, {}, 1, T0, () => observed());
    ledger.observe({}, {}, 2, T0, () => observed({ user: 'SYNC@example.com', service: 'ci' }));
    expect(ledger.entries()).toHaveLength(1);
    expect(ledger.entries()[0]!.total.calls).toBe(2);
  });

  it('keeps what allowed the calls as access changed: the union', () => {
    const ledger = new DecisionLedger(1024 * 1024);
    ledger.observe({}, {}, 1, T0, () =>
      observed({ workspacesHolding: (key) => (key === 'read-write-lead' ? [1] : []) }),
    );
    ledger.observe({}, {}, 1, T0, () => observed());
    expect(ledger.entries()[0]!.workspaces.get(1)!.allowedBy).toEqual(['read-write-lead', 'read-only-lead']);
  });

  it('records a denial with the least permission that would have allowed it', () => {
    const ledger = new DecisionLedger(1024 * 1024);
    const denied = () => observed({ workspaces: [], workspacesHolding: () => [] });
    ledger.observe({}, {}, 1, T0, denied);
    ledger.observe({}, {}, 1, T0 + 1000, denied);
    const [entry] = ledger.entries();
    expect(entry!.workspaces.size).toBe(0);
    expect(entry!.denied).toEqual({ calls: 2, firstSeen: T0, lastSeen: T0 + 1000, missing: ['read-only-lead'] });
    expect(entry!.total.calls).toBe(2);
  });

  it('stays within its bytes, dropping the oldest entries first and counting what it dropped', () => {
    const maxBytes = 64 * 1024;
    const ledger = new DecisionLedger(maxBytes);
    const route = {};
    for (let i = 0; i < 1000; i++) {
      const decision = {};
      ledger.observe(route, decision, 1, T0 + i, () => observed({ operation: `GET /rest/v1/op${i}.json` }));
      ledger.observe(route, decision, 1, T0 + i, () => observed({ operation: `GET /rest/v1/op${i}.json` }));
    }
    const status = ledger.status();
    expect(status.bytes).toBeLessThanOrEqual(maxBytes);
    expect(status.entries).toBeGreaterThan(10);
    expect(status.entries + status.droppedEntries).toBe(1000);
    expect(status.droppedCalls).toBe(2 * status.droppedEntries);
    const operations = ledger.entries().map((entry) => entry.operation);
    expect(operations.at(-1)).toBe('GET /rest/v1/op999.json');
    expect(operations).not.toContain('GET /rest/v1/op0.json');
  });

  it('a dropped entry seen again starts afresh (its old slot counts nothing)', () => {
    const ledger = new DecisionLedger(64 * 1024);
    const route = {};
    const first = {};
    ledger.observe(route, first, 1, T0, () => observed({ operation: 'GET /first' }));
    for (let i = 0; ledger.entries().some((entry) => entry.operation === 'GET /first'); i++) {
      ledger.observe(route, {}, 1, T0, () => observed({ operation: `GET /filler${i}` }));
    }
    ledger.observe(route, first, 1, T0 + 1, () => observed({ operation: 'GET /first' }));
    const again = ledger.entries().find((entry) => entry.operation === 'GET /first');
    expect(again?.total).toEqual({ calls: 1, firstSeen: T0 + 1, lastSeen: T0 + 1 });
  });

  it('clear empties it and its counters', () => {
    const ledger = new DecisionLedger(64 * 1024);
    const route = {};
    const decision = {};
    ledger.observe(route, decision, 1, T0, () => observed());
    ledger.clear();
    expect(ledger.status()).toEqual({ entries: 0, bytes: 0, maxBytes: 64 * 1024, droppedEntries: 0, droppedCalls: 0 });
    ledger.observe(route, decision, 1, T0, () => observed());
    expect(ledger.entries()[0]!.total.calls).toBe(1);
  });
});
