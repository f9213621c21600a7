// The CLI as one file: loading one bundle instead of several hundred modules takes a fifth off the cold start
// (`npm run bench`). better-sqlite3 is native, and Swagger UI serves files from its own package folder, so both
// stay outside. The migrations are code (each family's migrations.ts), so they are in the bundle.
import { build, type BuildOptions } from 'esbuild';
import { fileURLToPath } from 'node:url';

export const BUNDLE = fileURLToPath(new URL('../dist/fake-marketo.mjs', import.meta.url));

export function bundleOptions(outfile = BUNDLE): BuildOptions {
  return {
    entryPoints: [fileURLToPath(new URL('../src/main.ts', import.meta.url))],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['better-sqlite3', '@fastify/swagger-ui'],
    // Bundled CommonJS packages (Fastify, pino) call require(); the entry keeps its #! line.
    banner: {
      js: "import { createRequire as createRequireForBundle } from 'node:module';\nconst require = createRequireForBundle(import.meta.url);",
    },
    logLevel: 'warning',
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await build(bundleOptions());
