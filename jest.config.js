/**
 * Jest runs the TypeScript sources through ts-jest (transpile only: `npm test` type-checks
 * with tsc first). @middy/core is published as ES modules only, so it is transformed to
 * CommonJS like our own code; this is the one module-loading choice for the whole codebase.
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', moduleResolution: 'node10', isolatedModules: true }, diagnostics: false }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(@middy)/)'],
  testTimeout: 30000,
  setupFiles: ['<rootDir>/local/quiet-sdk-warning.ts'],
};
