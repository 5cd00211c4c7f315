// @ts-check
import { builtinModules } from 'node:module';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/**
 * Workflow code runs inside Temporal's deterministic sandbox and is replayed from history: it must not do I/O,
 * read the clock or the environment directly, or pull in code that does. Temporal's bundler already fails on
 * most of these at worker start; this rule says so at edit time, with the reason, and also catches the
 * packages and project folders that would bundle but break determinism (database, HTTP, activities).
 *
 * Type-only imports are allowed everywhere: they are erased at compile time and never reach the sandbox
 * (the workflow needs `import type { createActivities } from '../activities/create-activities'`).
 */
const SANDBOX =
  'Workflow code must be deterministic and runs in Temporal’s workflow sandbox, which replays it from history; ' +
  'it cannot do I/O or use Node APIs.';

// `assert`, `url` and `util` are polyfilled by Temporal's bundler, but nothing in workflows/ needs them: keep
// the rule simple and forbid every built-in.
const nodeBuiltins = [...new Set(builtinModules.filter((name) => !name.startsWith('_')))].sort();

const restrictedWorkflowImports = {
  paths: [
    // Bare names here; every `node:` name is caught by the pattern below.
    ...nodeBuiltins.map((name) => ({
      name,
      message: `'${name}' is a Node built-in. ${SANDBOX} Do this in an activity (activities/) and call it via proxyActivities.`,
      allowTypeImports: true,
    })),
    ...['pg', 'drizzle-orm', 'drizzle-kit'].map((name) => ({
      name,
      message: `${SANDBOX} Database access belongs in an activity (activities/), called via proxyActivities.`,
      allowTypeImports: true,
    })),
    {
      name: 'fastify',
      message: `${SANDBOX} The HTTP server lives in api/; the workflow only receives updates, signals and queries.`,
      allowTypeImports: true,
    },
    ...['@temporalio/client', '@temporalio/worker', '@temporalio/activity'].map((name) => ({
      name,
      message: `${SANDBOX} Inside a workflow use '@temporalio/workflow' (and '@temporalio/common' for shared types).`,
      allowTypeImports: true,
    })),
  ],
  patterns: [
    {
      // All of them, including node:test, node:sqlite, node:sea… which exist only with the prefix.
      group: ['node:*'],
      message: `Node built-ins are not available. ${SANDBOX} Do this in an activity (activities/) and call it via proxyActivities.`,
      allowTypeImports: true,
    },
    {
      // Subpaths of the packages above (`drizzle-orm/node-postgres`, `pg/lib/…`, `@temporalio/worker/lib/…`).
      regex: String.raw`^(pg|drizzle-orm|drizzle-kit|fastify|@temporalio/(client|worker|activity))/`,
      message: `${SANDBOX} Database, HTTP and Temporal client/worker/activity code belongs outside workflows/.`,
      allowTypeImports: true,
    },
    {
      regex: String.raw`^(\.\./)+(activities|db|api)(/|$)`,
      message:
        `${SANDBOX} Activities, the database layer and the API do I/O; a workflow may import them only as types ` +
        '(`import type …`) and must call activities through proxyActivities.',
      allowTypeImports: true,
    },
  ],
};

export default defineConfig(
  {
    ignores: ['node_modules/', 'dist/', '.data/', 'tests/artifacts/', 'coverage/'],
  },

  // Type-aware recommended rules for all TypeScript.
  {
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // A promise nobody awaits loses its error and its ordering; in a workflow it can also break determinism.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // Fastify plugins, hooks and handlers are async by contract (an async plugin needs no `done`), even when
      // their body happens not to await.
      '@typescript-eslint/require-await': 'off',
      // A leading underscore marks a name that is deliberately unused (`const { id: _id, ...rest } = row`,
      // `for await (const _ of …)`); the code base uses that convention.
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },

  // Workflow code: deterministic, sandboxed.
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': ['error', restrictedWorkflowImports],
    },
  },

  // Tests: relax rules that are about style or about typing untyped JSON, not about real bugs.
  {
    files: ['tests/**/*.ts'],
    rules: {
      // HTTP responses are untyped JSON (`HttpResult<any>` in tests/support/cast.ts); asserting on their fields
      // with expect() is the point of the test, and typing every body would add nothing.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // With noUncheckedIndexedAccess, tests write `tokens.partner!` / `rows[0]!` as a readable "this exists";
      // when the receiver also accepts undefined the assertion is redundant but harmless.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
    },
  },

  // Plain JavaScript (this file): no type information.
  {
    files: ['**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },

  // The dashboard's browser modules (served as they are, no build): without types, a misspelt global would only
  // fail in the browser, so undefined names are errors here and the browser APIs they use are listed.
  {
    files: ['dashboard/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: Object.fromEntries(
        [
          'AbortController', 'Blob', 'document', 'fetch', 'history', 'location', 'Node', 'sessionStorage', 'setTimeout',
          'clearTimeout', 'console', 'crypto', 'TextDecoderStream', 'URL', 'URLSearchParams', 'window',
        ].map((name) => [name, 'readonly']),
      ),
    },
    rules: { 'no-undef': 'error' },
  },
);
