import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // fails a file on any unhandled rejection / uncaught exception (test/reliability/faults.test.ts)
    setupFiles: ['test/setup/unhandled.ts', 'test/setup/fast-check.ts'],
    dangerouslyIgnoreUnhandledErrors: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default', 'json'],
    // the JSON summary lets .ci/run print a plain 'N passed, N failed' line
    outputFile: { json: 'test-output/vitest-results.json' },
  },
});
