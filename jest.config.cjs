// Three tiers, one Jest run (`npm test`), each tier runnable alone:
//   unit         no child processes, no emulators: pure logic and in-process fakes (seconds)
//                  npm run test:unit
//   integration  one component against the real emulators or real tools (esbuild, bash, git),
//                  files named *.integration.test.ts: npm run test:integration
//   system       the product started as processes: fault drills, the local stack, the image
//                  dry run, the committed action bundles; tests/system/: npm run test:system
// TypeScript is compiled by SWC to CommonJS for the tests; at run time the services use Node
// 24's own type stripping, so no build step exists.
/** @type {import('jest').Config} */
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2023' },
    module: { type: 'commonjs' },
  },
];

const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)sx?$': swc },
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  modulePathIgnorePatterns: ['<rootDir>/actions/.*/dist/'],
  testTimeout: 30000,
};

const everywhere = '<rootDir>/{services,actions,tools,terraform,tests,scripts}/**';

module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: [`${everywhere}/*.test.ts`],
      testPathIgnorePatterns: [
        ...common.testPathIgnorePatterns,
        '\\.integration\\.test\\.ts$',
        '<rootDir>/tests/system/',
      ],
      setupFiles: ['<rootDir>/tests/support/no-child-processes.cjs'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: [`${everywhere}/*.integration.test.ts`],
      testPathIgnorePatterns: [...common.testPathIgnorePatterns, '<rootDir>/tests/system/'],
    },
    {
      ...common,
      displayName: 'system',
      testMatch: ['<rootDir>/tests/system/**/*.test.ts'],
    },
  ],
  reporters: ['default', '<rootDir>/tests/support/jest-summary-reporter.cjs'],
  testTimeout: 30000,
};
