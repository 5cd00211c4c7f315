import fp from 'fastify-plugin';
import { findActorByToken } from '../../../db/users-repository';
import type { Actor } from '../../../workflows/request-model';
import { ApiError } from '../../api-error';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller; set on every route not marked `config: { public: true }`. */
    actor: Actor;
  }
  interface FastifyContextConfig {
    public?: boolean;
  }
}

const BEARER = /^Bearer\s+(\S+)$/i;

export default fp(
  async (fastify) => {
    fastify.decorateRequest('actor', null as unknown as Actor);
    fastify.addHook('onRequest', async (request, reply) => {
      if (request.routeOptions.config.public || request.url.startsWith('/docs')) return;
      const match = BEARER.exec(request.headers.authorization ?? '');
      if (!match) {
        reply.header('WWW-Authenticate', 'Bearer');
        throw new ApiError(401, 'unauthenticated', 'Send your API token as "Authorization: Bearer <token>".');
      }
      const actor = await findActorByToken(fastify.db, match[1]!);
      if (!actor) {
        reply.header('WWW-Authenticate', 'Bearer error="invalid_token"');
        throw new ApiError(401, 'invalid_token', 'This token is not valid. Ask an administrator for a new one (npm run cli -- token create).');
      }
      request.actor = actor;
    });
  },
  { name: 'authentication', dependencies: ['postgres'] },
);
