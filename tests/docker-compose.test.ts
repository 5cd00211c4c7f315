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
import { TEMPORAL_SERVER_VERSION as PRODUCTION_ENGINE_VERSION } from '../launcher/temporal-production-server';

/**
 * The test suite does not start the production topology (docker-compose.yml): that needs a Docker engine
 * and registry access. It is checked statically instead: dclint validates it against the Compose specification and its best-practice
 * rules, and the parsed document is checked for the wiring the application relies on. The two scripts in the
 * file, the Temporal schema job and the namespace and search-attribute job, are run against stub `temporal-sql-tool`
 * and `temporal` CLIs.
 */

const execFileAsync = promisify(execFile);
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const composePath = join(repoRoot, 'docker-compose.yml');

const SEARCH_ATTRIBUTES = ['RequestPhase', 'RequestCountry', 'RequestDomain'];

/** The Temporal server release the production engine runs (v1.32.1 → 1.32.1): every Temporal server and admin-tools image has it. */
const TEMPORAL_SERVER_VERSION = PRODUCTION_ENGINE_VERSION.replace(/^v/, '');

/** Every dclint rule at its default level, as the CLI uses them without a config file. */
const lintAll = (paths: string[]) =>
  new DCLinter({ rules: {}, quiet: false, debug: false, exclude: [] }).lintFiles(paths, false);

interface ComposeService {
  image?: string;
  entrypoint?: string | string[];
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  ports?: string[];
  healthcheck?: { test?: string[] };
  shm_size?: string;
  configs?: { source: string; target: string }[];
}

