import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Browser tests have their own config and script (npm run test:browser).
    exclude: ['test/browser/**', '**/node_modules/**'],
    // Engine, database and CLI tests spawn processes and touch disk; two cores in CI, shared by two
    // test files at once. A timeout is a guard against a hang, never a speed check: a CLI test
    // that takes 25 s alone took 56 s in the full suite, and longer on a loaded CI machine.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Most of a test's time is spent waiting on child processes (the CLI, engine servers) and
    // PostgreSQL, so two files at once even on CI's two cores (vitest's default there is one).
    maxWorkers: 2,
    // In CI, also a JSON summary, which .ci/run turns into one plain "N passed, N failed" line.
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.vitest-results.json' }]] : ['default'],
  },
});
