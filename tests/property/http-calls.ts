import fc from 'fast-check';
import { arbitraryFor } from './arbitraries-from-schema';
import { hostileString, hugeString, mutated } from './hostile-values';
import { fillPath, type Operation, type Parameter } from './openapi-document';

/**
 * Whole HTTP calls for one operation: a call as the schemas describe it (a real token of some role, real IDs in
 * the path most of the time), then, most of the time, one or two things broken in it — the token, a path
 * parameter, the query string, a header or the body. One break at a time lets the others reach the code
 * behind validation; a call left whole reaches the workflow.
 */

export interface Call {
  method: Operation['method'];
  url: string;
  headers: Record<string, string>;
  payload?: string;
  /** Who the Authorization header speaks for, for the report. */
  caller: string;
}

export interface KnownValue {
  value: string;
  /** The collection it is an ID in (`requests`, `meetings`…), matched against the path segment before a parameter. */
  collection?: string;
}

export interface CallContext {
  /** A real token per caller name (roles of the cast). */
  tokens: Record<string, string>;
  /** Tokens that must be refused: revoked, expired, forged with a real token's ID. */
  refusedTokens: string[];
  /** Values of the running system (request, activity, meeting and user IDs; countries) to use as inputs. */
  knownValues: KnownValue[];
}

interface Draft {
  caller: string;
  authorization?: string;
  path: Record<string, string>;
  query: Array<[string, string]>;
  rawQuery: string;
  headers: Array<[string, string]>;
  body: Body;
}

interface Body {
  contentType?: string;
  payload?: string;
}

type Breakage = (draft: Draft) => Draft;

export function callsFor(operation: Operation, context: CallContext): fc.Arbitrary<Call> {
  const parameters = (place: Parameter['in']) => operation.parameters.filter((p) => p.in === place);
  const dictionary = context.knownValues.map((known) => known.value);
  const valueFor = (parameter: Parameter, dictionaryShare: number) => arbitraryFor(parameter.schema, { dictionary, dictionaryShare }).map(String);
  const pathParameters = parameters('path');
  const queryParameters = parameters('query');
  const headerParameters = parameters('header');
  const takesBody = operation.method !== 'GET';

  const optional = (p: Parameter, value: fc.Arbitrary<string>) => (p.required ? value : fc.option(value, { nil: undefined, freq: 2 }));
  const present = (pairs: Array<readonly [string, string | undefined]>) => pairs.filter((pair): pair is [string, string] => pair[1] !== undefined);
  const whole: fc.Arbitrary<Draft> = fc
    .record({
      person: validCaller(context),
      path: fc.record(Object.fromEntries(pathParameters.map((p) => [p.name, pathValue(operation, p, context)]))),
      query: fc.tuple(...queryParameters.map((p) => optional(p, valueFor(p, 0.2)).map((v) => [p.name, v] as const))).map(present),
      headers: fc.tuple(...headerParameters.map((p) => optional(p, valueFor(p, 0)).map((v) => [p.name, v] as const))).map(present),
      body: takesBody && operation.body ? wholeBody(operation.body, dictionary) : fc.constant<Body>({}),
    })
    .map(({ person, ...rest }) => ({ ...rest, ...person, rawQuery: '' }));

  const breakages: Array<fc.WeightedArbitrary<Breakage>> = [
    { weight: 1, arbitrary: badAuthorization(context).map((bad) => (draft: Draft) => ({ ...draft, ...bad })) },
    { weight: 1, arbitrary: badQuery(queryParameters, valueFor) },
    { weight: 1, arbitrary: badHeaders(headerParameters).map((headers) => (draft: Draft) => ({ ...draft, headers: [...draft.headers.filter(([name]) => !headers.some(([n]) => n === name)), ...headers] })) },
  ];
  if (pathParameters.length > 0) {
    breakages.push({
      weight: 2,
      arbitrary: fc.tuple(fc.constantFrom(...pathParameters), badPathValue).map(([p, value]) => (draft: Draft) => ({ ...draft, path: { ...draft.path, [p.name]: value } })),
    });
  }
  if (takesBody) breakages.push({ weight: 3, arbitrary: badBody(operation, dictionary).map((body) => (draft: Draft) => ({ ...draft, body })) });

  const breakage = fc.oneof(...breakages);
  const howBroken: fc.Arbitrary<Breakage[]> = fc.oneof(
    { weight: 3, arbitrary: fc.constant<Breakage[]>([]) },
    { weight: 5, arbitrary: breakage.map((one) => [one]) },
    { weight: 1, arbitrary: fc.tuple(breakage, breakage) },
  );
  return fc.tuple(whole, howBroken).map(([draft, breaks]) => toCall(operation, breaks.reduce((d, change) => change(d), draft)));
}

