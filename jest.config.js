/** Tests run from TypeScript sources; process-level tests spawn the compiled build (npm test builds first). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': 'ts-jest',
    '/node_modules/jose/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true }, isolatedModules: true }],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  testTimeout: 60000,
  maxWorkers: 2,
  // Every suite skipped for want of PostgreSQL, Chromium or shared files is listed, with why, as the run's last lines.
  reporters: ['default', '<rootDir>/test/support/skipReporter.js'],
  globalTeardown: '<rootDir>/test/support/printSkips.js',
};
