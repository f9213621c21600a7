import { describe, expect, it } from 'vitest';
import { faultMessage } from '../../src/domain/faults.js';
import { marketoMessage, reason, RECORD_MESSAGES, RESPONSE_MESSAGES } from '../../src/domain/marketo-codes.js';
import { objectSkipped, skipped } from '../../src/domain/results.js';
import { objectResultOf, recordResultOf, recordResultSchema } from '../../src/http/marketo-schemas.js';

describe('the Marketo code catalog (error-codes.md)', () => {
  it('gives the documented message, with its details filled in', () => {
    expect(marketoMessage('1008', 'Mexico')).toBe("Access denied to partition 'Mexico'");
    expect(marketoMessage('701', 'filterType')).toBe('filterType cannot be blank');
    expect(marketoMessage('606')).toBe("Max rate limit '100' exceeded with in '20' secs");
    expect(reason('1013')).toEqual({ code: '1013', message: 'Object not found' });
    expect(reason('1003', "Invalid value for field 'x' and value 'y'").message).toBe(
      "Invalid value for field 'x' and value 'y'",
    );
  });

  it('keeps response-level codes 6xx/7xx (and bulk 1029) apart from record-level 1xxx', () => {
    for (const code of Object.keys(RESPONSE_MESSAGES)) expect(code).toMatch(/^(6|7)\d\d$|^1029$/);
    for (const code of Object.keys(RECORD_MESSAGES)) expect(code).toMatch(/^1\d{3}$/);
  });

  it('an injected fault that names only a code answers with its documented text', () => {
    expect(faultMessage('615')).toBe("Concurrent access limit '10' reached");
    expect(faultMessage('701')).toBe('cannot be blank');
    expect(faultMessage('999')).toBe('Injected fault');
    expect(faultMessage('611', 'custom')).toBe('custom');
  });
});

describe('record results in both of Marketo’s shapes', () => {
  it('lead style {id, status} and object style {seq, id | marketoGUID, status}', () => {
    expect(skipped(reason('1004'), 7)).toEqual({
      id: 7,
      status: 'skipped',
      reasons: [{ code: '1004', message: 'Lead not found' }],
    });
    expect(objectSkipped(2, reason('1013'))).toEqual({
      seq: 2,
      status: 'skipped',
      reasons: [{ code: '1013', message: 'Object not found' }],
    });
    const listResult = recordResultOf(['added', 'removed', 'skipped']);
    expect(listResult.parse({ id: 5, status: 'added' })).toEqual({ id: 5, status: 'added' });
    expect(listResult.safeParse({ id: 5, status: 'created' }).success).toBe(false);
    const objectResult = objectResultOf(['created', 'updated', 'skipped']);
    expect(
      objectResult.parse({ seq: 0, marketoGUID: 'dff23271-f996-47d7-984f-f2676861b5fa', status: 'created' }),
    ).toEqual({
      seq: 0,
      marketoGUID: 'dff23271-f996-47d7-984f-f2676861b5fa',
      status: 'created',
    });
    expect(objectResult.safeParse({ status: 'created' }).success).toBe(false);
    // The lead routes' documented result keeps its four statuses.
    expect(recordResultSchema.shape.status.options).toEqual(['created', 'updated', 'deleted', 'skipped']);
  });
});
