import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DCLinter } from 'dclint';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RABAT_PROCESS } from '../config/dialogue';
import { dialogueFrom, loadConfig } from '../config/env';

/**
 * The test suite does not start the production topology (docker-compose.yml): that needs a Docker engine
 * and registry access. It is checked statically instead: dclint validates it against the Compose specification and its best-practice
 * rules, and the parsed document is checked for the wiring the application relies on. The one piece of
 * logic in the file, the search-attribute registration script, is run against a stub `temporal` CLI.
 */

const execFileAsync = promisify(execFile);
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const composePath = join(repoRoot, 'docker-compose.yml');

const SEARCH_ATTRIBUTES = ['RequestPhase', 'RequestCountry', 'RequestDomain'];

/** Every dclint rule at its default level, as the CLI uses them without a config file. */
const lintAll = (paths: string[]) =>
  new DCLinter({ rules: {}, quiet: false, debug: false, exclude: [] }).lintFiles(paths, false);

interface ComposeService {
  entrypoint?: string | string[];
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  ports?: string[];
}

interface ComposeFile {
  services: Record<string, ComposeService>;
}

/** The one variable an operator must set (it has no default on purpose): the payload encryption keys. */
const OPERATOR_ENV: Record<string, string> = { PAYLOAD_KEYS: 'ops-2026:c2VjcmV0LWtleS1vZi0zMi1ieXRlcy1mb3ItdGVzdHM=' };

/**
 * Compose's variable interpolation with only the operator's required variables set, so the `${VAR:-default}`
 * defaults apply: what `docker compose up` sees on a machine without a `.env` file.
 */
function interpolate(text: string, vars: Record<string, string> = OPERATOR_ENV): string {
  return text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match, name: string | undefined, operator: string | undefined, operand: string | undefined) => {
      if (match === '$$') return '$';
      const value = name ? vars[name] : undefined;
      if (operator === undefined) return value ?? '';
      if (operator === '-' || operator === ':-') return value || (operand ?? '');
      if (operator === '?' || operator === ':?') {
        if (value) return value;
        throw new Error(`required variable ${name} is missing: ${operand}`);
      }
      throw new Error(`Interpolation "${match}" is not supported by this test`);
    },
  );
}

function environmentOf(service: ComposeService): Record<string, string> {
  const raw = service.environment ?? {};
  const entries = Array.isArray(raw)
    ? raw.map((item): [string, string] => {
        const separator = item.indexOf('=');
        return separator === -1 ? [item, ''] : [item.slice(0, separator), item.slice(separator + 1)];
      })
    : Object.entries(raw).map(([key, value]): [string, string] => [key, value === null ? '' : String(value)]);
  return Object.fromEntries(entries.map(([key, value]) => [key, interpolate(value)]));
}

function conditionsOf(service: ComposeService): Record<string, string> {
  const dependsOn = service.depends_on ?? {};
  if (Array.isArray(dependsOn)) {
    return Object.fromEntries(dependsOn.map((name) => [name, 'service_started']));
  }
  return Object.fromEntries(
    Object.entries(dependsOn).map(([name, dependency]) => [name, dependency.condition ?? 'service_started']),
  );
}

