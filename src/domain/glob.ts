/**
 * Path globs for fault rules and journal filters. `*` matches within one segment; a `**` segment matches
 * any number of segments, none included (`/rest/**` matches `/rest/v1/leads.json` and `/rest`).
 * Matched segment by segment without regular expressions, so no pattern can make matching slow.
 */
export type PathMatcher = (path: string) => boolean;

/** `*` wildcards within one segment: the greedy two-pointer match with backtracking to the last star. */
function matchSegment(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = t;
    } else if (p < pattern.length && pattern[p] === text[t]) {
      p++;
      t++;
    } else if (star >= 0) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

export function compileGlob(glob: string): PathMatcher {
  const patternSegments = glob.split('/');
  return (path) => {
    const segments = path.split('/');
    // reachable[j]: the first i pattern segments can match the first j path segments.
    let reachable = new Array<boolean>(segments.length + 1).fill(false);
    reachable[0] = true;
    for (const pattern of patternSegments) {
      const next = new Array<boolean>(segments.length + 1).fill(false);
      for (let j = 0; j <= segments.length; j++) {
        if (!reachable[j]) continue;
        if (pattern === '**') {
          for (let k = j; k <= segments.length; k++) next[k] = true;
          break;
        }
        if (j < segments.length && matchSegment(pattern, segments[j]!)) next[j + 1] = true;
      }
      reachable = next;
    }
    return reachable[segments.length]!;
  };
}
