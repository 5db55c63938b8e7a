import { defineConfig } from 'vitest/config';

/**
 * Test files that run the CLI or other programs as child processes, kill them, hold folders and
 * ports, or install signal handlers: each gets a fresh worker process of its own (vitest's
 * `isolate`), so that nothing one leaves behind (a listener, a held folder, a late error) reaches
 * another. Their time is the children's; isolating them costs little.
 */
const ISOLATED = ['test/cli/**/*.test.ts', 'test/engine/hostile/**/*.test.ts', 'test/engine/persistence.test.ts', 'test/engine/shared-folder.test.ts', 'test/client/opensearch.test.ts'];

export default defineConfig({
  test: {
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
    projects: [
      {
        extends: true,
        test: {
          name: 'in-process',
          include: ['test/**/*.test.ts'],
          // Browser tests have their own config and script (npm run test:browser).
          exclude: ['test/browser/**', '**/node_modules/**', ...ISOLATED],
          // The rest run in the test process itself and share one worker per lane: a fresh worker per
          // file spent about a second of CPU on loading the engine and its modules again, more than
          // most of these files take to run (the whole suite spent a third of its CPU on it).
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'processes',
          include: ISOLATED,
          isolate: true,
        },
      },
    ],
  },
});
