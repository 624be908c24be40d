import { defineConfig } from 'vitest/config';

export default defineConfig({
  define: { __APP_VERSION__: JSON.stringify('test') },
  test: {
    include: ['test/unit/**/*.test.ts', 'test/hub/**/*.test.ts', 'test/fuzz/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Two files at once even on two cores (vitest's default is one fewer than the cores): most hub
    // and sync tests wait on PostgreSQL, sockets and child processes rather than compute.
    maxWorkers: 2,
  },
});
