import { fileURLToPath } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The lint rules that keep workflow code deterministic, proven against small virtual files linted with the
 * project's own eslint.config.js. Nothing is written to disk: the fixture paths below do not exist, so the
 * type-aware parser is told (only here) to give them the project's tsconfig through `allowDefaultProject`.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const FIXTURES = {
  workflow: 'workflows/__lint_fixture__.ts',
  activity: 'activities/__lint_fixture__.ts',
  api: 'api/__lint_fixture__.ts',
  test: 'tests/__lint_fixture__.ts',
} as const;

const RESTRICTED = '@typescript-eslint/no-restricted-imports';
const FLOATING = '@typescript-eslint/no-floating-promises';

let eslint: ESLint;

beforeAll(async () => {
  eslint = new ESLint({
    cwd: ROOT,
    overrideConfig: {
      languageOptions: {
        parserOptions: {
          projectService: { allowDefaultProject: Object.values(FIXTURES), defaultProject: 'tsconfig.json' },
        },
      },
    },
  });
  // The first type-aware lint builds the TypeScript program: slow, so do it outside the tests' own timeouts.
  await lint('export const warmUp = 1;\n', FIXTURES.workflow);
}, 120_000);

/** Lints `code` as if it were the file at `filePath`; fails loudly on a parse error (which would hide every rule). */
async function lint(code: string, filePath: string): Promise<Linter.LintMessage[]> {
  const [result] = await eslint.lintText(code, { filePath });
  if (!result) throw new Error(`ESLint returned no result for ${filePath}`);
  const fatal = result.messages.filter((m) => m.fatal || m.ruleId === null);
  if (fatal.length > 0) throw new Error(`${filePath} did not lint: ${fatal.map((m) => m.message).join('; ')}`);
  return result.messages;
}

async function restricted(code: string, filePath: string = FIXTURES.workflow): Promise<Linter.LintMessage[]> {
  return (await lint(code, filePath)).filter((m) => m.ruleId === RESTRICTED);
}

describe('workflow code may not import what breaks determinism', () => {
  it.each([
    ["import pg from 'pg';", 'pg'],
    ["import { readFile } from 'node:fs';", 'node:fs'],
    ["import { x } from '../db/client';", '../db/client'],
    ["import { createActivities } from '../activities/create-activities';", '../activities/create-activities'],
  ])('%s is an error in workflows/', async (code, source) => {
    const messages = await restricted(`${code}\nexport {};\n`);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ severity: 2, line: 1 });
    expect(messages[0]?.message).toContain(`'${source}'`);
    expect(messages[0]?.message).toContain('Workflow code must be deterministic');
    expect(messages[0]?.message).toContain('Temporal’s workflow sandbox');
  });

  it.each([
    ["import { createHash } from 'crypto';"],
    ["import * as path from 'path';"],
    ["import { promises } from 'fs';"],
    ["import { readFile } from 'fs/promises';"],
    ["import { EventEmitter } from 'events';"],
    ["import { setTimeout as sleep } from 'node:timers/promises';"],
    ["import test from 'node:test';"],
    ["import { Worker } from 'worker_threads';"],
    ["import { drizzle } from 'drizzle-orm/node-postgres';"],
    ["import { eq } from 'drizzle-orm';"],
    ["import Fastify from 'fastify';"],
    ["import { Client } from '@temporalio/client';"],
    ["import { Worker } from '@temporalio/worker';"],
    ["import { Context } from '@temporalio/activity';"],
    ["import { buildApp } from '../api/app';"],
    ["export { createActivities } from '../activities/create-activities';"],
  ])('%s is an error in workflows/', async (code) => {
    const messages = await restricted(`${code}\nexport {};\n`);
    expect(messages.map((m) => m.severity)).toEqual([2]);
  });

  it('explains where such code belongs', async () => {
    const [pg] = await restricted("import pg from 'pg';\nexport {};\n");
    expect(pg?.message).toContain('Database access belongs in an activity');
    const [activities] = await restricted("import { createActivities } from '../activities/create-activities';\nexport {};\n");
    expect(activities?.message).toContain('may import them only as types');
  });
});

describe('what workflow code may import', () => {
  it('a type-only import from activities is allowed', async () => {
    const code =
      "import type { createActivities } from '../activities/create-activities';\n" +
      'export type Activities = ReturnType<typeof createActivities>;\n';
    expect(await restricted(code)).toEqual([]);
  });

  it('type-only imports of restricted packages are allowed (they are erased before the sandbox)', async () => {
    expect(await restricted("import type { Pool } from 'pg';\nexport type P = Pool;\n")).toEqual([]);
  });

  it('@temporalio/workflow, @temporalio/common and sibling workflow modules are allowed', async () => {
    const code =
      "import { condition } from '@temporalio/workflow';\n" +
      "import { ApplicationFailure } from '@temporalio/common';\n" +
      "import { parseIsoDuration } from './iso-duration';\n" +
      'export const used = [condition, ApplicationFailure, parseIsoDuration];\n';
    expect(await restricted(code)).toEqual([]);
  });

  it('the real workflows/ folder passes the rule', async () => {
    const results = await eslint.lintFiles(['workflows/**/*.ts']);
    expect(results.length).toBeGreaterThan(0);
    const findings = results.flatMap((r) =>
      r.messages.filter((m) => m.ruleId === RESTRICTED || m.fatal).map((m) => `${r.filePath}:${m.line} ${m.message}`),
    );
    expect(findings).toEqual([]);
  });
});

describe('the restriction is for workflows/ only', () => {
  it.each([[FIXTURES.activity], [FIXTURES.api], [FIXTURES.test]])("import pg from 'pg' is allowed in %s", async (filePath) => {
    const code = "import pg from 'pg';\nimport { readFile } from 'node:fs';\nexport const used = [pg, readFile];\n";
    expect(await restricted(code, filePath)).toEqual([]);
  });
});

describe('no-floating-promises everywhere', () => {
  it.each(Object.values(FIXTURES).map((p) => [p]))('an un-awaited promise is an error in %s', async (filePath) => {
    const messages = await lint('export async function f() {\n  Promise.resolve(1);\n  await 0;\n}\n', filePath);
    expect(messages.filter((m) => m.ruleId === FLOATING)).toMatchObject([{ severity: 2, line: 2 }]);
  });

  it('an awaited or explicitly voided promise is fine', async () => {
    const messages = await lint(
      'export async function f() {\n  await Promise.resolve(1);\n  void Promise.resolve(2);\n}\n',
      FIXTURES.workflow,
    );
    expect(messages.filter((m) => m.ruleId === FLOATING)).toEqual([]);
  });
});
