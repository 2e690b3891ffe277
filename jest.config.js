/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.test.json" }] },
  // The client package is tested from its sources: its ESM imports name .js files that are .ts here.
  moduleNameMapper: {
    "^@session-service/client$": "<rootDir>/client/src/index.ts",
    "^(\\.{1,2}/.*)\\.js$": "$1",
  },
  setupFiles: ["reflect-metadata"],
  globalSetup: "<rootDir>/test/global-setup.ts",
  globalTeardown: "<rootDir>/test/global-teardown.ts",
  testSequencer: "<rootDir>/test/sequencer.js",
  testTimeout: 30000,
  // Each file starts real servers; without DATABASE_URL each has its own copy of a migrated embedded database.
  maxWorkers: 2,
};
