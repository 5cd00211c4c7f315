import type { FastifyInstance } from 'fastify';

/**
 * One log line per request, when its answer is sent: method, path, status, duration and caller — what a person
 * watching the console needs, and in the JSON logs the same fields for machines. Fastify's own two lines per request
 * (received, completed) are turned off in its place (buildApp's `logController`).
 */
export function logOneLinePerRequest(fastify: FastifyInstance): void {
  fastify.addHook('onResponse', async (request, reply) => {
    const path = request.url.split('?')[0] ?? request.url;
    const ms = Math.round(reply.elapsedTime);
    const caller = request.actor?.name ?? null;
    const line = { method: request.method, path, statusCode: reply.statusCode, responseTime: ms, caller };
    const message = `${request.method} ${path} ${reply.statusCode} ${ms} ms${caller ? ` ${caller}` : ''}`;
    if (reply.statusCode >= 500) request.log.error(line, message);
    else request.log.info(line, message);
  });
}