interface ComposeFile {
  services: Record<string, ComposeService>;
  configs?: Record<string, { content?: string }>;
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
      expect.arrayContaining(['postgres', 'temporal-schema', 'temporal', 'temporal-admin-tools', 'temporal-ui', 'api', 'worker']),
    );
    expect(service('api').command).toBe('npm run api');
    expect(service('worker').command).toBe('npm run worker');
  });

  it("gives Postgres a cache an operator sizes (a quarter of the machine's memory) instead of its 128 MB, and room for parallel queries", async () => {
    const postgres = service('postgres');
    expect(postgres.command).toEqual(['postgres', '-c', 'shared_buffers=${POSTGRES_SHARED_BUFFERS:-1GB}']);
    const asRun = (vars: Record<string, string>) =>
      (parse(interpolate(JSON.stringify(postgres.command), vars)) as string[]).find((argument) => argument.startsWith('shared_buffers='));
    expect(asRun(OPERATOR_ENV)).toBe('shared_buffers=1GB');
    expect(asRun({ ...OPERATOR_ENV, POSTGRES_SHARED_BUFFERS: '6GB' })).toBe('shared_buffers=6GB');
    // Docker's default /dev/shm is 64 MB.
    expect(postgres.shm_size).toBe('256mb');
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

  it.each(['api', 'worker'])('starts %s only once Postgres and Temporal are healthy, the schemas migrated and the search attributes exist', (name) => {
    expect(conditionsOf(service(name))).toMatchObject({
      postgres: 'service_healthy',
      temporal: 'service_healthy',
      'temporal-schema': 'service_completed_successfully',
      'temporal-admin-tools': 'service_completed_successfully',
    });
  });

  it('runs Temporal from its maintained images, every one pinned, the server and admin tools at the engine\'s release', () => {
    const images = Object.values(compose.services).map((s) => s.image ?? '');
    expect(images.filter((image) => image.startsWith('temporalio/auto-setup'))).toEqual([]);
    for (const name of ['temporal-schema', 'temporal', 'temporal-admin-tools', 'temporal-ui']) {
      const image = service(name).image ?? '';
      // A tag of digits and dots: no `latest`, no floating `1.32`.
      expect(image, name).toMatch(/^temporalio\/[a-z-]+:\d+\.\d+\.\d+$/);
    }
    expect(service('temporal').image).toBe(`temporalio/server:${TEMPORAL_SERVER_VERSION}`);
    expect(service('temporal-schema').image).toBe(`temporalio/admin-tools:${TEMPORAL_SERVER_VERSION}`);
    expect(service('temporal-admin-tools').image).toBe(`temporalio/admin-tools:${TEMPORAL_SERVER_VERSION}`);
    expect(service('temporal-ui').image).toMatch(/^temporalio\/ui:/);
  });

  it('starts Temporal on migrated schemas, and its clients once its frontend accepts connections', () => {
    expect(conditionsOf(service('temporal-schema'))).toEqual({ postgres: 'service_healthy' });
    expect(conditionsOf(service('temporal'))).toEqual({
      postgres: 'service_healthy',
      'temporal-schema': 'service_completed_successfully',
    });
    expect(conditionsOf(service('temporal-admin-tools'))).toEqual({ temporal: 'service_healthy' });
    expect(conditionsOf(service('temporal-ui'))).toEqual({ temporal: 'service_healthy' });
    expect(service('temporal').healthcheck?.test).toEqual(['CMD', 'nc', '-z', '127.0.0.1', '7233']);
    // The health check dials loopback, which the frontend listens on only when bound to every interface.
    expect(environmentOf(service('temporal')).BIND_ON_IP).toBe('0.0.0.0');
  });

  it('gives the Temporal server and its schema job the credentials the postgres container is initialised with', () => {
    const { POSTGRES_USER, POSTGRES_PASSWORD } = environmentOf(service('postgres'));
    expect(environmentOf(service('temporal'))).toMatchObject({
      DB: 'postgres12',
      POSTGRES_SEEDS: 'postgres',
      DB_PORT: '5432',
      POSTGRES_USER,
      POSTGRES_PWD: POSTGRES_PASSWORD,
    });
    expect(environmentOf(service('temporal-schema'))).toMatchObject({
      SQL_PLUGIN: 'postgres12',
      SQL_HOST: 'postgres',
      SQL_PORT: '5432',
      SQL_USER: POSTGRES_USER,
      SQL_PASSWORD: POSTGRES_PASSWORD,
    });
  });

  it('gives the Temporal server a dynamic configuration file of its own', () => {
    const mounted = service('temporal').configs ?? [];
    const path = environmentOf(service('temporal')).DYNAMIC_CONFIG_FILE_PATH;
    expect(mounted).toEqual([{ source: 'temporal-dynamic-config', target: path }]);
    // Valid YAML with no overrides: Temporal's defaults apply.
    expect(parse(compose.configs?.['temporal-dynamic-config']?.content ?? 'missing: true')).toBeNull();
  });

  it.each(['api', 'worker'])('passes DATE_HORIZON and DEFAULT_LANGUAGE to %s, unset by default', (name) => {
    const raw = service(name).environment as Record<string, string>;
    expect(environmentOf(service(name))).toMatchObject({ DATE_HORIZON: '', DEFAULT_LANGUAGE: '' });
    const set = { ...OPERATOR_ENV, DATE_HORIZON: '2099-12-31', DEFAULT_LANGUAGE: 'fr' };
    const config = loadConfig(Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, interpolate(String(value), set)])));
    expect(config.DATE_HORIZON).toBe('2099-12-31');
    expect(config.DEFAULT_LANGUAGE).toBe('fr');
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

  describe('the one-shot Temporal jobs, run against stub CLIs', () => {
    let stubDir: string;

    beforeAll(async () => {
      stubDir = await mkdtemp(join(tmpdir(), 'temporal-cli-stub-'));
      // Each stub records its name and arguments. `temporal` fails `search-attribute create` for $STUB_FAIL_NAME
      // with $STUB_FAIL_MESSAGE, and `namespace describe` when $STUB_NO_NAMESPACE is set; `temporal-sql-tool`
      // fails any call whose arguments contain $STUB_FAIL_SQL.
      const temporal = [
        '#!/bin/sh',
        'printf "temporal %s\\n" "$*" >> "$STUB_LOG"',
        'case " $* " in',
        '  *" search-attribute create "*" --name $STUB_FAIL_NAME "*) echo "$STUB_FAIL_MESSAGE" >&2; exit 1 ;;',
        '  *" namespace describe "*) [ -z "$STUB_NO_NAMESPACE" ] || { echo "Namespace default is not found" >&2; exit 1; } ;;',
        'esac',
        '',
      ].join('\n');
      const sqlTool = [
        '#!/bin/sh',
        'printf "temporal-sql-tool %s\\n" "$*" >> "$STUB_LOG"',
        'case " $* " in',
        '  *"$STUB_FAIL_SQL"*) echo "pq: connection refused" >&2; exit 1 ;;',
        'esac',
        '',
      ].join('\n');
      for (const [name, text] of [['temporal', temporal], ['temporal-sql-tool', sqlTool]] as const) {
        await writeFile(join(stubDir, name), text);
        await chmod(join(stubDir, name), 0o755);
      }
    });

    afterAll(async () => {
      await rm(stubDir, { recursive: true, force: true });
    });

    interface StubBehaviour {
      failSearchAttribute?: { name: string; message: string };
      namespaceMissing?: boolean;
      failSql?: string;
    }

    /** Runs a job exactly as its container would: entrypoint + command, after compose interpolation. */
    async function runJob(name: string, behaviour: StubBehaviour = {}) {
      const job = service(name);
      if (!Array.isArray(job.entrypoint) || !Array.isArray(job.command)) {
        throw new Error(`${name}: write entrypoint and command as lists`);
      }
      const [program = '', ...args] = [...job.entrypoint, ...job.command].map((part) => interpolate(part));
      const log = join(stubDir, `calls-${Math.random().toString(36).slice(2)}.log`);
      await writeFile(log, '');
      const env = {
        ...environmentOf(job),
        PATH: `${stubDir}:${process.env.PATH ?? ''}`,
        STUB_LOG: log,
        STUB_FAIL_NAME: behaviour.failSearchAttribute?.name ?? '(none)',
        STUB_FAIL_MESSAGE: behaviour.failSearchAttribute?.message ?? '',
        STUB_NO_NAMESPACE: behaviour.namespaceMissing ? '1' : '',
        STUB_FAIL_SQL: behaviour.failSql ?? '(none)',
      };
      const outcome = await execFileAsync(program, args, { env, timeout: 10_000 }).then(
        () => ({ ok: true }),
        (error: unknown) => ({ ok: false, error }),
      );
      const calls = (await readFile(log, 'utf8')).split('\n').filter(Boolean);
      return { ...outcome, calls };
    }

    /** The value after `flag` in a recorded call. */
    const flagOf = (call: string, flag: string) => {
      const words = call.split(' ');
      return words[words.indexOf(flag) + 1];
    };

    function registered(calls: string[]) {
      return calls
        .filter((call) => call.startsWith('temporal operator search-attribute create '))
        .map((call) => ({
          name: flagOf(call, '--name'),
          type: flagOf(call, '--type'),
          namespace: flagOf(call, '--namespace'),
          address: flagOf(call, '--address'),
        }));
    }

    describe('schema migration (temporal-schema)', () => {
      const schemaDir = '/etc/temporal/schema/postgresql/v12';

      it('creates, sets up and migrates the temporal and temporal_visibility databases, in that order', async () => {
        const { ok, calls } = await runJob('temporal-schema');

        expect(ok).toBe(true);
        expect(calls).toEqual([
          'temporal-sql-tool --db temporal create',
          'temporal-sql-tool --db temporal setup-schema -v 0.0',
          `temporal-sql-tool --db temporal update-schema -d ${schemaDir}/temporal/versioned`,
          'temporal-sql-tool --db temporal_visibility create',
          'temporal-sql-tool --db temporal_visibility setup-schema -v 0.0',
          `temporal-sql-tool --db temporal_visibility update-schema -d ${schemaDir}/visibility/versioned`,
        ]);
      });

      it('fails at the first failing step, so that the server does not start on a half-migrated schema', async () => {
        const { ok, calls } = await runJob('temporal-schema', { failSql: 'temporal update-schema' });

        expect(ok).toBe(false);
        expect(calls.at(-1)).toMatch(/--db temporal update-schema/);
        expect(calls.some((call) => call.includes('temporal_visibility'))).toBe(false);
      });
    });

    describe('namespace and search attributes (temporal-admin-tools)', () => {
      it('registers RequestPhase, RequestCountry and RequestDomain as Keyword in namespace default', async () => {
        const { ok, calls } = await runJob('temporal-admin-tools');

        expect(ok).toBe(true);
        expect(registered(calls)).toEqual(
          SEARCH_ATTRIBUTES.map((name) => ({ name, type: 'Keyword', namespace: 'default', address: 'temporal:7233' })),
        );
      });

      it('waits for the cluster, and leaves an existing namespace default alone', async () => {
        const { ok, calls } = await runJob('temporal-admin-tools');

        expect(ok).toBe(true);
        expect(calls[0]).toBe('temporal operator cluster health --address temporal:7233');
        expect(calls.filter((call) => call.includes('namespace create'))).toEqual([]);
      });

      it('creates namespace default, keeping closed workflows 24 hours, when it is missing', async () => {
        const { ok, calls } = await runJob('temporal-admin-tools', { namespaceMissing: true });

        expect(ok).toBe(true);
        const creations = calls.filter((call) => call.startsWith('temporal operator namespace create '));
        expect(creations).toHaveLength(1);
        expect(flagOf(creations[0] ?? '', '--namespace')).toBe('default');
        expect(flagOf(creations[0] ?? '', '--retention')).toBe('24h');
        // Created before any search attribute is registered in it.
        expect(calls.indexOf(creations[0] ?? '')).toBeLessThan(
          calls.findIndex((call) => call.includes('search-attribute create')),
        );
        expect(registered(calls).map((call) => call.name)).toEqual(SEARCH_ATTRIBUTES);
      });

      it('succeeds when a search attribute is already registered (restarts are idempotent)', async () => {
        const { ok, calls } = await runJob('temporal-admin-tools', {
          failSearchAttribute: { name: 'RequestCountry', message: 'Error: Search attribute RequestCountry already exists.' },
        });

        expect(ok).toBe(true);
        expect(registered(calls).map((call) => call.name)).toEqual(SEARCH_ATTRIBUTES);
      });

      it('fails on any other error, so that api and worker do not start', async () => {
        const { ok } = await runJob('temporal-admin-tools', {
          failSearchAttribute: { name: 'RequestPhase', message: 'Error: connection refused' },
        });

        expect(ok).toBe(false);
      });
    });
  });
});
