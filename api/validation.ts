import Ajv, { type ErrorObject, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import type { DateBounds } from '../workflows/date-bounds';
import { CompiledSchemas } from './compiled-schemas';
import { unstorableTextIn, useStorableFormats } from './storable-values';

/**
 * Request validation. Query strings and path parameters arrive as text, so they are coerced to the declared
 * types (`?limit=20` → 20). JSON bodies are not: a number sent as a string, or a string sent as a number, is a
 * client error to report, not a value to rewrite (coercion would turn an indicator `14` into `"14"`).
 * Beyond the schemas, every part of a request is held to what the server can store (storable-values.ts).
 */
// `verbose`: a refusal quotes the value it refused ("got 0018-12-26"), so the caller sees what was wrong.
const common: Options = { allErrors: false, removeAdditional: false, useDefaults: true, strict: false, verbose: true };

type Validator = ReturnType<typeof compileFor>;
const validators = new CompiledSchemas<Validator>();
const compilers = new CompiledSchemas<{ coercing: Ajv; strict: Ajv }>();

/**
 * The validator of one app, its dates held to `bounds` (the deployment's horizon at the latest). Apps built in
 * one process with the same bounds share their compiled validators (compiled-schemas.ts).
 */
export function createValidatorCompiler(bounds: DateBounds): FastifySchemaCompiler<object> {
  const boundsKey = `${bounds.earliest}..${bounds.latest}`;
  const { coercing, strict } = compilers.get(boundsKey, () => ({
    coercing: useStorableFormats(addFormats(new Ajv({ ...common, coerceTypes: 'array' })), bounds),
    strict: useStorableFormats(addFormats(new Ajv({ ...common, coerceTypes: false })), bounds),
  }));
  return ({ schema, httpPart }) =>
    validators.get(`${boundsKey}\n${httpPart}\n${JSON.stringify(schema)}`, () => compileFor(httpPart === 'body' ? strict : coercing, schema, httpPart));
}

function compileFor(ajv: Ajv, schema: object, httpPart: string | undefined) {
  // A body of raw bytes (a document): what arrives is a Buffer, not JSON; there is nothing in it to validate.
  if (httpPart === 'body' && (schema as { contentEncoding?: string }).contentEncoding === 'binary') return isBytes;
  const validate = ajv.compile(schema);
  const validateStorable = (data: unknown): boolean => {
    if (!validate(data)) {
      validateStorable.errors = validate.errors;
      return false;
    }
    const at = unstorableTextIn(data);
    validateStorable.errors = at === null ? null : [unstorableText(at)];
    return at === null;
  };
  validateStorable.errors = null as ErrorObject[] | null | undefined;
  return validateStorable;
}

const isBytes = Object.assign((data: unknown): boolean => Buffer.isBuffer(data), { errors: null as ErrorObject[] | null });

const unstorableText = (instancePath: string): ErrorObject => ({
  instancePath,
  schemaPath: '#',
  keyword: 'storable',
  params: {},
  message: 'must not contain the character U+0000 or unpaired UTF-16 surrogates',
});
