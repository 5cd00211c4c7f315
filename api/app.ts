import Fastify, { LogController, type FastifyBaseLogger, type FastifyServerOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { randomUUID } from 'node:crypto';
import type { ActivityRetry, RequestPolicy } from '../workflows/request-contract';
import type { WebhookRetryPolicy } from '../workflows/webhook-delivery';
import { installErrorHandler, routerErrorAnswer } from './error-handler';
import { readJsonBodies } from './json-body';
import { decorateCallerLanguage } from './caller-language';
import { logOneLinePerRequest } from './request-log';
import { declareFrameworkResponses } from './framework-responses';
import { boundIntegers } from './safe-integers';
import authentication from './plugins/app/authentication';
import browserSessions from './plugins/external/browser-sessions';
import adminPeopleRoutes from './routes/admin-people';
import signInRoutes from './routes/sign-in';
import singleSignOnRoutes from './routes/single-sign-on';
import passkeyRoutes from './routes/passkeys';
import type { Role } from '../workflows/request-model';
import type { SingleSignOnProvider } from '../config/single-sign-on';
import { DEFAULT_SESSION_LIFETIME, type SessionLifetime } from '../db/sessions-repository';
import { DEFAULT_SIGN_IN_LIMITS, type SignInLimits } from '../db/sign-in-repository';
import authorization from './plugins/app/authorization';
import requestWorkflows from './plugins/app/request-workflows';
import hardening, { type HardeningOptions } from './plugins/external/hardening';
import compression from './plugins/external/compression';
import postgres from './plugins/external/postgres';
import swagger from './plugins/external/swagger';
import temporal from './plugins/external/temporal';
import { encryptingDataConverter } from '../codec/data-converter';
import { DEFAULT_DOCUMENT_MAX_BYTES } from '../config/env';
import type { Keyring } from '../codec/keyring';
import { RABAT_PROCESS, type DialogueName } from '../config/dialogue';
import actionPlanRoutes from './routes/action-plans';
import countryRoutes from './routes/countries';
import adminRoutes from './routes/admin';
import outOfBoundsRoutes from './routes/out-of-bounds-values';
import webhookRoutes from './routes/webhooks';
import calendarRoutes from './routes/calendar';
import codecRoutes from './routes/codec';
import dashboardRoutes from './routes/dashboard';
import eventStreamRoutes from './routes/event-stream';
import exportRoutes from './routes/exports';
import healthRoutes from './routes/health';
import meetingRoutes from './routes/meetings';
import notificationRoutes from './routes/notifications';
import adminNotificationRoutes from './routes/admin-notifications';
import unsubscribeRoutes from './routes/unsubscribe';
import statisticsRoutes from './routes/statistics';
import requestRoutes from './routes/requests/index';
import stepRoutes from './routes/requests/steps';
import documentRoutes from './routes/requests/documents';
import { ErrorResponse } from './schemas/common';
import { createValidatorCompiler } from './validation';
import { sharedSerializerFactory } from './compiled-schemas';
import { EARLIEST_DATE, LATEST_DATE, type DateBounds } from '../workflows/date-bounds';
import { DEFAULT_LANGUAGE, type Language } from '../i18n/languages';

export interface AppOptions {
  databaseUrl: string;
  temporalAddress: string;
  temporalNamespace: string;
  taskQueue: string;
  policy: RequestPolicy;
  /** How long before a meeting its members are reminded (MEETING_REMINDER_LEAD, ISO-8601); absent: two days. */
  meetingReminderLead?: string;
  /** How the requests started from now on retry a failed write (the tests shorten it); absent: one second, doubling. */
  activityRetry?: ActivityRetry;
  /** How redelivered webhooks retry (the same settings as the worker's). */
  webhookRetry: WebhookRetryPolicy;
  /** Payload encryption for everything the API sends to and reads from Temporal. */
  keyring: Keyring;
  hardening?: Partial<HardeningOptions>;
  /** The largest document a request may have attached, in bytes. */
  documentMaxBytes?: number;
  /**
   * Whether this deployment sends e-mail (SMTP_URL): people may then give their own address, which the API confirms
   * with a code the worker's relay sends.
   */
  sendsEmail?: boolean;
  /** Where people reach the API and its dashboard (PUBLIC_URL), for the links it gives; unset: the address a call came to. */
  publicUrl?: string | null;
  /**
   * Where the links in the e-mails it writes (sign-in, invitation, address confirmation) lead: PUBLIC_URL, else this
   * API's own address (config/env.ts, emailLinkBase) — never the address a call came to, which the caller chooses.
   */
  emailLinkBase?: string;
  /** The dialogue this deployment serves, named in its pages, its e-mails and its API document (default: the Rabat Process). */
  dialogue?: DialogueName;
  /** The latest day a person may give (DATE_HORIZON, YYYY-MM-DD): at most the database's bound, which is the default. */
  dateHorizon?: string;
  /** The language of callers who state none (DEFAULT_LANGUAGE). */
  defaultLanguage?: Language;
  /** How long a signed-in browser's session lasts, idle and at most (SESSION_IDLE_MINUTES, SESSION_MAX_HOURS). */
  sessionLifetime?: SessionLifetime;
  /** How many sign-in e-mails and codes an address and a client address may have in a window. */
  signInLimits?: SignInLimits;
  /** The OpenID Connect providers people may sign in with (OIDC_PROVIDERS); absent: none. */
  singleSignOn?: SingleSignOnProvider[];
  /** The roles an e-mail does not sign in: a passkey or single sign-on does (STRONG_SIGN_IN_ROLES); absent: none. */
  strongSignInRoles?: readonly Role[];
  migrate?: boolean;
  logger?: FastifyServerOptions['logger'];
  /** A logger of the caller's (npm start's console and files) in place of `logger`. */
  loggerInstance?: FastifyBaseLogger;
}

const SAFE_REQUEST_ID = /^[\w.:-]{1,100}$/;

/** The whole HTTP API as one Fastify instance, built the same way by the server, the launcher and the tests. */
export async function buildApp(options: AppOptions) {
  const dialogue = options.dialogue ?? RABAT_PROCESS;
  const fastify = Fastify({
    ...(options.loggerInstance ? { loggerInstance: options.loggerInstance } : { logger: options.logger ?? false }),
    // One line per request instead of Fastify's two (request-log.ts).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 512 * 1024,
    // Event streams stay open indefinitely: closing the server ends them instead of waiting for their clients.
    forceCloseConnections: true,
    // Keep a caller's request ID (for tracing across systems) when it is a plain token; otherwise make one.
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
    },
    frameworkErrors: routerErrorAnswer(options.defaultLanguage ?? DEFAULT_LANGUAGE),
    schemaController: { compilersFactory: { buildSerializer: sharedSerializerFactory } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  const dateBounds: DateBounds = { earliest: EARLIEST_DATE, latest: options.dateHorizon ?? LATEST_DATE };
  fastify.setValidatorCompiler(createValidatorCompiler(dateBounds));

  fastify.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  fastify.addSchema(ErrorResponse);
  logOneLinePerRequest(fastify);
  decorateCallerLanguage(fastify, options.defaultLanguage ?? DEFAULT_LANGUAGE);
  installErrorHandler(fastify, { dateBounds });
  readJsonBodies(fastify);
  declareFrameworkResponses(fastify);
  boundIntegers(fastify);

  // External services first, then the app's own plugins, then routes.
  await fastify.register(hardening, {
    rateLimitMax: options.hardening?.rateLimitMax ?? 600,
    rateLimitWindow: options.hardening?.rateLimitWindow ?? '1 minute',
    corsOrigins: options.hardening?.corsOrigins ?? [],
    codecCorsOrigins: options.hardening?.codecCorsOrigins ?? [],
  });
  await fastify.register(compression);
  await fastify.register(postgres, { databaseUrl: options.databaseUrl, migrate: options.migrate });
  await fastify.register(temporal, {
    address: options.temporalAddress,
    namespace: options.temporalNamespace,
    dataConverter: encryptingDataConverter(options.keyring),
  });
  await fastify.register(swagger, { dialogue });
  const secureCookies = (options.publicUrl ?? '').startsWith('https://');
  const sessionLifetime = options.sessionLifetime ?? DEFAULT_SESSION_LIFETIME;
  await fastify.register(browserSessions, { keyring: options.keyring, secure: secureCookies });
  await fastify.register(authentication, { sessionLifetime, secureCookies });
  await fastify.register(authorization);
  await fastify.register(requestWorkflows, { taskQueue: options.taskQueue, policy: options.policy, activityRetry: options.activityRetry });

  await fastify.register(healthRoutes);
  await fastify.register(requestRoutes);
  await fastify.register(stepRoutes);
  await fastify.register(documentRoutes, { maxBytes: options.documentMaxBytes ?? DEFAULT_DOCUMENT_MAX_BYTES });
  await fastify.register(meetingRoutes, { taskQueue: options.taskQueue, activityRetry: options.activityRetry, reminderLead: options.meetingReminderLead ?? 'P2D' });
  await fastify.register(eventStreamRoutes);
  await fastify.register(statisticsRoutes);
  await fastify.register(exportRoutes);
  await fastify.register(actionPlanRoutes);
  await fastify.register(countryRoutes);
  await fastify.register(adminRoutes);
  const mailContext = options.sendsEmail ? { dialogue, publicUrl: options.emailLinkBase ?? options.publicUrl ?? null } : null;
  await fastify.register(adminPeopleRoutes, { email: mailContext });
  await fastify.register(signInRoutes, { email: mailContext, lifetime: sessionLifetime, limits: options.signInLimits ?? DEFAULT_SIGN_IN_LIMITS,
    secureCookies,
    strongRoles: options.strongSignInRoles ?? [],
  });
  await fastify.register(passkeyRoutes, { dialogue, publicUrl: options.publicUrl ?? null, lifetime: sessionLifetime, secureCookies });
  await fastify.register(singleSignOnRoutes, {
    providers: options.singleSignOn ?? [],
    keyring: options.keyring,
    lifetime: sessionLifetime,
    secureCookies,
    publicUrl: options.publicUrl ?? null,
  });
  await fastify.register(outOfBoundsRoutes);
  await fastify.register(notificationRoutes, { email: mailContext });
  await fastify.register(adminNotificationRoutes);
  await fastify.register(calendarRoutes, { keyring: options.keyring, dialogue, publicUrl: options.publicUrl ?? null });
  await fastify.register(unsubscribeRoutes, { keyring: options.keyring, dialogue });
  await fastify.register(webhookRoutes, { taskQueue: options.taskQueue, retry: options.webhookRetry, keyring: options.keyring });
  await fastify.register(codecRoutes, { keyring: options.keyring });
  await fastify.register(dashboardRoutes, { dialogue, defaultLanguage: options.defaultLanguage ?? DEFAULT_LANGUAGE });
  return fastify;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
