import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { forgedToken } from './hostile-values';
import type { JsonSchema } from './openapi-document';

/**
 * Values a JSON schema admits, as fast-check arbitraries: the whole space the validator lets through, edges
 * included (maximal lengths, unbounded integers, control characters, leap seconds, every time-zone form), since
 * what passes validation must then be handled by the code behind it.
 */

export interface SchemaArbitraryOptions {
  /** Values of the running system (IDs of real requests, the cast's countries) offered to every schema that admits them. */
  dictionary: readonly string[];
  /** How often a dictionary value is chosen over a generated one, when one fits (0–1). */
  dictionaryShare: number;
}

const checker = addFormats(new Ajv({ strict: false }));
const compiled = new WeakMap<JsonSchema, (value: unknown) => boolean>();
function admits(schema: JsonSchema, value: unknown): boolean {
  let validate = compiled.get(schema);
  if (!validate) {
    const fn = checker.compile(schema);
    validate = (v) => fn(v) === true;
    compiled.set(schema, validate);
  }
  return validate(value);
}

export function arbitraryFor(schema: JsonSchema, options: SchemaArbitraryOptions): fc.Arbitrary<unknown> {
  const generated = generate(schema, options);
  const known = options.dictionary.filter((value) => admits(schema, value));
  if (known.length === 0 || options.dictionaryShare <= 0) return generated;
  const weight = Math.round(options.dictionaryShare * 100);
  return fc.oneof({ arbitrary: fc.constantFrom(...known), weight }, { arbitrary: generated, weight: 100 - weight });
}

function generate(schema: JsonSchema, options: SchemaArbitraryOptions): fc.Arbitrary<unknown> {
  if (schema.$ref) throw new Error(`Unresolved $ref ${schema.$ref}: inline refs first`);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) return fc.oneof(...branches.map((branch) => arbitraryFor(branch, options)));
  if (schema.allOf) throw new Error('allOf is not supported by the generator: extend arbitraries-from-schema.ts');
  if (Array.isArray(schema.type)) return fc.oneof(...schema.type.map((type) => generate({ ...schema, type }, options)));
  switch (schema.type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return integerFor(schema);
    case 'number':
      return numberFor(schema);
    case 'string':
      return stringFor(schema);
    case 'array':
      return arrayFor(schema, options);
    case 'object':
      return objectFor(schema, options);
    case undefined:
      return fc.jsonValue({ maxDepth: 2 });
    default:
      throw new Error(`Unsupported schema type ${String(schema.type)}`);
  }
}

/** Integers far outside what a 32- or 64-bit column holds are still integers to JSON Schema. */
const EDGE_INTEGERS = [0, 1, -1, 2 ** 31, 2 ** 53 - 1, 2 ** 63, 1e21, 1e300, -(2 ** 31) - 1, -(2 ** 53 - 1), -1e300];

function integerFor(schema: JsonSchema): fc.Arbitrary<number> {
  const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? Math.floor(schema.exclusiveMinimum) + 1 : -Infinity);
  const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? Math.ceil(schema.exclusiveMaximum) - 1 : Infinity);
  const everyday = fc.integer({ min: Math.max(min, -1_000_000), max: Math.min(max, 1_000_000) });
  const edges = EDGE_INTEGERS.filter((n) => n >= min && n <= max).concat(Number.isFinite(min) ? [min] : [], Number.isFinite(max) ? [max] : []);
  // Where the range is wide (IDs, offsets), its far ends are what code forgets: offer them more often.
  const wide = max - min > 2 ** 32;
  return fc.oneof({ arbitrary: everyday, weight: wide ? 2 : 4 }, { arbitrary: fc.constantFrom(...edges), weight: 1 });
}

function numberFor(schema: JsonSchema): fc.Arbitrary<number> {
  const min = schema.minimum ?? schema.exclusiveMinimum ?? -Number.MAX_VALUE;
  const max = schema.maximum ?? schema.exclusiveMaximum ?? Number.MAX_VALUE;
  const fractional = fc
    .double({ min, max, noNaN: true, noDefaultInfinity: true, minExcluded: schema.exclusiveMinimum !== undefined, maxExcluded: schema.exclusiveMaximum !== undefined })
    .map((n) => (Object.is(n, -0) ? 0 : n));
  return fc.oneof(fractional, integerFor(schema));
}

function stringFor(schema: JsonSchema): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = schema.maxLength ?? 10_000;
  const base = schema.format ? formatted(schema.format) : schema.pattern ? fc.stringMatching(new RegExp(schema.pattern, 'u')) : text(minLength, maxLength);
  return base.filter((s) => {
    // A string has between half its UTF-16 length and that length in code points: count them only when it matters.
    if (s.length <= maxLength && s.length >= 2 * minLength) return true;
    const length = [...s].length;
    return length >= minLength && length <= maxLength;
  });
}

function text(minLength: number, maxLength: number): fc.Arbitrary<string> {
  const short = { minLength, maxLength: Math.max(minLength, Math.min(maxLength, 40)) };
  return fc.oneof(
    { arbitrary: fc.string({ ...short, unit: 'grapheme-ascii' }), weight: 3 },
    { arbitrary: fc.string({ ...short, unit: 'grapheme' }), weight: 2 },
    // Any code point, control characters and NUL included: JSON carries them, so the validator lets them in.
    { arbitrary: fc.string({ ...short, unit: 'binary' }), weight: 2 },
    { arbitrary: fc.constantFrom('x', 'é', '😀', '\u0000', '\u202e').map((c) => c.repeat(Math.max(minLength, maxLength))), weight: 1 },
    // Free text may be an opaque token (a page cursor): some that decode, almost right.
    { arbitrary: forgedToken, weight: 1 },
  );
}

