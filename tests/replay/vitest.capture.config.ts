import { defineConfig } from 'vitest/config';

// `npm run histories:capture`: runs the scenarios in *.capture.ts against real servers and commits their
// workflow histories under tests/replay/histories, for the replay test to hold every later change to.
export default defineConfig({
  test: {
    include: ['tests/replay/*.capture.ts'],
    globalSetup: ['tests/setup/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
