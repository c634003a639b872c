// ESM mode: feelin, bpmn-moddle and friends are ESM-only, CommonJS transforms break on them.
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: { ignoreCodes: [151002] } }],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/web/', '/data/', '/dist/'],
  globalSetup: '<rootDir>/test/support/global-setup.mjs',
  globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
  testTimeout: 60000,
  // ESM test modules are not freed between files (vm modules): in one process 150 files outgrow the heap. A
  // worker past this after a file is replaced by a fresh one (and with a limit, Jest uses a worker even on 2 cores).
  workerIdleMemoryLimit: '1GB',
};
