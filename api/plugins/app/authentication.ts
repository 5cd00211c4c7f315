import fp from 'fastify-plugin';
import { relevantTermOf } from '../../../db/chair-terms-repository';
import { checkToken } from '../../../db/users-repository';
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
        throw new ApiError(401, 'unauthenticated', { key: 'error.noToken' });
      }
      const check = await checkToken(fastify.db, match[1]!);
      if (!check.ok) {
        reply.header('WWW-Authenticate', 'Bearer error="invalid_token"');
        throw new ApiError(401, `token_${check.reason}`, { key: `error.token.${check.reason}` });
      }
      const { user } = check;
      // The workflow checks the term against its own clock; the refusal says whether it ended or has yet to start.
      const chairTerm = user.role === 'chair' ? await relevantTermOf(fastify.db, user.userId) : undefined;
      request.actor = { ...user, ...(chairTerm === undefined ? {} : { chairTerm }) };
      request.savedLanguage = check.language;
    });
  },
  { name: 'authentication', dependencies: ['postgres'] },
);
