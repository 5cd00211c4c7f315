import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

/**
 * Compiling the API's schemas is most of what building the app costs: Ajv's validators, and fast-json-stringify's
 * serializers, which compile one more Ajv validator for each `anyOf` of a response the first time they meet it
 * (about 3 CPU-seconds for our responses). The compiled functions depend on nothing but the schema and the
 * options, so one process compiles each once and every app it builds shares them (the tests build dozens; a
 * server that rebuilds its app on a reload would too).
 *
 * Keyed by the schema's JSON, not its identity: routes build their schema objects at registration, so the same
 * schema is a new object in every app.
 */
export class CompiledSchemas<Compiled> {
  private readonly compiled = new Map<string, Compiled>();

  get(key: string, compile: () => Compiled): Compiled {
    let found = this.compiled.get(key);
    if (found === undefined) {
      found = compile();
      this.compiled.set(key, found);
    }
    return found;
  }
}

type SerializerFactory = NonNullable<NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>['buildSerializer']>;
type Serializer = (data: unknown) => string;

const serializers = new CompiledSchemas<Serializer>();
const buildSerializer = SerializerSelector();

/** Fastify's own serializer factory, with each serializer compiled once per process (see above). */
export const sharedSerializerFactory: SerializerFactory = (externalSchemas, serializerOptions) => {
  const compile = buildSerializer(externalSchemas, serializerOptions);
  const context = JSON.stringify([externalSchemas, serializerOptions ?? null]);
  return (route) => serializers.get(`${context}\n${JSON.stringify(route.schema)}`, () => compile(route) as Serializer);
};
