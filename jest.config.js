// Two projects: unit specs beside the code (src/**/*.spec.ts: no database, transpiled only, seconds)
// and e2e specs in test/ (*.e2e-spec.ts) against real PostgreSQL, type-checked with the Swagger plugin.
// `npm test` runs both; `npm run test:unit` / `npm run test:e2e` select one.
const swaggerPlugin = { before: ['<rootDir>/test/swagger-plugin-transformer.js'] };

module.exports = {
  maxWorkers: 2,
  testTimeout: 30000,
  projects: [
    {
      displayName: 'unit',
      rootDir: '.',
      moduleFileExtensions: ['js', 'json', 'ts'],
      testRegex: 'src/.*\\.spec\\.ts$',
      transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.unit.json' }] },
      testEnvironment: 'node',
    },
    {
      displayName: 'e2e',
      rootDir: '.',
      moduleFileExtensions: ['js', 'json', 'ts'],
      testRegex: 'test/.*\\.e2e-spec\\.ts$',
      transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.spec.json', astTransformers: swaggerPlugin }] },
      testEnvironment: 'node',
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
      testTimeout: 30000,
    },
  ],
};
