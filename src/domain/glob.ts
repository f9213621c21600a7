import { z } from 'zod';

/**
 * Path globs for stubs, fault rules and journal filters. `*` matches within one segment; a `**` segment matches
 * any number of segments, none included (`/rest/**` matches `/rest/v1/leads.json` and `/rest`).
 *
 * Matching is linear in the path's length (issue 23, item 9: `/rest/asset/v1/*aaa…b` against a 15 KB path took
 * seconds with a backtracking match): a segment pattern is compiled to its literal pieces between stars, each found
 * with Knuth–Morris–Pratt from where the previous one ended (leftmost is always right, as a `*` takes any text), so a
 * segment is read at most once per piece boundary; across segments, each pattern segment looks at each path segment
 * at most once, and globs accepted from clients have at most GLOB_MAX_SEGMENTS segments (`globProblem`).
 */
export type PathMatcher = (path: string) => boolean;

/** The longest glob a stub, a fault rule or a journal filter takes. */
export const GLOB_MAX_LENGTH = 500;
/** The most segments (between `/`) such a glob has: Marketo's longest paths have 8. */
export const GLOB_MAX_SEGMENTS = 16;

/** Why a client's glob is refused, or undefined when it is taken. */
export function globProblem(glob: string): string | undefined {
  if (glob.length > GLOB_MAX_LENGTH) return `at most ${GLOB_MAX_LENGTH} characters`;
  if (glob.split('/').length - 1 > GLOB_MAX_SEGMENTS) return `at most ${GLOB_MAX_SEGMENTS} segments`;
  return undefined;
}

/** A path glob as clients give it (stubs, fault rules, journal filters): bounded in length and segments. */
export const pathGlob = z.string().superRefine((glob, issues) => {
  const problem = globProblem(glob);
  if (problem !== undefined) issues.addIssue({ code: 'custom', message: problem });
});

type SegmentMatcher = (text: string) => boolean;

/** A literal piece with its KMP failure table: `failure[i]` is the longest proper border of `piece[0..i]`. */
interface Piece {
  text: string;
  failure: Int32Array;
}

function pieceOf(text: string): Piece {
  const failure = new Int32Array(text.length);
  for (let i = 1, k = 0; i < text.length; i++) {
    while (k > 0 && text[i] !== text[k]) k = failure[k - 1]!;
    if (text[i] === text[k]) k++;
    failure[i] = k;
  }
  return { text, failure };
}

/** Where `piece` first occurs in `text` between `from` and `end` (exclusive), or -1; reads each character once. */
function findPiece({ text: piece, failure }: Piece, text: string, from: number, end: number): number {
  for (let i = from, k = 0; i < end; i++) {
    while (k > 0 && text[i] !== piece[k]) k = failure[k - 1]!;
    if (text[i] === piece[k]) k++;
    if (k === piece.length) return i - k + 1;
  }
  return -1;
}

function compileSegment(pattern: string): SegmentMatcher {
  if (!pattern.includes('*')) return (text) => text === pattern;
  const pieces = pattern.split('*');
  const head = pieces[0]!;
  const tail = pieces[pieces.length - 1]!;
  const middle = pieces
    .slice(1, -1)
    .filter((piece) => piece !== '')
    .map(pieceOf);
  return (text) => {
    if (text.length < head.length + tail.length || !text.startsWith(head) || !text.endsWith(tail)) return false;
    const end = text.length - tail.length;
    let from = head.length;
    for (const piece of middle) {
      const at = findPiece(piece, text, from, end);
      if (at < 0) return false;
      from = at + piece.text.length;
    }
    return true;
  };
}

export function compileGlob(glob: string): PathMatcher {
  const patternSegments = glob.split('/').map((segment) => (segment === '**' ? undefined : compileSegment(segment)));
  return (path) => {
    const segments = path.split('/');
    // reachable[j]: the first i pattern segments can match the first j path segments.
    let reachable = new Array<boolean>(segments.length + 1).fill(false);
    reachable[0] = true;
    for (const matches of patternSegments) {
      const next = new Array<boolean>(segments.length + 1).fill(false);
      for (let j = 0; j <= segments.length; j++) {
        if (!reachable[j]) continue;
        if (matches === undefined) {
          for (let k = j; k <= segments.length; k++) next[k] = true;
          break;
        }
        if (j < segments.length && matches(segments[j]!)) next[j + 1] = true;
      }
      reachable = next;
    }
    return reachable[segments.length]!;
  };
}
