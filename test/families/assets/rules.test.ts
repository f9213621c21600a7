import { describe, expect, it } from 'vitest';
import { programType, tokenValueProblem } from '../../../src/families/assets/rules.js';
import { formatAssetDatetime } from '../../../src/domain/datetime.js';
import { parseObjectParam } from '../../../src/engines/assets/params.js';

describe('object parameters of asset calls (parseObjectParam)', () => {
  it.each([
    ['JSON, as Adobe documents it', '{"id":12,"type":"Folder"}', { id: 12, type: 'Folder' }],
    ["marketorestpython's create_folder, type unquoted", "{'id': 12, 'type': Folder}", { id: 12, type: 'Folder' }],
    ['a Python repr with quotes', "{'id': 12, 'type': 'Program'}", { id: 12, type: 'Program' }],
    [
      "marketorestpython's tags, str() of a list of dicts",
      "[{'tagType': 'Region', 'tagValue': 'EU'}, {'tagType': 'Owner', 'tagValue': \"O'Brien\"}]",
      [
        { tagType: 'Region', tagValue: 'EU' },
        { tagType: 'Owner', tagValue: "O'Brien" },
      ],
    ],
    ['Python literals', "{'a': True, 'b': False, 'c': None, 'd': -1.5}", { a: true, b: false, c: null, d: -1.5 }],
    ['escapes inside quotes', "{'note': 'it\\'s, {odd}'}", { note: "it's, {odd}" }],
    ['empty containers', "{'a': [], 'b': {}}", { a: [], b: {} }],
  ])('%s', (_name, text, expected) => {
    expect(parseObjectParam(text)).toEqual(expected);
  });

  it.each(['{broken', "{'id': 12", '{12}', "{'a': 1} trailing", '', "{'a' 1}", '[1,,2]'])(
    'is undefined for %j',
    (text) => {
      expect(parseObjectParam(text)).toBeUndefined();
    },
  );
});

describe('asset rules', () => {
  it('writes datetimes with the literal Z+0000 the Asset API uses', () => {
    expect(formatAssetDatetime(Date.parse('2020-08-14T20:43:13.999Z'))).toBe('2020-08-14T20:43:13Z+0000');
  });

  it('reads program types as records show them and as the spec spells them', () => {
    expect(['default', 'Event', 'webinar', 'nurture', 'Email', 'Event with Webinar'].map(programType)).toEqual([
      'Default',
      'Event',
      'Event with Webinar',
      'Engagement',
      'Email',
      'Event with Webinar',
    ]);
    expect(programType('party')).toBeUndefined();
  });

  it('checks token values against their type', () => {
    expect(tokenValueProblem('number', '12.5')).toBeUndefined();
    expect(tokenValueProblem('number', 'twelve')).toMatch(/number/);
    expect(tokenValueProblem('score', '+5')).toBeUndefined();
    expect(tokenValueProblem('score', '5x')).toMatch(/score/);
    expect(tokenValueProblem('date', '2026-04-01')).toBeUndefined();
    expect(tokenValueProblem('date', '01/04/2026')).toMatch(/date/);
    expect(tokenValueProblem('rich text', '<p>anything</p>')).toBeUndefined();
  });
});
