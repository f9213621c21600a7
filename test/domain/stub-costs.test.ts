import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../src/domain/journal.js';
import { BodyView, compileBody, MATCH_STEPS_MAX, newBudget, withinBudget } from '../../src/domain/matchers.js';
import {
  compileTemplate,
  renderTemplate,
  TEMPLATE_STEPS_MAX,
  TemplateOverrun,
} from '../../src/domain/stub-template.js';
import { verifyRequests } from '../../src/domain/verify.js';

/**
 * Issue 33's bounds on work: what a template helper or a body matcher does is counted against its run's budget by
 * the size of what it reads or makes, so no template or matcher does unbounded work per counted step.
 */

const scope = (body: unknown) => ({
  request: { method: 'POST', path: '/rest/v1/gizmos.json', body },
  caller: null,
  now: '2026-01-01T00:00:00.000Z',
});

const run = (source: string, body: unknown) => {
  const counter = { steps: 0, length: 0 };
  const value = renderTemplate(compileTemplate(source), scope(body), counter);
  return { value, steps: counter.steps };
};

describe('template helpers pay for their work', () => {
  const body = { input: Array.from({ length: 2000 }, (_, i) => ({ id: i, name: `gizmo ${i}` })) };
  const text = JSON.stringify(body);

  it('json, upper, lower, eq and number count the text they make or read, by its length', () => {
    for (const source of [
      '{{size (json request.body)}}',
      '{{size (upper (json request.body))}}',
      '{{#if (eq (json request.body) "x")}}y{{/if}}',
    ]) {
      expect(run(source, body).steps, source).toBeGreaterThanOrEqual(text.length / 32);
    }
    // A short text costs next to nothing.
    expect(run('{{upper request.method}}', body)).toMatchObject({ value: 'POST' });
    expect(run('{{upper request.method}}', body).steps).toBeLessThan(10);
  });

  it('jsonPath counts the nodes it looks at', () => {
    const { value, steps } = run("{{size (jsonPath request.body '$..name')}}", body);
    expect(value).toBe(7); // 'gizmo 0'.length: the first name found
    expect(steps).toBeGreaterThanOrEqual(2000);
  });

  it('a helper repeated in nested each stops at the step bound', () => {
    const template = compileTemplate(
      '{{#each request.body.input}}{{#each ../request.body.input}}{{#if (size (json ../../request.body))}}{{/if}}{{/each}}{{/each}}',
    );
    expect(() => renderTemplate(template, scope(body))).toThrow(
      new TemplateOverrun(`more than ${TEMPLATE_STEPS_MAX} steps`),
    );
  });

  it('each item of an each is a step, even with nothing in its body', () => {
    const template = compileTemplate('{{#each request.body.input}}{{#each ../request.body.input}}{{/each}}{{/each}}');
    expect(() => renderTemplate(template, scope(body))).toThrow(TemplateOverrun);
  });

  it('eq compares texts, numbers and booleans by their text, objects and arrays only as the same value', () => {
    expect(run('{{eq "42" 42}}', body).value).toBe(true);
    expect(run('{{eq request.body request.body}}', body).value).toBe(true);
    expect(run('{{eq request.body.input.[0] request.body.input.[1]}}', body).value).toBe(false);
  });
});

describe('body matchers pay for their work', () => {
  const big = { input: Array.from({ length: 5000 }, (_, i) => ({ id: i, tags: ['a', 'b'] })) };

  it('a JSON path pays for the nodes it looks at, and past the budget is a miss that says so', () => {
    const budget = newBudget();
    expect(compileBody({ matchesJsonPath: '$..tags[*]' }).test(new BodyView(big), budget)).toBe(true);
    expect(MATCH_STEPS_MAX - budget.steps).toBeGreaterThanOrEqual(5000 * 3);
    const poor = { steps: 100 };
    expect(withinBudget(() => compileBody({ matchesJsonPath: '$..tags[*]' }).test(new BodyView(big), poor))).toBe(
      'over budget',
    );
  });

  it('a regular expression or a contains pays for the text it searches', () => {
    const budget = newBudget();
    const view = new BodyView(big);
    expect(compileBody({ matches: '.*"id":4999.*' }).test(view, budget)).toBe(true);
    expect(MATCH_STEPS_MAX - budget.steps).toBeGreaterThanOrEqual(view.text!.length / 32);
  });
});

describe('verify holds each journal entry against its matchers with a budget of its own', () => {
  it('finds every matching entry, however much the earlier ones cost', () => {
    const items = Array.from({ length: 300 }, (_, i) => i);
    const entries: JournalEntry[] = Array.from({ length: 40 }, (_, i) => ({
      id: i + 1,
      at: '2026-01-01T00:00:00.000Z',
      method: 'POST',
      path: '/rest/v1/gizmos.json',
      query: {},
      status: 200,
      body: { input: [...items].reverse() },
      durationMs: 1,
    }));
    // Each comparison in any order costs about 300 × 300 steps: 40 of them are more than one budget.
    expect(40 * 300 * 300).toBeGreaterThan(MATCH_STEPS_MAX);
    const found = verifyRequests(
      entries,
      { path: '/rest/v1/gizmos.json', bodyPatterns: [{ equalToJson: { input: items }, ignoreArrayOrder: true }] },
      40,
    );
    expect(found).toHaveLength(40);
  });
});
