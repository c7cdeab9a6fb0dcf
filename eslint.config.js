// ESLint, flat config (`npm run lint` runs it, then prettier --check). typescript-eslint's recommended
// rules, unused variables, import cycles, and the floors of docs/DESIGN.md "Layout": src/core imports
// nothing else of src/, src/engine never imports the harness, the harness never imports the papers.
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'results/', 'expected/', 'coverage/', '.gpu/', '.tmp/', 'test/golden/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    plugins: { 'import-x': importX },
    settings: {
      // Without .ts among the extensions, no-cycle silently follows no import of a .ts file.
      'import-x/extensions': ['.ts', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: ['tsconfig.json'] })],
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            { target: './src/core', from: './src', except: ['./core'], message: 'src/core is the ground floor: it imports nothing else of src/.' },
            { target: './src/engine', from: './src/harness', message: 'the engine does not import the harness (progress, errors and types live in src/core).' },
            { target: './src/harness', from: './src/papers', message: 'the harness is handed paper modules; it never imports src/papers/.' },
            {
              target: './src/report',
              from: ['./src/papers', './src/cli', './src/commands'],
              message: 'the report is handed paper modules (like the harness); it never imports src/papers/ or the CLI.',
            },
          ],
        },
      ],
    },
  },
);
