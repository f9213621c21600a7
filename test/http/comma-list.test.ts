import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { commaList } from '../../src/http/marketo-schemas.js';

describe('commaList', () => {
  const list = commaList(z.string());

  it('takes a comma-joined value or a repeated parameter, each piece trimmed and the empty ones left out', () => {
    expect(list.parse('a,b , c')).toEqual(['a', 'b', 'c']);
    expect(list.parse(['a,b', ' c ', ''])).toEqual(['a', 'b', 'c']);
    expect(list.parse(',a,,b,')).toEqual(['a', 'b']);
    expect(list.parse('')).toEqual([]);
    expect(commaList(z.string()).optional().parse(undefined)).toBeUndefined();
  });

  it('keeps a piece that is not a string, for the item schema to refuse', () => {
    expect(list.safeParse(['a', 5]).success).toBe(false);
    expect(commaList(z.union([z.string(), z.number()])).parse(['a,b', 5])).toEqual(['a', 'b', 5]);
  });
});
