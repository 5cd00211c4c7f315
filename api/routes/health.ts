import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { databaseIsReachable } from '../../db/requests-repository';

const HealthReport = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  postgres: Type.Boolean({ description: 'Postgres answered a query' }),
  temporal: Type.Boolean({ description: 'The Temporal frontend answered a health check' }),
});

const healthRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/health',
    {
      config: { public: true },
      schema: {
        summary: 'Whether Postgres and Temporal are reachable',
        tags: ['operations'],
        security: [],
        response: { 200: HealthReport, 503: HealthReport },
      },
    },
    async (_request, reply) => {
      const [postgres, temporal] = await Promise.all([
        databaseIsReachable(fastify.db),
        fastify.temporalConnection.healthService
          .check({})
          .then(() => true)
          .catch(() => false),
      ]);
      const ok = postgres && temporal;
      return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', postgres, temporal });
    },
  );
};

export default healthRoutes;
