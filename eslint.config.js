// ESLint 9 flat config: typescript-eslint for .ts, eslint-plugin-vue for .vue, prettier owns formatting.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import vue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const ZONES = {};
const webGroup = [{ group: ['**/web/**'], message: 'nothing outside web/ imports the web app' }];

/** A zone's rule: relative imports into the listed top-level folders are errors (tests may reach anywhere). */
function groupsFor(zone) {
  return ZONES[zone].map((folder) => ({
    group: [`../**/${folder}/**`, `./${folder}/**`],
    message: `${zone.split('/')[0]}/ may not import ${folder}/ (DESIGN §3: server → domain → db, workers → domain, everything → platform, contracts; web → contracts only)`,
  }));
}

function layering(zones) {
  Object.assign(ZONES, zones);
  return Object.keys(zones).map((zone) => ({
    files: [zone],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: groupsFor(zone) }] },
  }));
}

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'dist/', 'web/dist/', 'web/.dist-*', 'coverage/', 'test/e2e/screenshots/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['web/src/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  // Layering (DESIGN §3): imports flow one way; a zone lists the project folders its files may not import.
  ...layering({
    'engine/**': ['server', 'domain', 'workers', 'db', 'web', 'platform', 'documents', 'contracts', 'bench'],
    'contracts/**': ['server', 'domain', 'workers', 'db', 'web', 'platform', 'documents', 'engine'],
    'platform/**': ['server', 'domain', 'workers', 'db', 'web', 'documents', 'engine'],
    'db/**': ['server', 'workers', 'web', 'engine', 'documents'],
    'domain/**': ['server', 'workers', 'web', 'engine', 'documents'],
    'documents/**': ['server', 'workers', 'web'],
    'workers/**': ['server', 'web', 'engine'],
    'server/**': ['web'],
    'web/src/**': ['server', 'domain', 'workers', 'db', 'platform', 'documents', 'engine', 'test', 'bench'],
  }),
  {
    // The server and the documents reach the engine only through its entry point.
    files: ['server/**', 'documents/**'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/engine/*/**'], message: 'only engine/index.ts is public' }, ...webGroup] },
      ],
    },
  },
  {
    // The domain has no HTTP and no engine calls.
    files: ['domain/**'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...groupsFor('domain/**'),
            { group: ['koa', '@koa/*', '@camunda8/*'], message: 'the domain has no HTTP and no engine calls' },
          ],
        },
      ],
    },
  },
  prettier,
);
