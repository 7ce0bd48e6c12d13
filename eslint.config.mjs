import nx from '@nx/eslint-plugin';

// Layering rules (see ../shared/STYLE.md §2): domain and contracts import nothing external; browser code never
// pulls server frameworks; node code never pulls Angular. Scopes only reach down into shared.
const nodeOnly = ['@nestjs/*', 'typeorm', '@kurrent/*', 'better-sqlite3', 'pg', 'onnxruntime-node', 'sharp'];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  { ignores: ['**/dist', '**/node_modules', '**/.angular', '**/test-output', '**/*.cjs', 'tools/**/*.js'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:application', 'type:infrastructure', 'type:domain', 'type:contracts', 'type:ui', 'type:feature', 'type:data-access'] },
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:application', 'type:infrastructure', 'type:domain', 'type:contracts'] },
            { sourceTag: 'type:application', onlyDependOnLibsWithTags: ['type:application', 'type:infrastructure', 'type:domain', 'type:contracts'] },
            { sourceTag: 'type:infrastructure', onlyDependOnLibsWithTags: ['type:infrastructure', 'type:domain', 'type:contracts'] },
            { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:feature', 'type:ui', 'type:data-access', 'type:contracts', 'type:domain'] },
            { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:contracts', 'type:domain'] },
            { sourceTag: 'type:ui', onlyDependOnLibsWithTags: ['type:ui', 'type:contracts'] },
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain'], bannedExternalImports: ['*'] },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'], bannedExternalImports: ['*'] },
            { sourceTag: 'platform:any', onlyDependOnLibsWithTags: ['platform:any'] },
            { sourceTag: 'platform:browser', onlyDependOnLibsWithTags: ['platform:browser', 'platform:any'], bannedExternalImports: nodeOnly },
            { sourceTag: 'platform:node', onlyDependOnLibsWithTags: ['platform:node', 'platform:any'], bannedExternalImports: ['@angular/*'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:ledger', onlyDependOnLibsWithTags: ['scope:ledger', 'scope:shared'] },
            { sourceTag: 'scope:biometrics', onlyDependOnLibsWithTags: ['scope:biometrics', 'scope:shared'] },
            { sourceTag: 'scope:enrollment', onlyDependOnLibsWithTags: ['scope:enrollment', 'scope:biometrics', 'scope:ledger', 'scope:shared'] },
            { sourceTag: 'scope:checkout', onlyDependOnLibsWithTags: ['scope:checkout', 'scope:enrollment', 'scope:biometrics', 'scope:ledger', 'scope:shared'] },
            { sourceTag: 'scope:claims', onlyDependOnLibsWithTags: ['scope:claims', 'scope:checkout', 'scope:enrollment', 'scope:biometrics', 'scope:ledger', 'scope:shared'] },
            { sourceTag: 'scope:risk', onlyDependOnLibsWithTags: ['scope:risk', 'scope:checkout', 'scope:enrollment', 'scope:biometrics', 'scope:ledger', 'scope:shared'] },
            { sourceTag: 'scope:audit', onlyDependOnLibsWithTags: ['scope:audit', 'scope:ledger', 'scope:shared'] },
            { sourceTag: 'scope:app', onlyDependOnLibsWithTags: ['scope:shared', 'scope:ledger', 'scope:biometrics', 'scope:enrollment', 'scope:checkout', 'scope:claims', 'scope:risk', 'scope:audit'] },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.spec.ts', 'tools/**/*.ts', 'apps/**/src/main.ts'],
    rules: { 'no-console': 'off' },
  },
];
