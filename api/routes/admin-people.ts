import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import type { MailContext } from '../../activities/notifications/mail-context';
import { invitationMessage } from '../../activities/notifications/sign-in-messages';
import { UnknownCountryError } from '../../db/dialogue-members-repository';
import { adminEvents } from '../../db/schema';
import { endSessions } from '../../db/sessions-repository';
import { EmailInUse, inviteAgain, invitePerson } from '../../db/sign-in-repository';
import { removeAllPasskeys } from '../../db/passkeys-repository';
import { changeAccess, findUserById, UserInputError, validateNewUser } from '../../db/users-repository';
import { isoOfStored } from '../../db/stored-instants';
import { restrictRoutes } from '../plugins/app/authorization';
import { ApiError, unknownCountryError } from '../api-error';
import { Country, errorResponses, Nullable, Text, Timestamp, Uuid } from '../schemas/common';
import { RoleSchema } from '../schemas/request-schemas';
import { addressOrError, LanguageSchema } from '../schemas/notification-schemas';

/**
 * People's access, for administrators (README, "Signing in"): invitations, a person's role, country and whether they
 * may sign in, their sessions, and the log of who got in, who failed and what changed.
 */

const Person = Type.Object({
  userId: Uuid,
  name: Type.String(),
  role: RoleSchema,
  country: Nullable(Type.String()),
  email: Nullable(Type.String()),
  deactivatedAt: Nullable(Timestamp, { description: 'When the person was deactivated; null: they may sign in' }),
});

const AdminEvent = Type.Object({
  id: Type.Integer(),
  type: Type.String({ description: 'e.g. invitation_sent, signed_in, sign_in_failed, session_ended, user_changed, user_deactivated' }),
  actorName: Type.String({ description: 'Who did it (anonymous for a failed sign-in)' }),
  occurredAt: Timestamp,
  payload: Type.Record(Type.String(), Type.Unknown(), { description: 'What happened, from where (the client address); never a secret, link or code' }),
});

