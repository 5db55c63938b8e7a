import { defineConfig } from 'vitest/config';

/** `npm run test:lucene`: the engine judged by real Lucene (test/lucene), kept out of `npm test`. */
export default defineConfig({
  test: {
    include: ['test/lucene/**/*.lucene.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
