import fc from 'fast-check';

/**
 * Bad input, independent of any schema: strings that trip naive code, values of every wrong type, and
 * mutations of a valid value at a random place in it (a field dropped, retyped, added).
 */

/**
 * Opaque tokens (page cursors and the like) as a client could forge them: base64url JSON of timestamps and IDs,
 * some only almost valid — a date JavaScript parses but Postgres does not, an "ID" of 36 dashes.
 */
export const forgedToken: fc.Arbitrary<string> = fc
  .oneof(
    {
      weight: 3,
      arbitrary: fc
        .tuple(
          fc.constantFrom('1', '2027', 'May 5', '2027-01-01T00:00:00Z', '2027-01-01T00:00:00.000Z', '+275760-09-13T00:00:00.000Z', '0000-01-01T00:00:00.000Z'),
          fc.oneof(fc.uuid(), fc.constantFrom('-'.repeat(36), '0'.repeat(36), 'f'.repeat(36))),
          fc.option(fc.constantFrom('newest', 'oldest', 'recently_updated', 'x'), { nil: undefined }),
        )
        .map((parts) => parts.filter((part) => part !== undefined)),
    },
    { weight: 1, arbitrary: fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 4 }) },
  )
  .map((parts) => Buffer.from(JSON.stringify(parts)).toString('base64url'));

/** NUL and other controls, lone surrogates, bidi overrides, combining marks, SQL and markup, odd whitespace. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\u0007\u0008\u001b[31m',
    '\ud800',
    '\udfff\ud800',
    '\u202eevil',
    'e\u0301\u0301\u0301',
    '\ufeff',
    '\u2028\u2029',
    '😀👩‍👩‍👧‍👦',
    "'; drop table requests; --",
    '<script>alert(1)</script>',
    '../../etc/passwd',
    '%00',
    '%zz',
    '${jndi:ldap://x}',
    'null',
    'NaN',
    'Infinity',
    '-0',
    '1e309',
    '0x10',
    'true',
    '[]',
    '{}',
    '__proto__',
    'constructor',
    '\t\n\r',
  ),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: 'binary-ascii', maxLength: 30 }),
  fc.constantFrom(201, 5_001, 20_001, 100_001).map((n) => 'x'.repeat(n)),
  forgedToken,
);

/** Longer than the 512 KiB body limit once in a body. */
export const hugeString = fc.constantFrom('x', 'é', '😀').map((c) => c.repeat(600_000));

const oddNumber = fc.constantFrom(-1, -0.5, 0.5, -1e308, 1e308, 2 ** 63, -(2 ** 63), Number.MAX_SAFE_INTEGER + 2, 5e-324, 1.5);

/** Objects nested deeper than any schema goes (and than naive recursive code survives). */
export const deepObject = fc.integer({ min: 20, max: 2_000 }).map((depth) => {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = i % 2 ? { a: value } : [value];
  return value;
});

export const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom(null, true, false, 0, [], {}, [null], { '': null }), weight: 3 },
  { arbitrary: oddNumber, weight: 2 },
  { arbitrary: hostileString, weight: 3 },
  { arbitrary: deepObject, weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 2 },
);

type Mutation = { kind: 'replace'; value: unknown } | { kind: 'drop' } | { kind: 'add'; key: string; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: wrongValue.map((value) => ({ kind: 'replace' as const, value })), weight: 4 },
  { arbitrary: fc.constant({ kind: 'drop' as const }), weight: 2 },
  {
    arbitrary: fc
      .tuple(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'prototype', 'id', 'version', 'phase')), wrongValue)
      .map(([key, value]) => ({ kind: 'add' as const, key, value })),
    weight: 2,
  },
);

/** A valid value with one thing wrong at a random place; `undefined` when the whole value was dropped. */
export function mutated(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.tuple(valid, fc.nat(), mutation).map(([value, pick, change]) => applyAt(structuredClone(value), pick, change));
}

function applyAt(root: unknown, pick: number, change: Mutation): unknown {
  const places = placesIn(root);
  const path = places[pick % places.length]!;
  if (path.length === 0) {
    if (change.kind === 'replace') return change.value;
    if (change.kind === 'drop') return undefined;
    return addTo(root, change.key, change.value);
  }
  const parent = path.slice(0, -1).reduce<any>((node, key) => node[key], root);
  const key = path.at(-1)!;
  if (change.kind === 'replace') parent[key] = change.value;
  else if (change.kind === 'drop' && Array.isArray(parent)) parent.splice(Number(key), 1);
  else if (change.kind === 'drop') delete parent[key];
  else parent[key] = addTo(parent[key], change.key, change.value);
  return root;
}

function addTo(target: unknown, key: string, value: unknown): unknown {
  if (Array.isArray(target)) return [...target, value];
  if (target !== null && typeof target === 'object') {
    // defineProperty, so that a key named __proto__ is a plain key in the JSON sent, as an attacker would send it.
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
    return target;
  }
  return value;
}

/** Where a mutation may land: the value itself and what it contains, down to a depth no schema of ours exceeds. */
function placesIn(value: unknown, path: Array<string | number> = []): Array<Array<string | number>> {
  const here = [path];
  if (path.length >= 6 || value === null || typeof value !== 'object') return here;
  const entries: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((item, i) => [i, item]) : Object.entries(value);
  return here.concat(entries.flatMap(([key, item]) => placesIn(item, [...path, key])));
}
