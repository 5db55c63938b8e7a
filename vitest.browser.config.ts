import { defineConfig } from 'vitest/config';

/** Browser tests (`npm run test:browser`): a real chromium against `npm run demo:web`; kept out of `npm test` (seeding takes half a minute). */
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    fileParallelism: false,
  },
});
