import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const scopes = ['connections', 'contacts', 'console', 'documents', 'payments', 'xero-sandbox'];

/** Which projects may import which; tests (second argument) may also use the testing library. */
function boundaries(forTests) {
  const testing = forTests ? ['type:testing'] : [];
  return [
    'error',
    {
      enforceBuildableLibDependency: false,
      allow: [],
      depConstraints: [
        { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:infra', ...testing] },
        { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:testing'] },
        { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:infra', ...testing] },
        { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', ...testing] },
        {
          sourceTag: 'type:domain',
          onlyDependOnLibsWithTags: ['type:domain', ...testing],
          bannedExternalImports: ['@nestjs/*', 'typeorm', 'kafkajs', 'xero-node', 'pg'],
        },
        { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:infra', 'type:testing'] },
        { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
        ...scopes.map((scope) => ({ sourceTag: `scope:${scope}`, onlyDependOnLibsWithTags: ['scope:shared', `scope:${scope}`] })),
      ],
    },
  ];
}

const testFiles = ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/test/**/*.ts'];

/**
 * A service's pure rules live in `domain/` folders beside the code that uses them. They decide and never do I/O,
 * so they may not import the frameworks and drivers that do (the same list the `type:domain` tag bans for
 * whole projects). A path rule rather than a project of their own: Nx refuses relative imports across
 * projects, and these rules are imported relatively by the feature code next to them.
 */
const domainFiles = ['apps/*/src/**/domain/**/*.ts', 'libs/*/src/**/domain/**/*.ts'];
const frameworkImports = ['@nestjs/*', 'typeorm', 'typeorm/*', 'kafkajs', 'xero-node', 'xero-node/*', 'pg', 'express'];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/node_modules', '**/tmp', '**/*.cjs', '**/*.mjs'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries(false),
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: testFiles,
    rules: {
      '@nx/enforce-module-boundaries': boundaries(true),
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: domainFiles,
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: frameworkImports, message: 'Domain rules are pure: no framework, database, Kafka or Xero SDK imports (do the I/O in a service, repository or kind).' }] },
      ],
    },
  },
  { languageOptions: { parser: tseslint.parser } },
];
