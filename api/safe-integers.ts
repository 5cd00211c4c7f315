import type { FastifyInstance, FastifySchema } from 'fastify';

/**
 * Integers as JavaScript holds them exactly, |n| ≤ 2^53 − 1. Beyond, 9007199254740993 arrives as …992, and 1e300
 * (an integer to JSON Schema) reaches Postgres as "1e+300", which a bigint column refuses: a 500 instead of a 400.
 * Every integer a request carries — path, query, headers, body — gets these bounds, in the validator and in the
 * OpenAPI alike. Call before any route is registered.
 */
export function boundIntegers(fastify: FastifyInstance): void {
  fastify.addHook('onRoute', (route) => {
    const schema = route.schema as (FastifySchema & Record<string, unknown>) | undefined;
    if (!schema) return;
    const bounded = { ...schema };
    for (const part of ['params', 'querystring', 'headers', 'body'] as const) {
      if (schema[part] !== undefined) bounded[part] = withSafeIntegers(schema[part]);
    }
    route.schema = bounded;
  });
}

/** A copy of the schema in which every integer is bounded to the safe range (tighter bounds are kept). */
function withSafeIntegers(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withSafeIntegers);
  if (node === null || typeof node !== 'object') return node;
  const copy: Record<string, unknown> = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, withSafeIntegers(value)]));
  if (copy.type === 'integer' || (Array.isArray(copy.type) && copy.type.includes('integer'))) {
    copy.minimum = Math.max(typeof copy.minimum === 'number' ? copy.minimum : -Infinity, Number.MIN_SAFE_INTEGER);
    copy.maximum = Math.min(typeof copy.maximum === 'number' ? copy.maximum : Infinity, Number.MAX_SAFE_INTEGER);
  }
  return copy;
}
