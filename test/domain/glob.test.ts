import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileGlob, globProblem, GLOB_MAX_SEGMENTS } from '../../src/domain/glob.js';

/** One segment of a glob, written the obvious way: a regular expression, `*` any text within the segment. */
function segmentReference(segment: string): RegExp {
  const pieces = segment.split('*').map((piece) => piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${pieces.join('[^/]*')}$`);
}

const char = fc.constantFrom('a', 'b', '/', '*');
const text = (max: number) => fc.array(char, { maxLength: max }).map((chars) => chars.join(''));

describe('path globs (issue 23, item 9)', () => {
  it('match what the glob means: * within a segment, ** across (property-based, against a reference)', () => {
    fc.assert(
      fc.property(text(10), text(12), (glob, path) => {
        const cleanPath = path.replace(/\*/g, 'a');
        // Only `**` as a whole segment spans segments; elsewhere a run of stars is one star.
        const cleanGlob = glob
          .split('/')
          .map((segment) => (segment === '**' ? segment : segment.replace(/\*+/g, '*')))
          .join('/');
        expect(compileGlob(cleanGlob)(cleanPath)).toBe(matchesReference(cleanGlob, cleanPath));
      }),
      { numRuns: 3000 },
    );
  });

  it('match the cases that made backtracking slow, correctly', () => {
    const glob = `/rest/asset/v1/*${'a'.repeat(400)}b`;
    expect(compileGlob(glob)(`/rest/asset/v1/${'a'.repeat(15_000)}`)).toBe(false);
    expect(compileGlob(glob)(`/rest/asset/v1/${'a'.repeat(15_000)}b`)).toBe(true);
    expect(compileGlob('/rest/*ab*abc*c')(`/rest/${'ab'.repeat(5000)}abcc`)).toBe(true);
    expect(compileGlob('/rest/*aab*')(`/rest/${'a'.repeat(5000)}`)).toBe(false);
  });

  it(`refuse client globs over 500 characters or ${GLOB_MAX_SEGMENTS} segments`, () => {
    expect(globProblem(`/rest${'/*'.repeat(GLOB_MAX_SEGMENTS - 1)}`)).toBeUndefined();
    expect(globProblem(`/rest${'/*'.repeat(GLOB_MAX_SEGMENTS)}`)).toBe(`at most ${GLOB_MAX_SEGMENTS} segments`);
    expect(globProblem(`/${'a'.repeat(500)}`)).toBe('at most 500 characters');
  });
});

/** The reference, with `**` handled by trying each way of splitting the path (small inputs only). */
function matchesReference(glob: string, path: string): boolean {
  const patterns = glob.split('/');
  const segments = path.split('/');
  const match = (p: number, s: number): boolean => {
    if (p === patterns.length) return s === segments.length;
    if (patterns[p] === '**') {
      for (let k = s; k <= segments.length; k++) if (match(p + 1, k)) return true;
      return false;
    }
    return s < segments.length && segmentReference(patterns[p]!).test(segments[s]!) && match(p + 1, s + 1);
  };
  return match(0, 0);
}
