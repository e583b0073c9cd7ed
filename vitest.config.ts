import { defineConfig } from 'vitest/config';

/** Engine tests that also run on the plain representation (KRIPKE_NO_CODEC=1), the reference. */
const BOTH_PATHS = ['fixtures', 'bfs', 'coverage', 'model-based', 'errors', 'fingerprint', 'tlbbench'].map((f) => `test/engine/${f}.test.ts`);

export default defineConfig({
  test: {
    testTimeout: 60_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'encoded', include: ['test/**/*.test.ts'] } },
      { extends: true, test: { name: 'plain', include: BOTH_PATHS, env: { KRIPKE_NO_CODEC: '1' } } },
    ],
  },
});
