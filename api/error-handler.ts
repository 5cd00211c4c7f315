import { withoutQueryValues } from './loggable-error';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './api-error';
import { byteSize } from './byte-size';
import { trackAllowedMethods } from './allowed-methods';
import { UnreadableValue } from '../db/stored-instants';
import type { DateBounds } from '../workflows/date-bounds';
import { negotiateLanguage, type Language } from '../i18n/languages';
import { validationMessage, type ValidationIssue } from './validation-messages';
import { render, translate } from '../i18n/messages';
import { JsonBodyError } from './json-body';

/**
 * The one place where errors become responses, their messages worded in the caller's language (`request.language`;
 * an ApiError carries a catalog message, error.*). Client mistakes get a 4xx that names the field or the state;
 * anything else is logged with its context and answered with a 500 that hides the internals.
 */
export function installErrorHandler(fastify: FastifyInstance, options: { dateBounds: DateBounds }): void {
  fastify.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
    const requestId = String(request.id);
    if (error instanceof ApiError) {
      if (error.statusCode === 401 || error.statusCode === 403) {
        // Who tried what, and why it was refused; never the token (request headers are not logged).
        request.log.warn(
          { route: `${request.method} ${request.routeOptions.url ?? request.url}`, caller: request.actor?.name ?? null, code: error.code, reason: error.message },
          'access denied',
        );
      }
      return reply.status(error.statusCode).send({
        statusCode: error.statusCode,
        error: httpReason(error.statusCode),
        code: error.code,
        message: render(request.language, error.localized),
        ...error.extra,
        requestId,
      });
    }
    if (error.validation) {
      const issues = error.validation as ValidationIssue[];
      const field = fieldOf(error.validationContext ?? 'body', issues[0]);
      return reply.status(400).send({
        statusCode: 400,
        error: 'Bad Request',
        code: `invalid_${error.validationContext ?? 'body'}`,
        message: validationMessage(request.language, field, issues, options.dateBounds),
        field,
        requestId,
      });
    }
    if (isDateBoundsViolation(error)) {
      // A change to a record stored before the bounds (its other fields edited, say): Postgres re-checks the whole row.
      // Nothing was changed (the transaction rolled back); the record must be put right first.
      return reply.status(409).send({
        statusCode: 409,
        error: httpReason(409),
        code: 'out_of_bounds_record',
        message: translate(request.language, 'error.outOfBoundsRecord'),
        requestId,
      });
    }
    if (error instanceof UnreadableValue) {
      // One record stored before the database held dates to the dialogue's lifetime: say so, and who can fix it.
      request.log.warn({ route: request.routeOptions.url, problem: error.message }, 'a stored record cannot be shown');
      return reply.status(422).send({
        statusCode: 422,
        error: httpReason(422),
        code: 'unreadable_record',
        message: translate(request.language, 'error.unreadableRecord', { value: JSON.stringify(error.value) }),
        requestId,
      });
    }
    if (error.code === 'FST_CSRF_MISSING_SECRET' || error.code === 'FST_CSRF_INVALID_TOKEN') {
      // A signed-in browser's call without its session's CSRF token (api/plugins/app/authentication.ts): nothing done.
      const sent = typeof request.headers['x-csrf-token'] === 'string' || typeof request.headers['csrf-token'] === 'string';
      return reply.status(403).send({
        statusCode: 403,
        error: httpReason(403),
        code: sent ? 'csrf_token_invalid' : 'csrf_token_missing',
        message: translate(request.language, sent ? 'error.csrfInvalid' : 'error.csrfMissing'),
        requestId,
      });
    }
    const statusCode = error.statusCode ?? 500;
    if (statusCode >= 400 && statusCode < 500) {
      return reply.status(statusCode).send({
        statusCode,
        error: httpReason(statusCode),
        code: (error.code ?? 'bad_request').toLowerCase(),
        message: error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? bodyTooLarge(request) : (bodyProblem(error, request, request.language) ?? error.message),
        requestId,
      });
    }
    request.log.error({ err: withoutQueryValues(error), route: request.routeOptions.url, actor: request.actor?.name }, 'request failed');
    const status = statusCode === 503 ? 503 : 500;
    return reply.status(status).send({
      statusCode: status,
      error: httpReason(status),
      code: 'internal_error',
      message: translate(request.language, 'error.internal'),
      requestId,
    });
  });

  const allowedMethods = trackAllowedMethods(fastify);
  // Before anything else reads the call (its token, its body: a QUERY without Content-Type would be a 400): a known
  // path with another method is a 405 that says which methods it takes.
  fastify.addHook('onRequest', async (request, reply) => {
    if (!request.is404) return;
    const path = request.url.split('?')[0] ?? '/';
    const allowed = allowedMethods(path);
    if (allowed.length === 0) return;
    return reply
      .status(405)
      .header('allow', allowed.join(', '))
      .send({
        statusCode: 405,
        error: httpReason(405),
        code: 'method_not_allowed',
        message: translate(request.language, 'error.methodNotAllowed', { path, method: request.method, allowed: allowed.join(', ') }),
        requestId: String(request.id),
      });
  });
  fastify.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    return reply.status(404).send({
      statusCode: 404,
      error: 'Not Found',
      code: 'route_not_found',
      message: translate(request.language, 'error.routeNotFound', { method: request.method, path }),
      requestId: String(request.id),
    });
  });
}

