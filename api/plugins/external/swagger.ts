import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { DialogueName } from '../../../config/dialogue';

/** OpenAPI generated from the route schemas (so it cannot drift from what the server does), at /openapi.json and /docs. */
export default fp<{ dialogue: DialogueName }>(
  async (fastify, { dialogue }) => {
    await fastify.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: `${dialogue.en} — capacity-building requests`,
          description:
            'Submit, screen, review, decide, implement, monitor and close capacity-building requests. ' +
            'Every step is a durable Temporal workflow update, recorded in an append-only audit trail.',
          version: '0.1.0',
        },
        components: {
          securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Token from `npm run cli -- token create`' } },
        },
        security: [{ bearer: [] }],
      },
      transformObject: (document) => ('openapiObject' in document ? errorsAsJson(document.openapiObject) : document.swaggerObject),
    });
    await fastify.register(swaggerUi, { routePrefix: '/docs' });
    fastify.get('/openapi.json', { schema: { hide: true }, config: { public: true } }, async () => fastify.swagger());
  },
  { name: 'swagger' },
);

type Operation = { responses?: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }> };

/**
 * A route's `produces` (text/csv, text/event-stream…) is what it sends when it succeeds; @fastify/swagger applies it
 * to every status. Errors come from the one error handler, always as JSON, and are documented so. (The one
 * exception declares its own media: the unsubscribe link's page for a link that is not valid, read in a browser.)
 */
function errorsAsJson<T extends { paths?: object }>(document: T): T {
  const pathItems = Object.values(document.paths ?? {}) as Array<Record<string, Operation>>;
  for (const operation of pathItems.flatMap((item) => Object.values(item ?? {}))) {
    for (const [status, response] of Object.entries(operation?.responses ?? {})) {
      const [media] = Object.values(response.content ?? {});
      // The error handler's answers are the shared Error schema, which the document holds as a reference.
      if (Number(status) >= 400 && media?.schema?.$ref) response.content = { 'application/json': media };
    }
  }
  return document;
}