describe('docker-compose.yml', () => {
  let compose: ComposeFile;

  const service = (name: string): ComposeService => {
    const found = compose.services[name];
    if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
    return found;
  };

  beforeAll(async () => {
    // `merge: true` resolves the `<<:` merge keys the way Compose does. The shape is checked by dclint
    // against the Compose schema in the first test.
    compose = parse(await readFile(composePath, 'utf8'), { merge: true }) as ComposeFile;
  });

  it('passes dclint: the Compose schema and every default rule, warnings included', () => {
    const results = lintAll([composePath]);

    expect(results).toHaveLength(1);
    const [result] = results;
    const problems = result?.messages.map(
      ({ line, column, type, message, rule }) => `${String(line)}:${String(column)} ${type} ${message} [${rule}]`,
    );
    expect(problems).toEqual([]);
    expect(result?.errorCount).toBe(0);
    expect(result?.warningCount).toBe(0);
  });

  describe('dclint itself', () => {
    let scratchDir: string;

    beforeAll(async () => {
      scratchDir = await mkdtemp(join(tmpdir(), 'dclint-'));
    });

    afterAll(async () => {
      await rm(scratchDir, { recursive: true, force: true });
    });

    it('reports a compose file with an unknown service key as invalid', async () => {
      const brokenPath = join(scratchDir, 'docker-compose.yml');
      // `restart_policy` belongs under `deploy:`, not directly in a service.
      await writeFile(
        brokenPath,
        "name: broken\nservices:\n  api:\n    image: 'node:20-bookworm-slim'\n    restart_policy: always\n",
      );

      const [result] = lintAll([brokenPath]);

      expect(result?.errorCount).toBeGreaterThan(0);
      expect(result?.messages.map((message) => message.rule)).toContain('invalid-schema');
    });
  });

  it('declares the production services', () => {
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining(['postgres', 'temporal', 'temporal-admin-tools', 'temporal-ui', 'api', 'worker']),
    );
    expect(service('api').command).toBe('npm run api');
    expect(service('worker').command).toBe('npm run worker');
  });

  it.each(['api', 'worker'])('gives %s the Postgres and Temporal addresses of the compose services', (name) => {
    const env = environmentOf(service(name));
    const postgresEnv = environmentOf(service('postgres'));

    expect(env.DATABASE_URL).toBeDefined();
    const databaseUrl = new URL(env.DATABASE_URL ?? '');
    expect(databaseUrl.protocol).toBe('postgres:');
    expect(databaseUrl.hostname).toBe('postgres');
    expect(databaseUrl.port).toBe('5432');
    // The credentials and database the postgres container is initialised with.
    const { POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB = '' } = postgresEnv;
    expect(POSTGRES_DB).not.toBe('');
    expect(decodeURIComponent(databaseUrl.username)).toBe(POSTGRES_USER);
    expect(decodeURIComponent(databaseUrl.password)).toBe(POSTGRES_PASSWORD);
    expect(databaseUrl.pathname).toBe(`/${POSTGRES_DB}`);

    expect(env.TEMPORAL_ADDRESS).toBe('temporal:7233');
    // Encryption keys come from the operator's environment, never from a default in the file.
    expect(env.PAYLOAD_KEYS).toBe(OPERATOR_ENV.PAYLOAD_KEYS);
    const raw = (service(name).environment as Record<string, string>).PAYLOAD_KEYS!;
    expect(() => interpolate(raw, {})).toThrow(/PAYLOAD_KEYS is missing: .*key generate/);
    expect(env.TEMPORAL_NAMESPACE).toBe('default');
  });

  it.each(['api', 'worker'])('starts %s only once Postgres is healthy and the search attributes exist', (name) => {
    expect(conditionsOf(service(name))).toMatchObject({
      postgres: 'service_healthy',
      'temporal-admin-tools': 'service_completed_successfully',
    });
  });

  it('runs a second stack for a sister dialogue under its own name and on its own host ports (README, "Several dialogues")', () => {
    const khartoum = { ...OPERATOR_ENV, DIALOGUE_NAME: 'Khartoum Process', DIALOGUE_NAME_FR: 'Processus de Khartoum', API_PORT: '3001', TEMPORAL_UI_PORT: '8234' };
    const published = (name: string, vars?: Record<string, string>) => (service(name).ports ?? []).map((port) => interpolate(port, vars));
    expect(published('api')).toEqual(['127.0.0.1:3000:3000']);
    expect(published('temporal-ui')).toEqual(['127.0.0.1:8233:8080']);
    expect(published('api', khartoum)).toEqual(['127.0.0.1:3001:3000']);
    expect(published('temporal-ui', khartoum)).toEqual(['127.0.0.1:8234:8080']);
    // Nothing else is published on the host, so the two stacks do not collide.
    expect(Object.entries(compose.services).filter(([, s]) => s.ports?.length).map(([name]) => name).sort()).toEqual(['api', 'temporal-ui']);
    for (const name of ['api', 'worker']) {
      const raw = service(name).environment as Record<string, string>;
      expect(dialogueFrom(loadConfig(environmentOf(service(name))))).toEqual(RABAT_PROCESS);
      const named = Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, interpolate(String(value), khartoum)]));
      expect(dialogueFrom(loadConfig(named))).toEqual({ en: 'Khartoum Process', fr: 'Processus de Khartoum' });
    }
  });

  it('runs the worker from the workflow bundle the Dockerfile builds', async () => {
    const dockerfile = await readFile(join(repoRoot, 'Dockerfile'), 'utf8');

    expect(environmentOf(service('worker')).WORKFLOW_BUNDLE_PATH).toBe('/app/dist/workflow-bundle.js');
    expect(dockerfile).toMatch(/^WORKDIR \/app$/m);
    expect(dockerfile).toMatch(/^RUN npm run build:workflow-bundle$/m);
  });

  describe('search attribute registration (temporal-admin-tools)', () => {
    let stubDir: string;

    beforeAll(async () => {
      stubDir = await mkdtemp(join(tmpdir(), 'temporal-cli-stub-'));
      // Records its arguments; fails `search-attribute create` for $STUB_FAIL_NAME with $STUB_FAIL_MESSAGE.
      const stub = [
        '#!/bin/sh',
        'printf "%s\\n" "$*" >> "$STUB_LOG"',
        'case " $* " in',
        '  *" search-attribute create "*" --name $STUB_FAIL_NAME "*) echo "$STUB_FAIL_MESSAGE" >&2; exit 1 ;;',
        'esac',
        '',
      ].join('\n');
      await writeFile(join(stubDir, 'temporal'), stub);
      await chmod(join(stubDir, 'temporal'), 0o755);
    });

    afterAll(async () => {
      await rm(stubDir, { recursive: true, force: true });
    });

    /** Runs the job exactly as its container would: entrypoint + command, after compose interpolation. */
    async function runJob(failure?: { name: string; message: string }) {
      const job = service('temporal-admin-tools');
      if (!Array.isArray(job.entrypoint) || !Array.isArray(job.command)) {
        throw new Error('temporal-admin-tools: write entrypoint and command as lists');
      }
      const [program = '', ...args] = [...job.entrypoint, ...job.command].map((part) => interpolate(part));
      const log = join(stubDir, `calls-${Math.random().toString(36).slice(2)}.log`);
      await writeFile(log, '');
      const env = {
        ...environmentOf(job),
        PATH: `${stubDir}:${process.env.PATH ?? ''}`,
        STUB_LOG: log,
        STUB_FAIL_NAME: failure?.name ?? '(none)',
        STUB_FAIL_MESSAGE: failure?.message ?? '',
      };
      const outcome = await execFileAsync(program, args, { env, timeout: 10_000 }).then(
        () => ({ ok: true }),
        (error: unknown) => ({ ok: false, error }),
      );
      const calls = (await readFile(log, 'utf8')).split('\n').filter(Boolean);
      return { ...outcome, calls };
    }

    function registered(calls: string[]) {
      return calls
        .filter((call) => call.startsWith('operator search-attribute create '))
        .map((call) => {
          const words = call.split(' ');
          const flag = (name: string) => words[words.indexOf(name) + 1];
          return {
            name: flag('--name'),
            type: flag('--type'),
            namespace: flag('--namespace'),
            address: flag('--address'),
          };
        });
    }

    it('registers RequestPhase, RequestCountry and RequestDomain as Keyword in namespace default', async () => {
      const { ok, calls } = await runJob();

      expect(ok).toBe(true);
      expect(registered(calls)).toEqual(
        SEARCH_ATTRIBUTES.map((name) => ({ name, type: 'Keyword', namespace: 'default', address: 'temporal:7233' })),
      );
    });

    it('succeeds when a search attribute is already registered (restarts are idempotent)', async () => {
      const { ok, calls } = await runJob({
        name: 'RequestCountry',
        message: 'Error: Search attribute RequestCountry already exists.',
      });

      expect(ok).toBe(true);
      expect(registered(calls).map((call) => call.name)).toEqual(SEARCH_ATTRIBUTES);
    });

    it('fails on any other error, so that api and worker do not start', async () => {
      const { ok } = await runJob({ name: 'RequestPhase', message: 'Error: connection refused' });

      expect(ok).toBe(false);
    });
  });
});
