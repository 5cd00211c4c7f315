import Ajv, { type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

/**
 * Request validation. Query strings and path parameters arrive as text, so they are coerced to the declared
 * types (`?limit=20` → 20). JSON bodies are not: a number sent as a string, or a string sent as a number, is a
 * client error to report, not a value to rewrite (coercion would turn an indicator `14` into `"14"`).
 */
const common: Options = { allErrors: false, removeAdditional: false, useDefaults: true, strict: false };
const coercing = addFormats(new Ajv({ ...common, coerceTypes: 'array' }));
const strict = addFormats(new Ajv({ ...common, coerceTypes: false }));

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? strict : coercing).compile(schema);
