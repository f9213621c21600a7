// The CLI as one file: loading one bundle instead of several hundred modules takes a fifth off the cold start
// (`npm run bench`). better-sqlite3 is native, and Swagger UI serves files from its own package folder, so both
// stay outside. The migrations are code (each family's migrations.ts), so they are in the bundle.
//
// The bin (`dist/fake-marketo.mjs`) is a small loader; the program is `dist/fake-marketo.cjs`, compiled through V8's
// code cache: compiling the multi-megabyte bundle was the largest part of a cold start, and grew with every family
// (issue 32: start-up that does not grow with the API). Node 20 has no code cache for ES modules, hence CommonJS.
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FAMILIES } from '../src/families.js';
import { migrationsOf } from '../src/family.js';
import { migrationsKey, openDatabase } from '../src/storage/database.js';

export const BUNDLE = fileURLToPath(new URL('../dist/fake-marketo.mjs', import.meta.url));

/** The program beside a loader: `fake-marketo.mjs` → `fake-marketo.cjs`. */
export const programOf = (loader: string): string => join(dirname(loader), basename(loader, '.mjs') + '.cjs');

/**
 * find-my-way (Fastify's router) generates functions with `new Function` as routes are added: per route its params
 * object and its constraint matcher, per static node of the tree its prefix test — about 1,800 at every start, which
 * V8's code cache cannot keep (issue 32: about 12 ms of the cold start). In the bundle they are compiled on first use
 * instead, the same functions, each replacing its stub once it has run: a route no request reaches never compiles
 * them. Each replacement must match exactly once, so that a change in find-my-way fails the bundle build loudly rather
 * than going unpatched; the library (dist/src) keeps find-my-way as it is.
 */
export const LAZY_ROUTER_FUNCTIONS: Record<string, [from: string, to: string][]> = {
  'lib/handler-storage.js': [
    [
      '      _createParamsObject: this._compileCreateParamsObject(params)\n    }\n',
      '      _createParamsObject: null\n    }\n' +
        '    // fake-marketo (scripts/bundle.ts): compiled on first use.\n' +
        '    const storage = this\n' +
        '    let compiledParams = null\n' +
        '    handlerObject._createParamsObject = function _createParamsObject (param0, param1, param2, param3, extraParams) {\n' +
        '      compiledParams ??= storage._compileCreateParamsObject(params)\n' +
        '      handlerObject._createParamsObject = compiledParams\n' +
        '      return compiledParams(param0, param1, param2, param3, extraParams)\n' +
        '    }\n',
    ],
    [
      '      this._compileGetHandlerMatchingConstraints(constrainer, constraints)\n',
      '      // fake-marketo (scripts/bundle.ts): compiled on first use.\n' +
        '      this._getHandlerMatchingConstraints = function (derivedConstraints) {\n' +
        '        this._compileGetHandlerMatchingConstraints(constrainer)\n' +
        '        return this._getHandlerMatchingConstraints(derivedConstraints)\n' +
        '      }\n',
    ],
  ],
  'lib/node.js': [
    [
      '    this.matchPrefix = kind === NODE_TYPES.STATIC ? compilePrefixMatch(prefix) : null\n',
      '    this.matchPrefix = kind === NODE_TYPES.STATIC ? lazyPrefixMatch(this, prefix) : null\n',
    ],
    [
      '    this.matchPrefix = compilePrefixMatch(childPrefix)\n',
      '    this.matchPrefix = lazyPrefixMatch(this, childPrefix)\n',
    ],
    [
      '\nfunction compilePrefixMatch (prefix) {\n',
      "\n// fake-marketo (scripts/bundle.ts): a static node's prefix test, compiled on first use.\n" +
        'function lazyPrefixMatch (node, prefix) {\n' +
        '  let compiled = null\n' +
        '  return function matchPrefix (path, i) {\n' +
        '    compiled ??= compilePrefixMatch(prefix)\n' +
        '    if (node.matchPrefix === matchPrefix) node.matchPrefix = compiled\n' +
        '    return compiled(path, i)\n' +
        '  }\n' +
        '}\n\n' +
        'function compilePrefixMatch (prefix) {\n',
    ],
  ],
};

const lazyRouterFunctions: Plugin = {
  name: 'lazy-router-functions',
  setup(build) {
    build.onLoad({ filter: /[\\/]find-my-way[\\/]lib[\\/](handler-storage|node)\.js$/ }, (args) => {
      const file = Object.keys(LAZY_ROUTER_FUNCTIONS).find((name) => args.path.endsWith(name))!;
      let contents = readFileSync(args.path, 'utf8');
      for (const [from, to] of LAZY_ROUTER_FUNCTIONS[file]!) {
        const found = contents.split(from).length - 1;
        if (found !== 1) {
          throw new Error(
            `find-my-way's ${file} has ${found} copies of the code scripts/bundle.ts makes lazy (${JSON.stringify(from.trim())}); update or drop the patch`,
          );
        }
        contents = contents.replace(from, () => to);
      }
      return { contents, loader: 'js' };
    });
  },
};

/**
 * The registry's migrations run once, here: the bundle carries the migrated in-memory database (about 200 KiB) in
 * place of src/storage/bundled-image.ts, and a CLI start on `--memory` copies it instead of migrating
 * (src/storage/database.ts, `bundledImage`).
 */
