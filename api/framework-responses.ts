import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';

/**
 * Answers that come from the HTTP machinery rather than from a route's handler, declared on every route so that
 * the OpenAPI lists what the server really answers: 429 from the rate limit, on every route; 400 (invalid JSON),
 * 413 (over the body limit) and 415 (not JSON) wherever a body is read; 400 for a malformed path parameter, and 405
 * when a parameter left empty makes the path another route's (POST /requests//withdrawal is /requests/{id}'s); 403
 * on every route that changes something, for a browser session's call without its CSRF token.
 * Call before any route is registered.
 */
export function declareFrameworkResponses(fastify: FastifyInstance): void {
  fastify.addHook('onRoute', (route) => {
    const schema = route.schema;
    if (!schema || schema.hide) return;
    const methods = [route.method].flat();
    const readsBody = methods.some((method) => method !== 'GET' && method !== 'HEAD');
    const hasPathParameters = route.url.includes(':');
    const error = Type.Ref('Error');
    const framework = {
      429: error,
      ...(readsBody || hasPathParameters ? { 400: error } : {}),
      ...(hasPathParameters ? { 405: error } : {}),
      ...(readsBody ? { 413: error, 415: error } : {}),
      // A signed-in browser's call that changes something without its CSRF token, or from another site.
      ...(readsBody && !route.config?.public ? { 403: error } : {}),
    };
    route.schema = { ...schema, response: { ...framework, ...(schema.response ?? {}) } };
  });
}
