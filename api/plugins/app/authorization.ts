import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { LocalizedMessage } from '../../../i18n/localized';
import type { Role } from '../../../workflows/request-model';
import { anyOfRoles } from '../../../workflows/rules/refusal';
import { ApiError } from '../../api-error';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route (after authentication); absent: anyone signed in. What they may do to a request is the rules'. */
    allowedRoles?: readonly Role[];
    /** What a caller of another role is told, with the 403. */
    refusal?: LocalizedMessage;
  }
}

/** A route's `config`: only these roles may call it, and what anyone else is told. */
export const onlyFor = (roles: readonly Role[], refusal: LocalizedMessage) => ({ allowedRoles: roles, refusal });

/** Every route the plugin `fastify` registers from now on is for these roles only (unless a route says otherwise). */
export function restrictRoutes(fastify: FastifyInstance, roles: readonly Role[], refusal: LocalizedMessage): void {
  fastify.addHook('onRoute', (route) => {
    route.config = { ...onlyFor(roles, refusal), ...route.config };
  });
}

/**
 * The one check of who may call a route, from its `config.allowedRoles`. A preHandler, as the checks it replaces
 * were: a malformed call is told so (400) before a caller is told the route is not theirs (403).
 */
export default fp(
  async (fastify) => {
    fastify.addHook('preHandler', async (request) => {
      const { allowedRoles, refusal } = request.routeOptions.config;
      if (allowedRoles && !allowedRoles.includes(request.actor.role)) {
        throw new ApiError(403, 'forbidden', refusal ?? { key: 'error.onlyRolesCall', values: { roles: anyOfRoles(allowedRoles) } });
      }
    });
  },
  { name: 'authorization', dependencies: ['authentication'] },
);
