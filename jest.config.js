/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.test.json" }] },
  setupFiles: ["reflect-metadata"],
  globalSetup: "<rootDir>/test/global-setup.ts",
  globalTeardown: "<rootDir>/test/global-teardown.ts",
  testSequencer: "<rootDir>/test/sequencer.js",
  testTimeout: 30000,
  // Each file starts real servers; without DATABASE_URL each has its own copy of a migrated embedded database.
  maxWorkers: 2,
};
