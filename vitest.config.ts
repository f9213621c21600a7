import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // The README's examples import the package by name; here that is the source.
    alias: { 'fake-marketo': fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
  },
  test: {
    testTimeout: 20_000,
    // Every Marketo answer the tests get is checked against its route's declared schema (src/http/response-checks.ts).
    env: { RESPONSE_CHECKS: 'fail' },
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'] } },
      {
        extends: true,
        test: { name: 'examples', include: ['examples/**/*.test.ts'], globalSetup: ['examples/global-setup.ts'] },
      },
    ],
  },
});
