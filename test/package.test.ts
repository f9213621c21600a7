import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE } from '../scripts/bundle.js';

/**
 * The package as a project that depends on it sees it: `npm run build`'s tsc output under the package.json we
 * publish (its exports map), installed into a CommonJS project's node_modules. Dependencies come from this
 * checkout's node_modules (scripts/check-package.sh installs the packed tarball into a scratch project instead).
 */

const run = promisify(execFile);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

let scratch: string;
let consumer: string;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'fake-marketo-package-'));
  const pkg = join(scratch, 'fake-marketo');
  mkdirSync(pkg);
  cpSync(join(ROOT, 'package.json'), join(pkg, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(pkg, 'node_modules'));
  await run(process.execPath, [TSC, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', join(pkg, 'dist')]);

  consumer = join(scratch, 'consumer');
  mkdirSync(join(consumer, 'node_modules'), { recursive: true });
  symlinkSync(pkg, join(consumer, 'node_modules', 'fake-marketo'));
  // What `npm init -y` writes: no "type", so .js and .ts files are CommonJS.
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0' }));
}, 120_000);

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

async function typecheck(source: string): Promise<string> {
  writeFileSync(join(consumer, 'index.ts'), source);
  // What `tsc --init` writes for a Node project that is CommonJS (TypeScript 5.9).
  const tsconfig = {
    compilerOptions: {
      module: 'nodenext',
      target: 'esnext',
      strict: true,
      verbatimModuleSyntax: true,
      skipLibCheck: true,
      noEmit: true,
      types: ['node'],
      typeRoots: [join(ROOT, 'node_modules/@types')],
    },
    files: ['index.ts'],
  };
  writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify(tsconfig));
  try {
    await run(process.execPath, [TSC, '-p', join(consumer, 'tsconfig.json')], { cwd: consumer });
    return '';
  } catch (error) {
    return (error as { stdout: string }).stdout;
  }
}

describe('a CommonJS project', () => {
  it("require('fake-marketo') starts a fake (Node 20.19+ loads the ES module)", async () => {
    writeFileSync(
      join(consumer, 'start.js'),
      `const { startFakeMarketo, ConfigError } = require('fake-marketo');
(async () => {
  const fake = await startFakeMarketo();
  const health = await (await fetch(fake.url + '/health')).json();
  await fake.close();
  const refused = await startFakeMarketo({ config: { RATE_LIMITS: 'bogus' } }).catch((error) => error);
  console.log(JSON.stringify({ health, refused: refused instanceof ConfigError }));
})();
`,
    );
    const { stdout, stderr } = await run(process.execPath, ['start.js'], { cwd: consumer });
    expect(JSON.parse(stdout)).toEqual({
      health: { status: 'ok', version: packageJson.version, database: 'memory' },
      refused: true,
    });
    expect(stderr).toBe('');
  });

  it('in TypeScript: `import fm = require()` and a dynamic import() type-check', async () => {
    const errors = await typecheck(`import fm = require('fake-marketo');
async function viaRequire(): Promise<string> {
  const fake: fm.FakeMarketo = await fm.startFakeMarketo({ port: 0 });
  await fake.close();
  return fake.url;
}
async function viaImport(): Promise<string> {
  const { startFakeMarketo } = await import('fake-marketo');
  const fake = await startFakeMarketo({ config: { RATE_LIMITS: 'marketo' } });
  await fake.close();
  return fake.restUrl;
}
module.exports = { viaRequire, viaImport };
`);
    expect(errors).toBe('');
  });

  it('in TypeScript with verbatimModuleSyntax, a static import is TS1295 (as for any package in a CommonJS file)', async () => {
    const errors = await typecheck(`import { startFakeMarketo } from 'fake-marketo';
console.log(startFakeMarketo);
`);
    expect(errors).toContain('error TS1295');
    expect(errors.match(/error TS\d+/g)).toEqual(['error TS1295']);
  });
});

describe('npm start', () => {
  it('runs the bundled bin that `npm ci` builds (`npm run dev` runs the source, with reload)', () => {
    expect(packageJson.bin['fake-marketo']).toBe('dist/fake-marketo.mjs');
    expect(join(ROOT, packageJson.bin['fake-marketo'])).toBe(BUNDLE);
    expect(packageJson.scripts.start).toBe(`node ${packageJson.bin['fake-marketo']}`);
    expect(packageJson.scripts.prepare).toBe('npm run build');
    expect(packageJson.scripts.build).toContain('scripts/bundle.ts');
    expect(packageJson.scripts.dev).toBe('tsx watch src/main.ts');
  });
});

describe('Node 20', () => {
  it('every package the lock installs supports the Node versions package.json promises (overrides pin the rest)', () => {
    // cookie 2 (light-my-request 6.8's) and content-disposition 3 (@fastify/static 10.1.4+) want Node 22: the
    // overrides in package.json give light-my-request cookie 1.1.1 (the same stringifySetCookie) and keep
    // @fastify/static at 10.1.3.
    const semver = createRequire(import.meta.url)('semver') as {
      satisfies(version: string, range: string): boolean;
      minVersion(range: string): { version: string };
    };
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
    };
    const lowest = semver.minVersion(packageJson.engines.node as string).version;
    const unsupported = Object.entries(lock.packages)
      .filter(([, entry]) => {
        const node = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
        return node !== undefined && !semver.satisfies(lowest, node);
      })
      .map(([path, entry]) => `${path}@${entry.version}`);
    expect(unsupported).toEqual([]);
  });
});
