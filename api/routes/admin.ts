import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { restrictRoutes } from '../plugins/app/authorization';
import { Type } from '@sinclair/typebox';
import { handOverChair, listChairTerms } from '../../db/chair-terms-repository';
import {
  createUser,
  findUserById,
  issueToken,
  listTokens,
  listUsers,
  revokeToken,
  UserInputError,
  validateNewUser,
} from '../../db/users-repository';
import { UnknownCountryError } from '../../db/dialogue-members-repository';
import { ApiError, unknownCountryError } from '../api-error';
import { Country, errorResponses, Nullable, Text, Timestamp, Uuid } from '../schemas/common';
import { RoleSchema } from '../schemas/request-schemas';
import { readableRows } from '../../db/readable-rows';

/** Identity and the Chair's office, for administrators only. Administrators do not act on requests. */

const User = Type.Object({
  userId: Uuid,
  name: Type.String(),
  role: RoleSchema,
  country: Nullable(Type.String()),
  email: Nullable(Type.String({ description: 'Where notifications go; null: none (PUT /admin/users/{userId}/email)' })),
  createdAt: Timestamp,
});
const TokenInfo = Type.Object({
  tokenId: Uuid,
  user: Type.String(),
  role: Type.String(),
  label: Nullable(Type.String()),
  createdAt: Timestamp,
  expiresAt: Nullable(Timestamp),
  revokedAt: Nullable(Timestamp),
  lastUsedAt: Nullable(Timestamp),
});
const ChairTerm = Type.Object({ termId: Uuid, holder: Type.String(), startsAt: Timestamp, endsAt: Timestamp, assignedBy: Type.String() });

const adminRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  restrictRoutes(fastify, ['admin'], { key: 'error.onlyAdminsAdmin' });

  const inputError = (error: unknown, field: string) => {
    if (error instanceof UnknownCountryError) return unknownCountryError(error.country, `${field}.country`);
    return error instanceof UserInputError ? new ApiError(400, 'invalid_body', { key: 'error.fieldProblem', values: { field, problem: error.localized } }, { field }) : error;
  };

  fastify.get(
    '/admin/users',
    { schema: { summary: 'All users', tags: ['admin'], response: { 200: Type.Object({ items: Type.Array(User) }), ...errorResponses(401, 403) } } },
    async () => ({ items: readableRows('users', await listUsers(fastify.db), (u) => u.userId, (u) => ({ ...u, createdAt: u.createdAt.toISOString() })) }),
  );

  fastify.post(
    '/admin/users',
    {
      schema: {
        summary: 'Create a user (partner and sc_member need a country, one of GET /countries)',
        tags: ['admin'],
        body: Type.Object({ name: Text(200), role: RoleSchema, country: Type.Optional(Nullable(Country)) }, { additionalProperties: false }),
        response: { 201: User, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      let input, user;
      try {
        input = validateNewUser(request.body);
        user = await createUser(fastify.db, input, request.actor.name);
      } catch (error) {
        throw inputError(error, 'body');
      }
      if (!user) throw new ApiError(409, 'user_exists', { key: 'error.userExists', values: { name: input.name } });
      return reply.status(201).send({ ...user, role: user.role });
    },
  );

  fastify.post(
    '/admin/users/:userId/tokens',
    {
      schema: {
        summary: 'Issue a token for a user; the secret is shown only in this response',
        tags: ['admin'],
        params: Type.Object({ userId: Uuid }),
        body: Type.Object(
          { label: Type.Optional(Text(200)), expiresAt: Type.Optional(Timestamp) },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ tokenId: Uuid, token: Type.String(), expiresAt: Nullable(Timestamp) }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const user = await findUserById(fastify.db, request.params.userId);
      if (!user) throw new ApiError(404, 'user_not_found', { key: 'error.userNotFound', values: { id: request.params.userId } });
      const expiresAt = request.body.expiresAt ? new Date(request.body.expiresAt).toISOString() : null;
      if (expiresAt && expiresAt <= new Date().toISOString()) {
        throw new ApiError(400, 'invalid_body', { key: 'error.expiryInPast' }, { field: 'body.expiresAt' });
      }
      const issued = await issueToken(
        fastify.db,
        { name: user.name, role: user.role, country: user.country ?? null },
        { expiresAt, label: request.body.label ?? null, issuedBy: request.actor.name },
      );
      return reply.status(201).send({ tokenId: issued.tokenId, token: issued.token, expiresAt: issued.expiresAt });
    },
  );

  fastify.get(
    '/admin/tokens',
    {
      schema: {
        summary: 'Tokens with their status and last use (never the secret)',
        tags: ['admin'],
        querystring: Type.Object({ user: Type.Optional(Text(200)) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(TokenInfo) }), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => ({ items: await listTokens(fastify.db, { userName: request.query.user }) }),
  );

  fastify.delete(
    '/admin/tokens/:tokenId',
    {
      schema: {
        summary: 'Revoke a token: it is refused from the next request on',
        tags: ['admin'],
        params: Type.Object({ tokenId: Uuid }),
        response: { 200: Type.Object({ tokenId: Uuid, revokedAt: Timestamp }), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const revoked = await revokeToken(fastify.db, request.params.tokenId, request.actor.name);
      if (!revoked) throw new ApiError(404, 'token_not_found', { key: 'error.tokenNotFound', values: { id: request.params.tokenId } });
      return { tokenId: request.params.tokenId, ...revoked };
    },
  );

  fastify.get(
    '/admin/chair-terms',
    {
      schema: {
        summary: 'Who held and holds the Chair’s office, when',
        tags: ['admin'],
        response: { 200: Type.Object({ items: Type.Array(ChairTerm) }), ...errorResponses(401, 403) },
      },
    },
    async () => ({ items: await listChairTerms(fastify.db) }),
  );

  fastify.post(
    '/admin/chair-terms',
    {
      schema: {
        summary: 'Hand the Chair’s office over: the running term ends when the new one starts',
        tags: ['admin'],
        body: Type.Object(
          { holder: Text(200, 'Name of a user with the chair role'), startsAt: Type.Optional(Timestamp), endsAt: Timestamp },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ termId: Uuid, holder: Type.String(), startsAt: Timestamp, endsAt: Timestamp, endedTerms: Type.Array(Type.String()) }),
          ...errorResponses(400, 401, 403, 409),
        },
      },
    },
    async (request, reply) => {
      try {
        const term = await handOverChair(fastify.db, {
          holder: request.body.holder,
          startsAt: request.body.startsAt ? new Date(request.body.startsAt) : new Date(),
          endsAt: new Date(request.body.endsAt),
          by: request.actor.name,
        });
        return reply.status(201).send(term);
      } catch (error) {
        throw inputError(error, 'body');
      }
    },
  );
};

export default adminRoutes;