function toCall(operation: Operation, draft: Draft): Call {
  const headers: Record<string, string> = Object.fromEntries(draft.headers);
  if (draft.authorization !== undefined) headers.authorization = draft.authorization;
  if (draft.body.contentType !== undefined) headers['content-type'] = draft.body.contentType;
  const query = [new URLSearchParams(draft.query).toString(), draft.rawQuery].filter(Boolean).join('&');
  const url = fillPath(operation.path, draft.path) + (query ? `?${query}` : '');
  return withShortPrint({ method: operation.method, url, headers, ...(draft.body.payload === undefined ? {} : { payload: draft.body.payload }), caller: draft.caller });
}

/** A JSON body as the schema describes it; or, for a route that takes files, bytes of one of its media types. */
function wholeBody(body: NonNullable<Operation['body']>, dictionary: string[]): fc.Arbitrary<Body> {
  const value = arbitraryFor(body.schema, { dictionary, dictionaryShare: 0.3 });
  if (body.mediaTypes.includes('application/json')) return value.map(asJson);
  return fc.tuple(fc.constantFrom(...body.mediaTypes), value).map(([contentType, payload]) => ({ contentType, payload: String(payload) }));
}

const asJson = (value: unknown): Body => (value === undefined ? {} : { contentType: 'application/json', payload: JSON.stringify(value) });

// ---- who calls ------------------------------------------------------------------------------------------

function validCaller(context: CallContext): fc.Arbitrary<{ caller: string; authorization: string }> {
  const people = fc.constantFrom(...Object.entries(context.tokens));
  return fc.oneof(
    { weight: 10, arbitrary: people.map(([caller, token]) => ({ caller, authorization: `Bearer ${token}` })) },
    // The scheme is case-insensitive and the separator any whitespace: these callers are authenticated.
    { weight: 1, arbitrary: people.map(([caller, token]) => ({ caller, authorization: `bearer \t${token}` })) },
  );
}

function badAuthorization(context: CallContext): fc.Arbitrary<{ caller: string; authorization?: string }> {
  const someToken = fc.constantFrom(...Object.values(context.tokens));
  const header = fc.oneof(
    fc.constantFrom('Bearer', 'Bearer ', 'Basic dXNlcjpwYXNzd29yZA==', 'Token abc', 'Bearer null', 'Bearer rbt_', `Bearer ${'a'.repeat(10_000)}`),
    headerText.map((text) => `Bearer ${text}`),
    fc.constantFrom(...context.refusedTokens).map((token) => `Bearer ${token}`),
    someToken.map((token) => token),
    someToken.map((token) => `Bearer ${token}x`),
    someToken.map((token) => `Bearer ${token.slice(0, -1)}`),
    someToken.map((token) => `Bearer ${token}, Bearer ${token}`),
  );
  return fc.oneof(fc.constant({ caller: 'nobody', authorization: undefined }), header.map((authorization) => ({ caller: 'a bad token', authorization })));
}

// ---- path -----------------------------------------------------------------------------------------------

