import { describe, expect, it } from 'vitest';
import { MarketoRouteTable } from '../../src/http/marketo-routes.js';

describe('the Marketo route table', () => {
  const table = new MarketoRouteTable();
  table.add('GET', '/rest/v1/lead/:leadId.json');
  table.add('POST', '/rest/asset/v1/email/:id/content/:htmlId.json');
  table.add('GET', '/rest/asset/v1/email/:id/content.json');
  table.add('POST', '/bulk/v1/leads/export/:exportId/enqueue.json', [], false);
  table.add('GET', '/rest/v1/leads.json');

  it('matches a concrete path by its pattern, a parameter within one segment', () => {
    expect(table.answers('GET', '/rest/v1/lead/42.json')).toBe(true);
    expect(table.answers('POST', '/rest/asset/v1/email/7/content/body.json')).toBe(true);
    expect(table.answers('POST', '/rest/asset/v1/email/7/content.json')).toBe(false);
    expect(table.answers('GET', '/rest/v1/lead/42/extra.json')).toBe(false);
    expect(table.answers('GET', '/rest/v1/lead/.json')).toBe(false);
  });

  it('says which methods a path answers, none for an unknown one, and which take no body', () => {
    expect(table.methodsFor('/rest/asset/v1/email/7/content.json')).toEqual(new Set(['GET']));
    expect(table.methodsFor('/rest/v1/leads.json')).toEqual(new Set(['GET']));
    expect(table.methodsFor('/rest/v1/unknown/path.json')).toEqual(new Set());
    expect(table.takesNoBody('POST', '/bulk/v1/leads/export/abc-1/enqueue.json')).toBe(true);
    expect(table.takesNoBody('POST', '/rest/asset/v1/email/7/content/body.json')).toBe(false);
    expect(table.list()).toHaveLength(5);
  });
});
