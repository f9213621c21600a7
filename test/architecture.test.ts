import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The structure's one rule (docs/architecture.md, "What a family may import"): a family folder
 * (`src/families/<name>/`) imports the core and its own files, never another family's folder; the core imports no
 * family; the registry (`src/families.ts`) is imported by the composition root and the entry points only. What a
 * family needs of another comes through a port (src/ports.ts) or a core event.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');
const REGISTRY = 'src/families.ts';
/** The composition root, the seed document's types and the entry points: they put the registry to use. */
const REGISTRY_USERS = new Set(['src/app.ts', 'src/seed.ts', 'src/index.ts', 'src/start.ts', 'src/main.ts']);

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)'(\.{1,2}\/[^']+)'/gm;

/** Every relative import of each file, as paths from the repository root (`.js` read as the `.ts` it stands for). */
export function importsOf(files: ReadonlyMap<string, string>): Map<string, string[]> {
  const imports = new Map<string, string[]>();
  for (const [file, text] of files) {
    const targets: string[] = [];
    for (const match of text.matchAll(IMPORT)) {
      const target = relative(ROOT, resolve(ROOT, dirname(file), match[1]!)).replace(/\.js$/, '.ts');
      targets.push(target.split('\\').join('/'));
    }
    imports.set(file, targets);
  }
  return imports;
}

/** The worked example of docs/architecture.md is a family too, kept in the test tree (not served by the product). */
const WORKED_EXAMPLE = 'test/worked-example';

const familyOf = (path: string): string | undefined =>
  /^src\/families\/([^/]+)\//.exec(path)?.[1] ??
  (path.startsWith(`${WORKED_EXAMPLE}/`) && !path.endsWith('.test.ts') ? 'worked-example' : undefined);

/** The imports that break the rule, as `from → to: why`. */
export function violations(imports: ReadonlyMap<string, readonly string[]>): string[] {
  const found: string[] = [];
  for (const [file, targets] of imports) {
    const own = familyOf(file);
    for (const target of targets) {
      const other = familyOf(target);
      if (own !== undefined && other !== undefined && other !== own) {
        found.push(`${file} → ${target}: a family imports another family's folder (use a port)`);
      } else if (own === undefined && other !== undefined && file !== REGISTRY) {
        found.push(`${file} → ${target}: the core imports a family`);
      } else if (target === REGISTRY && !REGISTRY_USERS.has(file)) {
        found.push(`${file} → ${target}: only the composition root and the entry points use the registry`);
      }
    }
  }
  return found;
}

function sourceFiles(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(ROOT, path).split('\\').join('/'), readFileSync(path, 'utf8'));
  }
  return files;
}

describe('what a family may import', () => {
  it('no family folder imports another, the core imports no family, and only the root uses the registry', () => {
    const files = sourceFiles(SRC);
    expect(files.size).toBeGreaterThan(50);
    // The worked example's family (not its test, which builds an app with the registry) follows the same rule.
    for (const [file, text] of sourceFiles(join(ROOT, WORKED_EXAMPLE))) {
      if (familyOf(file) !== undefined) files.set(file, text);
    }
    expect(files.has(`${WORKED_EXAMPLE}/warranties.ts`)).toBe(true);
    expect([...files.keys()].filter((file) => familyOf(file) !== undefined).length).toBeGreaterThan(10);
    expect(violations(importsOf(files))).toEqual([]);
  });

  it('the check names each kind of breach (so the test above can fail)', () => {
    const files = new Map([
      ['src/families/lists/lists.ts', "import { leads } from '../leads/leads.js';\nimport { x } from './own.js';"],
      ['src/http/gate.ts', "import type { LeadRepository } from '../families/leads/repository.js';"],
      ['src/domain/access.ts', "const lazy = await import('../families.js');"],
      ['src/families.ts', "import { leads } from './families/leads/leads.js';"],
      ['src/app.ts', "import { FAMILIES } from './families.js';"],
      ['test/worked-example/warranties.ts', "import { leads } from '../../src/families/leads/leads.js';"],
    ]);
    expect(violations(importsOf(files))).toEqual([
      "src/families/lists/lists.ts → src/families/leads/leads.ts: a family imports another family's folder (use a port)",
      'src/http/gate.ts → src/families/leads/repository.ts: the core imports a family',
      'src/domain/access.ts → src/families.ts: only the composition root and the entry points use the registry',
      "test/worked-example/warranties.ts → src/families/leads/leads.ts: a family imports another family's folder (use a port)",
    ]);
  });
});
