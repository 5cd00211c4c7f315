import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { restrictRoutes } from '../plugins/app/authorization';
import { Type } from '@sinclair/typebox';
import {
  correctOutOfBoundsValue,
  CORRECTABLE_TABLES,
  listOutOfBoundsValues,
  removableDescription,
  removeOutOfBoundsRow,
} from '../../db/out-of-bounds-repository';
import { ApiError } from '../api-error';
import { errorResponses, IsoDate, Timestamp } from '../schemas/common';

/**
 * Dates stored before the database held them to the dialogue's lifetime (migration 0023), for administrators to
 * put right: listed, corrected, or — where nothing on record is lost — removed. Reads never break on them meanwhile
 * (db/readable-rows.ts); this is how they stop being left out.
 */

const OutOfBoundsValue = Type.Object({
  table: Type.String(),
  rowId: Type.String(),
  column: Type.String(),
  value: Type.String({ description: 'As Postgres stores it' }),
  fix: Type.String({ description: 'What puts it right' }),
});
/** What is still to put right, after the change. */
const Remaining = Type.Object({ items: Type.Array(OutOfBoundsValue) });
const Table = Type.Union(CORRECTABLE_TABLES.map((table) => Type.Literal(table)));
const RowId = Type.String({ minLength: 1, maxLength: 100 });

const outOfBoundsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  restrictRoutes(fastify, ['admin'], { key: 'error.onlyAdminsStoredValues' });

  fastify.get(
    '/admin/out-of-bounds-values',
    {
      schema: {
        summary: 'Stored dates no one can mean (before 2006 or after the horizon), and how to put each right',
        tags: ['admin'],
        response: { 200: Remaining, ...errorResponses(401, 403) },
      },
    },
    async () => ({ items: await listOutOfBoundsValues(fastify.db) }),
  );

  fastify.put(
    '/admin/out-of-bounds-values',
    {
      schema: {
        summary: 'Correct one listed value',
        tags: ['admin'],
        body: Type.Object(
          {
            table: Table,
            rowId: RowId,
            column: Type.String({ minLength: 1, maxLength: 100 }),
            // The API's own formats hold it to the bounds, with their refusal in the caller's language.
            value: Type.Union([Timestamp, IsoDate], { description: 'RFC 3339 date and time, or YYYY-MM-DD for a day column' }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Remaining, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const outcome = await correctOutOfBoundsValue(fastify.db, request.body, request.actor.name);
      if (outcome === 'wrong_column') {
        throw new ApiError(400, 'invalid_body', { key: 'error.noCorrectableColumn', values: { table: request.body.table, column: request.body.column } }, { field: 'body.column' });
      }
      if (outcome === 'not_found') throw notListed();
      return { items: await listOutOfBoundsValues(fastify.db) };
    },
  );

  fastify.post(
    '/admin/out-of-bounds-values/removal',
    {
      schema: {
        summary: 'Remove a row that holds a listed value, where that loses nothing on record',
        tags: ['admin'],
        body: Type.Object({ table: Table, rowId: RowId }, { additionalProperties: false }),
        response: { 200: Remaining, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const outcome = await removeOutOfBoundsRow(fastify.db, request.body, request.actor.name);
      if (outcome === 'not_found') throw notListed();
      if (outcome === 'not_removable') {
        const what = removableDescription(request.body.table);
        throw new ApiError(409, 'not_removable', what ? { key: 'error.onlyRemovable', values: { what: { key: what } } } : { key: 'error.correctedNotRemoved', values: { table: request.body.table } });
      }
      return { items: await listOutOfBoundsValues(fastify.db) };
    },
  );
};

const notListed = () => new ApiError(404, 'not_found', { key: 'error.outOfBoundsNotListed' });

export default outOfBoundsRoutes;