/** Mostly a real ID of the collection the path names (`/meetings/{id}` → a meeting), else what the schema admits. */
function pathValue(operation: Operation, parameter: Parameter, context: CallContext): fc.Arbitrary<string> {
  const segments = operation.path.split('/');
  const collection = segments[segments.indexOf(`{${parameter.name}}`) - 1];
  const ofCollection = context.knownValues.filter((known) => known.collection === collection).map((known) => known.value);
  const admitted = arbitraryFor(parameter.schema, { dictionary: context.knownValues.map((known) => known.value), dictionaryShare: 0.3 }).map(String);
  const value = ofCollection.length > 0 ? fc.oneof({ weight: 7, arbitrary: fc.constantFrom(...ofCollection) }, { weight: 3, arbitrary: admitted }) : admitted;
  return value.map(percentEncode);
}

/** Percent-encoded junk as a client would send it, and raw sequences no client should send. */
const badPathValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: hostileString.map(percentEncode) },
  { weight: 2, arbitrary: fc.constantFrom('%', '%zz', '%E0%A4%A', '%00', '..', '.', '%2e%2e', '%2F', '%C0%AF', '%FF', '%F0%9F%98') },
  { weight: 1, arbitrary: fc.constantFrom(37, 101, 1_000, 8_000).map((n) => 'f'.repeat(n)) },
  { weight: 1, arbitrary: fc.uuid().map((uuid) => `urn%3Auuid%3A${uuid}`) },
);

/** UTF-8 percent-encoding that, unlike encodeURIComponent, does not throw on lone surrogates (they become U+FFFD). */
export function percentEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((byte) => (/[A-Za-z0-9\-_.~]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');
}

// ---- query ----------------------------------------------------------------------------------------------

function badQuery(parameters: Parameter[], valueFor: (p: Parameter, share: number) => fc.Arbitrary<string>): fc.Arbitrary<Breakage> {
  const set = (name: string, ...values: string[]): Breakage => (draft) => ({ ...draft, query: [...draft.query.filter(([n]) => n !== name), ...values.map((v) => [name, v] as [string, string])] });
  const changes: Array<fc.Arbitrary<Breakage>> = [
    fc
      .tuple(fc.oneof(fc.constantFrom('__proto__', 'constructor', 'a[b]', ''), fc.string({ maxLength: 8 })), hostileString)
      .map(([name, value]) => (draft: Draft) => ({ ...draft, query: [...draft.query, [name, value]] })),
    fc
      .constantFrom('&', '&&=', '%', '%zz=1', '=x', ';', 'x=%FF%FE', `x=${'y'.repeat(5_000)}`, '?')
      .map((rawQuery) => (draft: Draft) => ({ ...draft, rawQuery })),
  ];
  if (parameters.length > 0) {
    const parameter = fc.constantFrom(...parameters);
    changes.push(
      fc.tuple(parameter, hostileString).map(([p, value]) => set(p.name, value)),
      parameter.chain((p) => fc.tuple(valueFor(p, 0.2), valueFor(p, 0.2)).map(([a, b]) => set(p.name, a, b))),
      fc.tuple(parameter, fc.constantFrom('%zz', '%FF', '%00', '')).map(([p, raw]) => (draft: Draft) => ({ ...set(p.name)(draft), rawQuery: `${p.name}=${raw}` })),
    );
  }
  const required = parameters.filter((p) => p.required);
  if (required.length > 0) changes.push(fc.constantFrom(...required).map((p) => set(p.name)));
  return fc.oneof(...changes);
}

// ---- headers --------------------------------------------------------------------------------------------

/** What an HTTP header can carry: visible ASCII, spaces and tabs, and Latin-1 bytes. */
const headerText = fc.string({
  unit: fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0xa0, max: 0xff }), fc.constant(0x09)).map((code) => String.fromCharCode(code)),
  maxLength: 60,
});

