import { defineConfig } from 'vitest/config';

/**
 * Three projects: `unit` (pure logic beside the code, and the evals of scripts/ on small fixtures), `integration` (test/, against a
 * real Kafka broker started once by the global setup and a real redis-server per test file) and
 * `chaos` (test/chaos/: processes killed, servers restarted; `npm run test:chaos`).
 */
export default defineConfig({
  // graphql 16 has no "exports" map: Node loads its CommonJS build while Vite would pick the ESM
  // one for our sources, and two copies of graphql refuse each other's schemas. Use Node's choice.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    // Two cores: files run one at a time so broker-bound tests don't starve each other.
    fileParallelism: false,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'bench/**/*.test.ts'],
          exclude: ['src/local/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts', 'src/local/**/*.test.ts'],
          exclude: ['test/chaos/**'],
          globalSetup: ['test/harness/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 600_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'chaos',
          include: ['test/chaos/**/*.test.ts'],
          globalSetup: ['test/harness/global-setup.ts'],
          testTimeout: 300_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