/**
 * A body Fastify could not read, in words that say what to send: JSON that breaks (and where), an empty one, a
 * Content-Type this call does not take. Null for other errors, whose own message stands.
 */
function bodyProblem(error: FastifyError | JsonBodyError, request: FastifyRequest, language: Language): string | null {
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    const sent = request.headers['content-type'];
    return sent ? translate(language, 'body.wrongType', { sent: JSON.stringify(sent.slice(0, 100)) }) : translate(language, 'body.noType');
  }
  if (error instanceof JsonBodyError) {
    if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return translate(language, 'body.emptyJson');
    const where = error.position === null ? translate(language, 'body.notJsonEnd') : translate(language, 'body.notJsonAt', { position: error.position });
    return translate(language, 'body.notJson', { where });
  }
  return null;
}

/** Fastify says only "Request body is too large"; the caller needs the limit. */
function bodyTooLarge(request: FastifyRequest): string {
  const route = `${request.method} ${request.routeOptions.url ?? request.url}`;
  return translate(request.language, 'error.bodyTooLarge', { limit: byteSize(request.routeOptions.bodyLimit), route });
}

/**
 * Errors the router finds before any route runs (a malformed %-escape, a path parameter longer than any ID):
 * Fastify answers them in a shape of its own, without a request ID, and an over-long parameter with 414. The
 * caller sent a bad path parameter either way: a 400 like any other, in the one error shape and the caller's language
 * (from Accept-Language: who calls is not known yet).
 */
export const routerErrorAnswer = (defaultLanguage: Language) => (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
  const requestId = String(request.id);
  // Before routing the request has none of its decorations: no caller, no `language`. Its Accept-Language says.
  const language = negotiateLanguage(request.headers['accept-language'], defaultLanguage);
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
  void reply
    .header('x-request-id', requestId)
    .status(400)
    .send({
      statusCode: 400,
      error: 'Bad Request',
      code: 'invalid_params',
      message: translate(language, tooLong ? 'error.paramTooLong' : 'error.paramBadEscape'),
      field: 'params',
      requestId,
    });
};

/** `body.title`, `query.limit`… from Ajv's JSON pointer, or the missing/unknown property's name. */
function fieldOf(context: string, issue: ValidationIssue | undefined): string {
  if (!issue) return context;
  const path = issue.instancePath.split('/').filter(Boolean).join('.');
  const named = issue.params.missingProperty ?? issue.params.additionalProperty;
  return [context, path, typeof named === 'string' ? named : ''].filter(Boolean).join('.');
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

function httpReason(statusCode: number): string {
  return REASONS[statusCode] ?? 'Error';
}

/** Postgres' check_violation of one of migration 0023's date constraints (drizzle wraps the driver's error as its cause). */
function isDateBoundsViolation(error: unknown): boolean {
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
    const { code, constraint } = cause as { code?: string; constraint?: string };
    if (code === '23514' && constraint?.endsWith('_within_dates')) return true;
  }
  return false;
}
