import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  findMember,
  listMembers,
  MEMBER_KINDS,
  MEMBER_STATUSES,
  MemberInUseError,
  REGIONS,
  removeMember,
  saveMember,
} from '../../db/dialogue-members-repository';
import { UserInputError } from '../../db/user-input-error';
import { onlyFor } from '../plugins/app/authorization';
import { ApiError } from '../api-error';
import { Country, errorResponses, IsoDate, Nullable, Text } from '../schemas/common';

/**
 * The dialogue's members (GET /countries): the list every `country` of a user, a token and a request is checked
 * against — countries and the organisations beside them (the European Commission, ECOWAS), partners and observers.
 * Reference data everyone reads and administrators keep, one member at a time.
 */

const literals = <T extends string>(values: readonly T[], description: string) =>
  Type.Union(values.map((value) => Type.Literal(value)), { description });

const CodeParams = Type.Object({
  code: Type.String({ pattern: '^[A-Z]{2}$', description: 'The member’s code: ISO 3166-1 alpha-2 (SN, ES…), EU, XW (ECOWAS)' }),
});

const memberFields = {
  nameEn: Text(200, 'Its name in English, e.g. Côte d’Ivoire'),
  nameFr: Text(200, 'Its name in French, e.g. Sénégal'),
  kind: literals(MEMBER_KINDS, 'A country, or an organisation (the European Commission, ECOWAS)'),
  status: literals(MEMBER_STATUSES, 'A partner, or an observer'),
};

const MemberBody = Type.Object(
  {
    ...memberFields,
    region: Type.Optional(Nullable(literals(REGIONS, 'Where it is; null or left out: not said'))),
    memberSince: Type.Optional(Nullable(IsoDate)),
  },
  { additionalProperties: false },
);

const MemberView = Type.Object({
  code: Country,
  ...memberFields,
  region: Nullable(literals(REGIONS, 'Where it is; null: not said')),
  memberSince: Nullable(Type.String({ format: 'date', description: 'When it joined the dialogue; null: not on record' })),
});

const notFound = (code: string) => new ApiError(404, 'country_not_found', { key: 'error.countryNotFound', values: { code } });
const ADMINS_KEEP_THE_LIST = { key: 'error.onlyAdminsCountries' } as const;

const countryRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/countries',
    {
      schema: {
        summary: 'The dialogue’s members: countries and organisations, partners and observers, in English and French',
        tags: ['countries'],
        response: { 200: Type.Object({ items: Type.Array(MemberView) }), ...errorResponses(401) },
      },
    },
    async () => ({ items: await listMembers(fastify.db) }),
  );

  fastify.get(
    '/countries/:code',
    {
      schema: {
        summary: 'One member of the dialogue',
        tags: ['countries'],
        params: CodeParams,
        response: { 200: MemberView, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const member = await findMember(fastify.db, request.params.code);
      if (!member) throw notFound(request.params.code);
      return member;
    },
  );

  fastify.put(
    '/countries/:code',
    {
      config: onlyFor(['admin'], ADMINS_KEEP_THE_LIST),
      schema: {
        summary: 'Add a member, or replace what is on record of one (administrators)',
        tags: ['countries'],
        params: CodeParams,
        body: MemberBody,
        response: { 200: MemberView, 201: MemberView, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { region = null, memberSince = null, ...names } = request.body;
      try {
        const saved = await saveMember(fastify.db, request.params.code, { ...names, region, memberSince }, request.actor.name);
        return reply.status(saved.created ? 201 : 200).send(saved.member);
      } catch (error) {
        if (error instanceof UserInputError) throw new ApiError(400, 'invalid_body', { key: 'error.fieldProblem', values: { field: 'body', problem: error.localized } }, { field: 'body' });
        throw error;
      }
    },
  );

  fastify.delete(
    '/countries/:code',
    {
      config: onlyFor(['admin'], ADMINS_KEEP_THE_LIST),
      schema: {
        summary: 'Remove a member no user and no request names as their country (administrators)',
        tags: ['countries'],
        params: CodeParams,
        response: { 200: MemberView, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      let removed;
      try {
        removed = await removeMember(fastify.db, request.params.code, request.actor.name);
      } catch (error) {
        if (error instanceof MemberInUseError) throw new ApiError(409, 'country_in_use', error.localized);
        throw error;
      }
      if (!removed) throw notFound(request.params.code);
      return removed;
    },
  );
};

export default countryRoutes;
