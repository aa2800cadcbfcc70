import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import nx from '@nx/eslint-plugin';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import svelteConfig from './apps/web/svelte.config.js';

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/build/**', '**/dist/**', '**/.svelte-kit/**', '**/drizzle/**', '.nx/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    // The web app runs in the browser; its .svelte files are TypeScript.
    files: ['apps/web/**/*.ts', 'apps/web/**/*.svelte', 'apps/web/**/*.svelte.ts'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { projectService: false, extraFileExtensions: ['.svelte'], parser: tseslint.parser, svelteConfig },
    },
    rules: {
      // The app is served at the root (no `paths.base`), so a root-relative href is already resolved.
      'svelte/no-navigation-without-resolve': 'off',
      // Types come from the contract, but its zod schemas stay out of the browser bundle.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: [{ name: '@atelier/contracts', allowTypeImports: true, message: 'Use `import type` from the contract in the web app (its schemas would ship zod to the browser).' }] },
      ],
    },
  },
  {
    files: ['**/*.ts', '**/*.svelte'],
    plugins: { '@nx': nx },
    rules: {
      // Services never import each other: apps depend on libs only, and contracts on nothing of ours.
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib', 'type:tool'] },
            // contracts, money and time are imported by the web app too: they depend on no other lib of ours (contracts on money and time only).
            { sourceTag: 'scope:contracts', onlyDependOnLibsWithTags: ['scope:money', 'scope:isomorphic'] },
            { sourceTag: 'scope:money', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'scope:isomorphic', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
    },
  },
  {
    // Shared with the web app: nothing Node-only may creep in.
    files: ['libs/time/src/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: '^node:', message: 'libs/time runs in the browser too' }] }] },
  },
  {
    files: ['tools/**/*.ts', '**/test/**/*.ts', '**/*.test.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // A service's tests may use dev tools (the Stripe emulator stands in for Stripe); its code may not.
    files: ['apps/*/test/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib', 'type:tool'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
          ],
        },
      ],
    },
  },
);
