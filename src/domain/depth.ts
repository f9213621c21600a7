/**
 * How deep JSON may nest (decision of issue 11): deeper than 64 levels, a sync record is skipped with 1003 and an
 * admin body refused with 400 naming the path, before anything is stored. Values that deep are never data a client
 * means, and walking them recursively (building a message, validating, serializing) overflows the stack.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * The path to the first value nested deeper than `max` levels (`value` itself is level 1), or undefined. Walks
 * without recursion, so any depth is safe to look at.
 */
export function pathTooDeep(value: unknown, max: number = MAX_JSON_DEPTH): (string | number)[] | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  interface Node {
    value: object;
    depth: number;
    parent: Node | undefined;
    key: string | number | undefined;
  }
  const stack: Node[] = [{ value, depth: 1, parent: undefined, key: undefined }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.depth > max) {
      const path: (string | number)[] = [];
      for (let at: Node | undefined = node; at?.key !== undefined; at = at.parent) path.unshift(at.key);
      return path;
    }
    // Children read in place, in Object.entries' order: a 300-record sync is walked on every call (the body, then
    // each record), and an array of entries per object was most of what the walk cost.
    const push = (key: string | number, child: unknown): void => {
      if (typeof child === 'object' && child !== null) {
        stack.push({ value: child, depth: node.depth + 1, parent: node, key });
      }
    };
    if (Array.isArray(node.value)) {
      for (let index = 0; index < node.value.length; index++) push(index, node.value[index]);
    } else {
      const object = node.value as Record<string, unknown>;
      for (const key in object) if (Object.hasOwn(object, key)) push(key, object[key]);
    }
  }
  return undefined;
}

/** A path as the admin plane names it: `body.respond.body[0][0]`. */
export function formatPath(root: string, path: readonly (string | number)[]): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : `${text}.${key}`), root);
}