function formatted(format: string): fc.Arbitrary<string> {
  switch (format) {
    case 'uuid':
      return fc.oneof({ arbitrary: fc.uuid(), weight: 4 }, { arbitrary: fc.uuid().map((u) => u.toUpperCase()), weight: 1 });
    case 'date':
      return calendarDate;
    case 'date-time':
      return dateTime;
    case 'email':
      return fc.emailAddress();
    case 'uri':
      // Only loopback hosts on the discard port: a webhook subscribed with such a URL fails at once, offline.
      return fc
        .tuple(fc.constantFrom('http://127.0.0.1:9', 'https://127.0.0.1:9', 'http://[::1]:9', 'http://localhost:9'), fc.webPath(), fc.webQueryParameters())
        .map(([origin, path, query]) => `${origin}${path.startsWith('/') ? path : `/${path}`}${query ? `?${query}` : ''}`);
    case 'binary':
      // A file's bytes (sent as the body as they are): any, including none and what is not UTF-8 text.
      return fc.oneof(fc.string({ unit: 'binary', maxLength: 2_000 }), fc.constantFrom('', '%PDF-1.7\n%%EOF\n', '{"a":1}'));
    default:
      throw new Error(`No arbitrary for the string format '${format}': add one to arbitraries-from-schema.ts`);
  }
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const daysIn = (y: number, m: number) => (m === 2 ? (isLeap(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31);

/**
 * Any day of years 0000–9999 that RFC 3339 (and so the `date` format) admits, mostly this century; and often the
 * edges: the dialogue's first and last days and those just outside, the years 1, 18, 99 (which JavaScript's parsing
 * reads as 1999), 9999.
 */
const calendarDate = fc
  .tuple(
    fc.oneof(
      { arbitrary: fc.integer({ min: 2000, max: 2100 }), weight: 4 },
      { arbitrary: fc.integer({ min: 0, max: 9999 }), weight: 1 },
      { arbitrary: fc.constantFrom(1, 18, 99, 2005, 2006, 2100, 2101, 9999), weight: 1 },
    ),
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 1, max: 31 }),
  )
  .map(([y, m, d]) => `${pad(y, 4)}-${pad(m)}-${pad(Math.min(d, daysIn(y, m)))}`);

/** Every form the `date-time` format admits: `T`, `t` or a space; fractions; `Z`, `z`, ±hh:mm, ±hhmm, ±hh; leap seconds. */
const dateTime = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(
        calendarDate,
        fc.constantFrom('T', 'T', 'T', 't', ' '),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        fc.integer({ min: 0, max: 59 }),
        fc.option(fc.stringMatching(/^\.[0-9]{1,9}$/), { nil: '' }),
        fc.oneof(
          { arbitrary: fc.constantFrom('Z', 'z'), weight: 3 },
          {
            arbitrary: fc
              .tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.constantFrom(':', '', 'hours'))
              .map(([sign, h, m, form]) => (form === 'hours' ? `${sign}${pad(h)}` : `${sign}${pad(h)}${form}${pad(m)}`)),
            weight: 1,
          },
        ),
      )
      .map(([date, separator, h, m, s, fraction, zone]) => `${date}${separator}${pad(h)}:${pad(m)}:${pad(s)}${fraction}${zone}`),
  },
  { weight: 1, arbitrary: calendarDate.map((date) => `${date}T23:59:60Z`) },
  // Years past 9999 and before 1 (JavaScript's expanded form), and offsets that carry an edge day across the bound.
  {
    weight: 1,
    arbitrary: fc.constantFrom('+275760-09-13T00:00:00Z', '-000001-01-01T00:00:00Z', '2006-01-01T00:30:00+01:00', '2100-12-31T23:30:00-01:00', '0099-12-26T17:34:20Z'),
  },
);

function arrayFor(schema: JsonSchema, options: SchemaArbitraryOptions): fc.Arbitrary<unknown[]> {
  const item = schema.items ? arbitraryFor(schema.items, options) : fc.jsonValue({ maxDepth: 1 });
  const constraints = { minLength: schema.minItems ?? 0, maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 4, 4)) };
  return schema.uniqueItems ? fc.uniqueArray(item, { ...constraints, selector: (v) => JSON.stringify(v) }) : fc.array(item, constraints);
}

function objectFor(schema: JsonSchema, options: SchemaArbitraryOptions): fc.Arbitrary<Record<string, unknown>> {
  const model = Object.fromEntries(Object.entries(schema.properties ?? {}).map(([key, value]) => [key, arbitraryFor(value, options)]));
  const declared = fc.record(model, { requiredKeys: (schema.required ?? []).filter((key) => key in model) });
  const extra = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
  if (!extra) return declared as fc.Arbitrary<Record<string, unknown>>;
  return fc
    .tuple(fc.dictionary(fc.string({ minLength: 1, maxLength: 20 }), arbitraryFor(extra, options), { maxKeys: 4 }), declared)
    .map(([more, known]) => ({ ...more, ...known }));
}