const adminPeopleRoutes: FastifyPluginAsyncTypebox<{ email: MailContext | null }> = async (fastify, { email: emailOn }) => {
  restrictRoutes(fastify, ['admin'], { key: 'error.onlyAdminsAdmin' });

  const inputError = (error: unknown) => {
    if (error instanceof UnknownCountryError) return unknownCountryError(error.country, 'body.country');
    if (error instanceof EmailInUse) return new ApiError(409, 'email_in_use', { key: 'error.emailInUse', values: { name: error.holder } }, { field: 'body.email' });
    return error instanceof UserInputError ? new ApiError(400, 'invalid_body', { key: 'error.fieldProblem', values: { field: 'body', problem: error.localized } }, { field: 'body' }) : error;
  };

  fastify.post(
    '/admin/invitations',
    {
      schema: {
        summary: 'Invite a person: they get an e-mail whose single-use link (72 hours) signs them in',
        description: 'Creates the person with the role and country given here (only an administrator grants either) and their address; the invitation goes out in their language (null: English, then French).',
        tags: ['admin'],
        body: Type.Object(
          { name: Text(200), email: Type.String({ maxLength: 254 }), role: RoleSchema, country: Type.Optional(Nullable(Country)), language: Type.Optional(Nullable(LanguageSchema)) },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ userId: Uuid, invitationId: Uuid, expiresAt: Timestamp }), ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      if (emailOn === null) throw new ApiError(409, 'email_off', { key: 'error.signIn.emailOff' });
      const email = addressOrError(request.body.email)!;
      let person, invited;
      try {
        person = validateNewUser(request.body);
        invited = await invitePerson(fastify.db, { ...person, email, language: request.body.language ?? null }, request.actor.name, (secret) =>
          invitationMessage({ ...secret, invitedBy: request.actor.name, context: emailOn }),
        );
      } catch (error) {
        throw inputError(error);
      }
      if (!invited) throw new ApiError(409, 'user_exists', { key: 'error.userExists', values: { name: person.name } });
      return reply.status(201).send(invited);
    },
  );

  fastify.patch(
    '/admin/users/:userId',
    {
      schema: {
        summary: 'Change a person’s role and country, or (de)activate them; either ends their sessions at once',
        tags: ['admin'],
        params: Type.Object({ userId: Uuid }),
        body: Type.Object(
          { role: Type.Optional(RoleSchema), country: Type.Optional(Nullable(Country)), active: Type.Optional(Type.Boolean({ description: 'false: they sign in no more, their tokens stop working' })) },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: Type.Object({ user: Person, endedSessions: Type.Integer() }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      let changed;
      try {
        changed = await changeAccess(fastify.db, request.params.userId, request.body, request.actor.name);
      } catch (error) {
        throw inputError(error);
      }
      if (!changed) throw new ApiError(404, 'user_not_found', { key: 'error.userNotFound', values: { id: request.params.userId } });
      const { user, endedSessions } = changed;
      return {
        user: { userId: user.id, name: user.name, role: user.role, country: user.country, email: user.email, deactivatedAt: user.deactivatedAt ? isoOfStored(user.deactivatedAt) : null },
        endedSessions,
      };
    },
  );

  fastify.delete(
    '/admin/users/:userId/sessions',
    {
      schema: {
        summary: 'End every session of a person (they sign in again)',
        tags: ['admin'],
        params: Type.Object({ userId: Uuid }),
        response: { 200: Type.Object({ ended: Type.Integer() }), ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const user = await findUserById(fastify.db, request.params.userId);
      if (!user) throw new ApiError(404, 'user_not_found', { key: 'error.userNotFound', values: { id: request.params.userId } });
      return { ended: await endSessions(fastify.db, { userId: user.id, userName: user.name, reason: 'ended_by_admin', by: request.actor.name }) };
    },
  );

  fastify.post(
    '/admin/users/:userId/invitation',
    {
      schema: {
        summary: 'Invite a person on record again (a lost passkey, an unused invitation): a new single-use link; earlier ones stop working',
        tags: ['admin'],
        params: Type.Object({ userId: Uuid }),
        response: { 201: Type.Object({ userId: Uuid, invitationId: Uuid, expiresAt: Timestamp }), ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      if (emailOn === null) throw new ApiError(409, 'email_off', { key: 'error.signIn.emailOff' });
      const invited = await inviteAgain(fastify.db, request.params.userId, request.actor.name, (secret) =>
        invitationMessage({ ...secret, invitedBy: request.actor.name, context: emailOn }),
      );
      if (!invited) throw new ApiError(404, 'user_not_found', { key: 'error.userNotInvitable', values: { id: request.params.userId } });
      return reply.status(201).send(invited);
    },
  );

  fastify.delete(
    '/admin/users/:userId/passkeys',
    {
      schema: {
        summary: 'Remove every passkey of a person (they lost theirs): they sign in again by e-mail or a new invitation',
        tags: ['admin'],
        params: Type.Object({ userId: Uuid }),
        response: { 200: Type.Object({ removed: Type.Integer() }), ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const user = await findUserById(fastify.db, request.params.userId);
      if (!user) throw new ApiError(404, 'user_not_found', { key: 'error.userNotFound', values: { id: request.params.userId } });
      return { removed: await removeAllPasskeys(fastify.db, { userId: user.id, userName: user.name, by: request.actor.name }) };
    },
  );

  fastify.get(
    '/admin/events',
    {
      schema: {
        summary: 'The administrators’ log, newest first: invitations, sign-ins, failed attempts, sessions ended, changes of access and of reference data',
        tags: ['admin'],
        querystring: Type.Object(
          {
            type: Type.Optional(Type.String({ pattern: '^[a-z_]{1,60}$', description: 'Only events of this type' })),
            limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
            before: Type.Optional(Type.Integer({ minimum: 1, description: 'The id of the last event of the previous page' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(AdminEvent) }), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { type, limit = 50, before } = request.query;
      const conditions: SQL[] = [];
      if (type) conditions.push(eq(adminEvents.type, type));
      if (before) conditions.push(lt(adminEvents.id, before));
      const rows = await fastify.db.select().from(adminEvents).where(and(...conditions)).orderBy(desc(adminEvents.id)).limit(limit);
      return { items: rows.map((row) => ({ ...row, occurredAt: isoOfStored(row.occurredAt) })) };
    },
  );
};

export default adminPeopleRoutes;
