/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.test.json" }] },
  setupFiles: ["reflect-metadata"],
  testTimeout: 30000,
  // Each file starts real servers (and, without DATABASE_URL, its own embedded database).
  maxWorkers: 2,
};
