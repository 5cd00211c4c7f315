import { Type, type SchemaOptions, type TSchema } from '@sinclair/typebox';
import { EARLIEST_DATE, LATEST_DATE } from '../../workflows/date-bounds';

/** Building blocks shared by every route schema. */

export const Uuid = Type.String({ format: 'uuid', description: 'UUID' });
export const Country = Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2 country code, e.g. SN' });
/** Dates a person gives are held to the dialogue's lifetime (workflows/date-bounds.ts), and so are those the server answers with. */
const WITHIN = `between ${EARLIEST_DATE} and the deployment's horizon (DATE_HORIZON, at most ${LATEST_DATE})`;
export const Timestamp = Type.String({ format: 'date-time', description: `RFC 3339 date and time, ${WITHIN}` });
export const IsoDate = Type.String({ format: 'date', description: `YYYY-MM-DD, ${WITHIN}` });

/**
 * Text that people read (titles, names, notes) holds no control characters but line breaks and tabs: a title of
 * U+000E shows as nothing, and escape sequences rewrite a terminal. C0 controls, DEL and C1 controls are refused.
 */
export const READABLE_TEXT_PATTERN = '^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$';
export const Text = (maxLength: number, description?: string) =>
  Type.String({ minLength: 1, maxLength, pattern: READABLE_TEXT_PATTERN, ...(description ? { description } : {}) });
export const Euros = Type.Number({ minimum: 0, maximum: 1_000_000_000, description: 'Amount in euros' });

export const Nullable = <T extends TSchema>(schema: T, options?: SchemaOptions) => Type.Union([schema, Type.Null()], options);

/** An action plan's (area's, objective's) title in French; null where the plan gives none: French readers then read `title`. */
export const FrenchTitle = Nullable(Type.String(), { description: 'The title in French; null when the plan gives none (French readers then read `title`)' });

export const RequestIdParams = Type.Object({ id: Uuid });

/**
 * A step's answer can be lost after the step was taken (a dropped connection, a restarted server): with a key,
 * the client may simply send it again.
 */
export const StepIdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      pattern: '^[\\x21-\\x7E]+$',
      description:
        'Any unique string (e.g. a UUID) per step: a retry with the same key and body is taken once and answers as the ' +
        'first attempt did, instead of taking the step again (a second report, a second activity)',
    }),
  ),
});

export const ErrorResponse = Type.Object(
  {
    statusCode: Type.Integer(),
    error: Type.String(),
    code: Type.String({ description: 'Stable machine-readable reason' }),
    message: Type.String({ description: 'What went wrong and what to do about it' }),
    field: Type.Optional(Type.String({ description: 'The request field the error is about' })),
    phase: Type.Optional(Type.String({ description: 'The request’s current phase (409)' })),
    allowedActions: Type.Optional(Type.Array(Type.String(), { description: 'What the caller may do now (409)' })),
    requestId: Type.String({ description: 'Quote this when reporting a problem' }),
  },
  { $id: 'Error' },
);

/** The error responses every authenticated route may give. */
export const errorResponses = (...codes: number[]) =>
  Object.fromEntries(codes.map((code) => [code, Type.Ref('Error')]));