function badHeaders(declared: Parameter[]): fc.Arbitrary<Array<[string, string]>> {
  const oddValue = fc.oneof(headerText, fc.constantFrom('', ' ', '0', '-1', '1e3', '9'.repeat(30), 'x'.repeat(8_000)));
  const odd: Array<fc.Arbitrary<[string, string]>> = [
    fc.tuple(fc.constant('x-request-id'), fc.oneof(headerText, fc.constantFrom('abc-123', 'x'.repeat(101)))),
    fc.tuple(fc.constant('accept'), fc.constantFrom('*/*', 'text/html', 'application/xml', 'text/event-stream', 'text/csv', 'nonsense', '')),
    fc.tuple(fc.constant('accept-version'), fc.constantFrom('1.0.0', '*', 'x')),
    fc.tuple(fc.constant('origin'), fc.constantFrom('https://evil.example', 'null')),
    fc.tuple(fc.constant('x-forwarded-for'), fc.constantFrom('203.0.113.9', 'garbage, ::1')),
    fc.tuple(fc.constant('accept-encoding'), fc.constantFrom('gzip, deflate, br', 'identity;q=0', '*')),
    // A body said to be compressed is refused (415) where a body is read; elsewhere the header changes nothing.
    fc.tuple(fc.constant('content-encoding'), fc.constantFrom('gzip', 'br', 'identity', 'GZIP ', 'x-unknown')),
    fc.tuple(fc.constantFrom('idempotency-key', 'last-event-id'), oddValue),
  ];
  for (const parameter of declared) odd.push(fc.tuple(fc.constant(parameter.name), oddValue));
  return fc.array(fc.oneof(...odd), { minLength: 1, maxLength: 2 });
}

// ---- body -----------------------------------------------------------------------------------------------

function badBody(operation: Operation, dictionary: string[]): fc.Arbitrary<Body> {
  const valid = operation.body ? arbitraryFor(operation.body.schema, { dictionary, dictionaryShare: 0.3 }) : fc.jsonValue({ maxDepth: 2 });
  const invalidJson = fc.oneof(
    fc.constantFrom('', '{', '[1,]', "{'a':1}", 'NaN', '{"a":Infinity}', '\ufeff{}', '{"a":1}garbage', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}'),
    valid.map((value) => (JSON.stringify(value) ?? '').slice(0, -1)),
    fc.integer({ min: 1_000, max: 100_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
  );
  const oddContentType = fc.constantFrom(
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/xml',
    'application/json; charset=utf-16',
    'application/json;charset=latin1',
    'APPLICATION/JSON',
    'application/merge-patch+json',
    'application/octet-stream',
    '',
  );
  return fc.oneof(
    { weight: 6, arbitrary: mutated(valid).map(asJson) },
    { weight: 1, arbitrary: fc.constant({}) },
    { weight: 2, arbitrary: invalidJson.map((payload) => ({ contentType: 'application/json', payload })) },
    { weight: 1, arbitrary: fc.tuple(oddContentType, valid).map(([contentType, value]) => ({ contentType, payload: JSON.stringify(value ?? {}) })) },
    { weight: 1, arbitrary: fc.tuple(valid, hugeString).map(([value, huge]) => asJson({ ...(typeof value === 'object' ? value : {}), huge })) },
  );
}

/** Reports print calls with long strings cut short (a 600 KiB body would drown the failure message). */
function withShortPrint(call: Call): Call {
  const cut = (text: string) => (text.length > 300 ? `${text.slice(0, 200)}… (${text.length} chars)` : text);
  return Object.assign(call, {
    [fc.toStringMethod]: () =>
      JSON.stringify({
        ...call,
        url: cut(call.url),
        headers: Object.fromEntries(Object.entries(call.headers).map(([k, v]) => [k, cut(v)])),
        payload: call.payload === undefined ? undefined : cut(call.payload),
      }),
  });
}