const bundledImage: Plugin = {
  name: 'bundled-image',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/]storage[\\/]bundled-image\.ts$/ }, () => {
      const migrations = migrationsOf(FAMILIES);
      const db = openDatabase(':memory:', migrations);
      try {
        const image = { migrations: migrationsKey(migrations), image: db.serialize().toString('base64') };
        return { contents: `export const BUNDLED_IMAGE = ${JSON.stringify(image)};\n`, loader: 'js' };
      } finally {
        db.close();
      }
    });
  },
};

export function bundleOptions(loader = BUNDLE): BuildOptions {
  return {
    entryPoints: [fileURLToPath(new URL('../src/main.ts', import.meta.url))],
    outfile: programOf(loader),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['better-sqlite3', '@fastify/swagger-ui'],
    // import.meta.url (createRequire in the seed reader) is the program's own file URL.
    banner: { js: '"use strict";\n' + "const __programUrl = require('node:url').pathToFileURL(__filename).href;" },
    define: { 'import.meta.url': '__programUrl' },
    logLevel: 'warning',
    plugins: [lazyRouterFunctions, bundledImage],
  };
}

/**
 * The loader: reads the program, compiles it with the code cache kept beside it (keyed by Node's version, as V8
 * rejects another's), runs it as a CommonJS module, and — when there was no usable cache — writes one a second after
 * the start, from what the start compiled (best effort: a read-only install just compiles every time); then turns
 * V8's allocation-site pretenuring off for the rest of the process.
 */
function loaderSource(program: string): string {
  return `#!/usr/bin/env node
// fake-marketo's CLI: runs ${program} through V8's code cache (scripts/bundle.ts says why).
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { constants, Script } from 'node:vm';

const dir = dirname(fileURLToPath(import.meta.url));
const program = join(dir, ${JSON.stringify(program)});
const cacheFile = join(dir, \`.${program}.\${process.version}.\${process.arch}.cache\`);
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {}
// The program is one function expression in ASCII (buildBundle makes it so): read as is, no copy of its megabytes.
const script = new Script(readFileSync(program, 'latin1'), {
  filename: program,
  cachedData,
  importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});
const writeCache = cachedData === undefined || script.cachedDataRejected;
setTimeout(() => {
  if (writeCache) {
    try {
      const partial = \`\${cacheFile}.\${process.pid}\`;
      writeFileSync(partial, script.createCachedData());
      renameSync(partial, cacheFile);
    } catch {}
  }
  // The server's process (issue 25, docs/performance.md): V8 pretenures an allocation site whose objects survived, and
  // once a bulk export had made the lead rows' sites long-lived, every later sync and import allocated its short-lived
  // rows straight into the old generation. Turned off once the start is over, after the cache is written: V8 checks
  // a code cache against the flags it was made under, Node's own embedded cache of its built-in modules too, so set
  // earlier it had every built-in module the start loads (http, https, http2, crypto…) compiled from source
  // (issue 32), and set after the cache is made it would have the next start reject it.
  setFlagsFromString('--no-allocation-site-pretenuring');
}, 1000).unref();
const module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(program), module, program, dir);
`;
}

/** The CommonJS wrapper the loader calls the program with, on the program's first line (its line numbers stay). */
const PROGRAM_WRAPPER = '(function (exports, require, module, __filename, __dirname) {';

/**
 * The bundle as the loader runs it: one function expression (the loader compiles the file's text as it is, instead of
 * building a copy of its megabytes with the wrapper around it), in ASCII only (V8 keeps a one-byte string, half the
 * size of a two-byte one; esbuild escapes non-ASCII characters in code, and these are the rest, in comments).
 */
function asProgram(bundled: string): string {
  const body = bundled.startsWith('#!') ? bundled.slice(bundled.indexOf('\n') + 1) : bundled;
  const ascii = body.replace(/[^\0-\x7f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `${PROGRAM_WRAPPER}\n${ascii}\n})\n`;
}

/**
 * Builds the program and writes its loader at `loader`. The program may not hold an `import()`: on Node 20 a script
 * compiled from V8's code cache loses its dynamic-import callback (`importModuleDynamically` is honoured only on the
 * start that compiles), so an import() would reject with ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING on every later start.
 * Load lazily with `createRequire` instead (src/http/docs.ts).
 */
export async function buildBundle(loader = BUNDLE): Promise<void> {
  const { metafile } = await build({ ...bundleOptions(loader), metafile: true });
  const dynamic = Object.values(metafile.outputs)
    .flatMap((output) => output.imports)
    .filter((imported) => imported.kind === 'dynamic-import');
  if (dynamic.length > 0) {
    throw new Error(
      `the bundle imports ${dynamic.map((imported) => imported.path).join(', ')} with import(), which fails once ` +
        'the program runs from the code cache; use createRequire (scripts/bundle.ts says why)',
    );
  }
  const program = programOf(loader);
  writeFileSync(program, asProgram(readFileSync(program, 'utf8')));
  writeFileSync(loader, loaderSource(basename(program)), { mode: 0o755 });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildBundle();
