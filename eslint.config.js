import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // web/src/graphql/ is generated (npm run web:codegen).
  { ignores: ['node_modules/', 'dist/', '.data/', '.tools/', 'coverage/', 'web/src/graphql/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', fetch: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The portal runs in browsers: TypeScript checks its globals (DOM lib), and it may import only pure code from src/.
    files: ['web/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+src/(?!domain/|payments/paypal/currencies)',
              message: 'The web app imports only pure code from src/: src/domain/ and the PayPal currency list.',
            },
          ],
        },
      ],
    },
  },
  {
    // The workflow sandbox replaces I/O with nothing: forbid reaching for it by accident.
    files: ['src/workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/entities/**',
                '**/activities/*',
                '**/db/**',
                '**/payments/**',
                '**/emails/**',
                '@mikro-orm/*',
              ],
              message: 'Workflows do no I/O: import activity types only (import type).',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
);
