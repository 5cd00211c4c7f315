import envSchema from 'env-schema';
import { Type, type Static } from '@sinclair/typebox';
import { dialogueNameProblem, RABAT_PROCESS, type DialogueName } from './dialogue';
import { parseIsoDuration } from '../workflows/iso-duration';
import { REVIEW_PROCEDURES, ROLES, type RequestPolicy, type Role } from '../workflows/request-model';
import type { WebhookRetryPolicy } from '../workflows/webhook-delivery';
import { isDateWithin, LATEST_DATE } from '../workflows/date-bounds';
import { DEFAULT_LANGUAGE, LANGUAGES } from '../i18n/languages';
import { parseSingleSignOnProviders } from './single-sign-on';
import { mailDropDirectory, mailDropKeepDays } from '../activities/notifications/mail-drop';

export const DEFAULT_DOCUMENT_MAX_BYTES = 20 * 1024 * 1024;

/**
 * One configuration schema for every process (API, worker, launcher, CLI), validated at boot.
 * Unset TEMPORAL_ADDRESS / DATABASE_URL mean "start the embedded servers" (see launcher/).
 */
const ConfigSchema = Type.Object({
  PORT: Type.Integer({ default: 3000, minimum: 0, maximum: 65535 }),
  HOST: Type.String({ default: '127.0.0.1' }),
  DATA_DIR: Type.String({ default: '.data', minLength: 1 }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)),
    { default: 'info' },
  ),
  TEMPORAL_ADDRESS: Type.Optional(Type.String({ minLength: 1 })),
  TEMPORAL_NAMESPACE: Type.String({ default: 'default', minLength: 1 }),
  TEMPORAL_TASK_QUEUE: Type.String({ default: 'capacity-requests', minLength: 1 }),
  TEMPORAL_PORT: Type.Integer({ default: 7233, minimum: 1, maximum: 65535 }),
  TEMPORAL_UI_PORT: Type.Integer({ default: 8233, minimum: 1, maximum: 65535 }),
  TEMPORAL_CLI: Type.Optional(Type.String({ minLength: 1 })),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  EMBEDDED_POSTGRES_PORT: Type.Integer({ default: 54329, minimum: 1, maximum: 65535 }),
  // The policy copied into each request when it is submitted (ISO-8601 durations; screening days are working days).
  REVIEW_PERIOD: Type.String({ default: 'P14D', pattern: '^P' }),
  REVIEW_PROCEDURE: Type.Union(REVIEW_PROCEDURES.map((p) => Type.Literal(p)), { default: 'no_objection' }),
  REVIEW_QUORUM: Type.Number({ default: 0.5, exclusiveMinimum: 0, maximum: 1 }),
  REVIEW_REMINDER_LEAD: Type.String({ default: 'P2D', pattern: '^P' }),
  SCREENING_PERIOD: Type.String({ default: 'P10D', pattern: '^P' }),
  SCREENING_REMINDER_LEAD: Type.String({ default: 'P2D', pattern: '^P' }),
  INFORMATION_PERIOD: Type.String({ default: 'P15D', pattern: '^P' }),
  INFORMATION_REMINDER_LEAD: Type.String({ default: 'P3D', pattern: '^P' }),
  PROGRESS_REPORT_INTERVAL: Type.String({ default: 'P13W', pattern: '^P' }),
  FINAL_REPORT_WITHIN: Type.String({ default: 'P6W', pattern: '^P' }),
  REPORT_REMINDER_LEAD: Type.String({ default: 'P1W', pattern: '^P' }),
  // How long before a Steering Committee meeting its members are reminded of it (elapsed time).
  MEETING_REMINDER_LEAD: Type.String({ default: 'P2D', pattern: '^P' }),
  // Webhook deliveries: attempts, exponential backoff between them (doubling), and the subscriber's time to answer.
  WEBHOOK_MAX_ATTEMPTS: Type.Integer({ default: 12, minimum: 1, maximum: 100 }),
  WEBHOOK_RETRY_INITIAL: Type.String({ default: 'PT10S', pattern: '^P' }),
  WEBHOOK_RETRY_MAX: Type.String({ default: 'PT1H', pattern: '^P' }),
  WEBHOOK_TIMEOUT: Type.String({ default: 'PT10S', pattern: '^P' }),
  /**
   * Where e-mails go: a mail server (smtp://user:password@mail.example.org:587, smtps://…), or a directory they are
   * written to as .eml files (file:///absolute/dir: no mail server needed; npm start's default; each kept 30 days,
   * ?keepDays=N for another number); unset: no e-mail.
   */
  SMTP_URL: Type.Optional(Type.String({ pattern: '^(smtps?://|file:///)' })),
  /** The sender of notifications, as people's mail programs show it; unset: "<DIALOGUE_NAME> capacity requests <no-reply@localhost>". */
  MAIL_FROM: Type.Optional(Type.String({ pattern: '@' })),
  /** Where people open the dashboard (https://…), for the link in each e-mail. */
  PUBLIC_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  WORKFLOW_BUNDLE_PATH: Type.Optional(Type.String({ minLength: 1 })),
  /** Requests kept in the worker's memory between steps; unset: the SDK's default, sized from the heap (README, Configuration). */
  WORKER_MAX_CACHED_WORKFLOWS: Type.Optional(Type.Integer({ minimum: 0 })),
  /** The worker's memory budget in MiB: the size of its cache of requests follows (worker/memory-budget.ts). */
  WORKER_MEMORY_MB: Type.Integer({ default: 1024, minimum: 512, maximum: 1_048_576 }),
  /** Payload encryption keys, `<id>:<base64 32 bytes>` comma-separated, current first (see codec/keyring.ts). */
  PAYLOAD_KEYS: Type.Optional(Type.String({ minLength: 1 })),
  PAYLOAD_KEY_ID: Type.Optional(Type.String({ minLength: 1 })),
  PAYLOAD_KEY_FILE: Type.Optional(Type.String({ minLength: 1 })),
  /** Browser origins of the Temporal Web UI allowed to call the codec endpoint. */
  CODEC_CORS_ORIGINS: Type.String({ default: 'http://127.0.0.1:8233,http://localhost:8233' }),
  RATE_LIMIT_MAX: Type.Integer({ default: 600, minimum: 1 }),
  RATE_LIMIT_WINDOW: Type.String({ default: '1 minute', minLength: 1 }),
  /** The largest document a request may have attached, in bytes (default 20 MiB). */
  DOCUMENT_MAX_BYTES: Type.Integer({ default: DEFAULT_DOCUMENT_MAX_BYTES, minimum: 1, maximum: 1024 * 1024 * 1024 }),
  /** Comma-separated browser origins allowed to call the API, e.g. https://portal.example.org */
  CORS_ORIGINS: Type.String({ default: '' }),
  /** The dialogue this deployment serves, in English and in French (both or neither; unset: the Rabat Process). */
  DIALOGUE_NAME: Type.Optional(Type.String({ minLength: 1 })),
  DIALOGUE_NAME_FR: Type.Optional(Type.String({ minLength: 1 })),
  /** The latest day a person may give to the API (a meeting, a deadline, an activity), YYYY-MM-DD; at most and by default the database's bound. */
  DATE_HORIZON: Type.String({ default: LATEST_DATE, pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
  /** npm start's console: readable lines (pretty, its default) or JSON; `npm run api` and `worker` always log JSON. */
  LOG_FORMAT: Type.Optional(Type.Union([Type.Literal('pretty'), Type.Literal('json')])),
  /** The language of people who chose none and whose browser states none: en or fr. */
  DEFAULT_LANGUAGE: Type.Union(LANGUAGES.map((language) => Type.Literal(language)), { default: DEFAULT_LANGUAGE }),
  /**
   * The OpenID Connect providers people may sign in with (single sign-on), as JSON:
   * [{"id":"ministry","name":"Ministère…","issuer":"https://…","clientId":"…","clientSecret":"…"}] (config/single-sign-on.ts).
   */
  OIDC_PROVIDERS: Type.Optional(Type.String({ minLength: 1 })),
  /**
   * Comma-separated roles (e.g. chair,admin) for whom an e-mail is not enough to sign in: they use a passkey or their
   * organisation's sign-in; an invitation still signs them in while they have no passkey, to add their first.
   */
  STRONG_SIGN_IN_ROLES: Type.String({ default: '' }),
});

