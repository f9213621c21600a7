/**
 * Validation messages in plain words (issue 23, item 19): zod's wording ("Invalid input: expected number, received
 * NaN") leaked into answers and start-up errors. Every place that shows a zod issue to a user passes it through here.
 */

/** The value at `path` inside `root` (own properties only), or undefined. */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** How much of a bad value a message repeats. */
const SHOWN_MAX = 40;

const ARTICLE = (noun: string) => (/^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`);
const BOUND_WORDS: Record<string, string> = {
  '<=': 'at most',
  '<': 'less than',
  '>=': 'at least',
  '>': 'more than',
};

/**
 * Zod's wording in plain words (issue 23, item 19): "Invalid input: expected number, received NaN" said of `abc`
 * is "'abc' is not a number", "Too big: expected number to be <=300" is "must be at most 300". Messages of our own
 * (refinements) pass as they are.
 */
export function plainMessage(message: string, sent: unknown): string {
  const shown =
    typeof sent === 'string'
      ? `'${sent.length > SHOWN_MAX ? `${sent.slice(0, SHOWN_MAX)}…` : sent}'`
      : typeof sent === 'number'
        ? String(sent)
        : undefined;
  const typed = /^Invalid input: expected (\w+), received (\w+)$/.exec(message);
  if (typed) {
    const [, expected, received] = typed as unknown as [string, string, string];
    if (received === 'undefined') return 'required';
    if (received === 'NaN') return shown ? `${shown} is not a number` : 'not a number';
    if (expected === 'int') return shown ? `${shown} is not a whole number` : 'must be a whole number';
    return `must be ${ARTICLE(expected)}, not ${ARTICLE(received)}`;
  }
  const bound = /^Too (?:big|small): expected \w+ to (be|have) (<=|<|>=|>)(\S+)(?: (\w+))?$/.exec(message);
  if (bound) {
    const [, verb, relation, limit, unit] = bound as unknown as [string, string, string, string, string?];
    return `must ${verb} ${BOUND_WORDS[relation]} ${limit}${unit ? ` ${unit}` : ''}`;
  }
  const option = /^Invalid option: expected one of (.+)$/.exec(message);
  if (option) return `must be one of ${option[1]!.split('|').join(', ')}`;
  return message;
}
