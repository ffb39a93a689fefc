import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    // A worker keeps the modules it imported for its next file: importing the app (the Feishu
    // SDK, mongoose, VChart, ExcelJS …) cost about 1.3 s a file, 125 s a run. Files share no
    // state through them: each opens its own database, fake Feishu and bot and stops them after.
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 180_000,
    // Two cores: keep files from starving each other and the database server.
    maxWorkers: 2,
  },
});