export type Config = Static<typeof ConfigSchema>;

export class ConfigError extends Error {}

const DURATION_SETTINGS = [
  'REVIEW_PERIOD',
  'REVIEW_REMINDER_LEAD',
  'SCREENING_PERIOD',
  'SCREENING_REMINDER_LEAD',
  'INFORMATION_PERIOD',
  'INFORMATION_REMINDER_LEAD',
  'PROGRESS_REPORT_INTERVAL',
  'FINAL_REPORT_WITHIN',
  'REPORT_REMINDER_LEAD',
  'MEETING_REMINDER_LEAD',
  'WEBHOOK_RETRY_INITIAL',
  'WEBHOOK_RETRY_MAX',
  'WEBHOOK_TIMEOUT',
] as const;

/** The policy a request is submitted under: copied into its workflow, so later changes never alter it. */
export function policyFrom(config: Config): RequestPolicy {
  return {
    reviewPeriod: config.REVIEW_PERIOD,
    reviewProcedure: config.REVIEW_PROCEDURE,
    reviewQuorum: config.REVIEW_QUORUM,
    reviewReminderLead: config.REVIEW_REMINDER_LEAD,
    screeningPeriod: config.SCREENING_PERIOD,
    screeningReminderLead: config.SCREENING_REMINDER_LEAD,
    informationPeriod: config.INFORMATION_PERIOD,
    informationReminderLead: config.INFORMATION_REMINDER_LEAD,
    progressReportInterval: config.PROGRESS_REPORT_INTERVAL,
    finalReportWithin: config.FINAL_REPORT_WITHIN,
    reportReminderLead: config.REPORT_REMINDER_LEAD,
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (`DATABASE_URL= npm start`) means "not set", as in most shells' conventions.
  const data = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  let config: Config;
  try {
    config = envSchema<Config>({ schema: ConfigSchema, data, env: false, dotenv: false });
    // Fail at boot, not when the first request reaches a deadline.
    for (const name of DURATION_SETTINGS) {
      try {
        parseIsoDuration(config[name]);
      } catch (error) {
        throw new Error(`${name}: ${(error as Error).message}`);
      }
    }
    if (!isDateWithin(config.DATE_HORIZON) || config.DATE_HORIZON <= new Date().toISOString().slice(0, 10)) {
      throw new Error(`DATE_HORIZON must be a day after today and no later than ${LATEST_DATE} (the database's bound); got ${config.DATE_HORIZON}`);
    }
    // E-mails and pages speak both languages: a dialogue named in one would read "Processus de Rabat" in the other.
    if ((config.DIALOGUE_NAME === undefined) !== (config.DIALOGUE_NAME_FR === undefined)) {
      throw new Error('DIALOGUE_NAME and DIALOGUE_NAME_FR go together: set the dialogue\'s name in English and in French, or neither');
    }
    for (const name of ['DIALOGUE_NAME', 'DIALOGUE_NAME_FR'] as const) {
      const problem = config[name] === undefined ? null : dialogueNameProblem(config[name]);
      if (problem) throw new Error(`${name} cannot be ${JSON.stringify(config[name])}: ${problem}`);
    }
    if (config.SMTP_URL !== undefined && mailDropDirectory(config.SMTP_URL) !== null) {
      try {
        mailDropKeepDays(config.SMTP_URL);
      } catch (error) {
        throw new Error(`SMTP_URL: ${(error as Error).message}`);
      }
    }
    parseSingleSignOnProviders(config.OIDC_PROVIDERS);
    strongSignInRolesFrom(config);
  } catch (error) {
    const message = (error as Error).message.replaceAll('env/', '');
    throw new ConfigError(`Invalid configuration: ${message}. See .env.example for every setting and its default.`);
  }
  return config;
}

/**
 * Where the links in e-mails lead: PUBLIC_URL, else this API on this machine (HOST, or 127.0.0.1 when it listens on
 * every interface, at PORT) — never the Host a caller sent, which anyone could forge to have a sign-in link lead to
 * their own site.
 */
export function emailLinkBase(config: Pick<Config, 'PUBLIC_URL' | 'HOST' | 'PORT'>): string {
  if (config.PUBLIC_URL) return config.PUBLIC_URL.replace(/\/+$/, '');
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.PORT}`;
}

/** The dialogue this deployment serves (DIALOGUE_NAME, DIALOGUE_NAME_FR). */
export function dialogueFrom(config: Pick<Config, 'DIALOGUE_NAME' | 'DIALOGUE_NAME_FR'>): DialogueName {
  return config.DIALOGUE_NAME && config.DIALOGUE_NAME_FR ? { en: config.DIALOGUE_NAME, fr: config.DIALOGUE_NAME_FR } : RABAT_PROCESS;
}

/** Who notifications come from: MAIL_FROM, or the dialogue's name with an address that receives nothing. */
export function mailFrom(config: Pick<Config, 'MAIL_FROM' | 'DIALOGUE_NAME' | 'DIALOGUE_NAME_FR'>): string {
  return config.MAIL_FROM ?? `${dialogueFrom(config).en} capacity requests <no-reply@localhost>`;
}

/** How webhook deliveries are retried; copied into each delivery workflow when it starts. */
export function webhookRetryFrom(config: Config): WebhookRetryPolicy {
  return {
    maximumAttempts: config.WEBHOOK_MAX_ATTEMPTS,
    initialIntervalMs: parseIsoDuration(config.WEBHOOK_RETRY_INITIAL),
    maximumIntervalMs: parseIsoDuration(config.WEBHOOK_RETRY_MAX),
    attemptTimeoutMs: parseIsoDuration(config.WEBHOOK_TIMEOUT),
  };
}

/** The API's hardening settings from the configuration. */
export function hardeningFrom(config: Config) {
  return {
    rateLimitMax: config.RATE_LIMIT_MAX,
    rateLimitWindow: config.RATE_LIMIT_WINDOW,
    corsOrigins: splitList(config.CORS_ORIGINS),
    codecCorsOrigins: splitList(config.CODEC_CORS_ORIGINS),
  };
}

/** The roles that sign in with a passkey or single sign-on only (STRONG_SIGN_IN_ROLES); an unknown role is an error. */
export function strongSignInRolesFrom(config: Pick<Config, 'STRONG_SIGN_IN_ROLES'>): Role[] {
  const roles = splitList(config.STRONG_SIGN_IN_ROLES);
  const unknown = roles.filter((role) => !(ROLES as readonly string[]).includes(role));
  if (unknown.length > 0) throw new Error(`STRONG_SIGN_IN_ROLES: ${unknown.join(', ')} is no role (${ROLES.join(', ')})`);
  return roles as Role[];
}

function splitList(text: string): string[] {
  return text.split(',').map((item) => item.trim()).filter(Boolean);
}

/** For entry points: the configuration, or a one-line explanation and exit code 2. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(2);
  }
}
