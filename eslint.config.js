// One linter for the whole tree; formatting is prettier's job.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'dist/', 'manifest/build/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-imports': 'off',
    },
  },
  {
    // The layering in DESIGN.md: nothing in src/, bot/ or cards/ may import a chat SDK.
    files: ['src/**/*.ts', 'bot/**/*.ts', 'cards/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['botbuilder*', 'botframework-*', '@slack/*'],
              message: 'Chat SDKs belong in adapters/.',
            },
            { group: ['**/adapters/**'], message: 'Arrows point one way: adapters -> bot -> src.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['botbuilder*', 'botframework-*', '@slack/*'],
              message: 'Chat SDKs belong in adapters/.',
            },
            {
              group: ['**/adapters/**', '**/bot/**'],
              message: 'src/ imports nothing from bot/ or adapters/.',
            },
          ],
        },
      ],
    },
  },
);
