import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { beforeAll, expect, it } from 'vitest';
import { call } from '../support/cast';
import { useTestSystem } from '../support/use-test-system';
import { callsFor, type CallContext } from './http-calls';
import { fillPath, operationsOf, type OpenApiDocument, type Operation } from './openapi-document';
import { responseChecker } from './openapi-responses';
import { createRealTargets } from './real-targets';
import { recordedState, settledState, type RecordedState } from './recorded-state';
import { sendCall } from './send-call';

/**
 * Every operation the OpenAPI document publishes, called with inputs generated from its own schemas and with
 * broken ones (fields missing, retyped or added; hostile strings; invalid JSON; wrong content types; malformed
 * path parameters, query strings and headers; bad tokens), by every role, against real requests in several
 * phases. For every answer: no 5xx, the status, content type and body are as published, and a refused call
 * changed nothing. No fixed seed: each run explores new inputs; a failure prints fast-check's seed and path, and
 * the call that failed, shrunk (against a system whose state has moved on, so a replay is close, not exact).
 */

// The rate limit is tested on its own (tests/api/hardening.test.ts); here it would answer most calls with 429.
const ctx = useTestSystem({ hardening: { rateLimitMax: 1_000_000 }, webhookWorker: true });

/**
 * Runs per operation: more for operations with more inputs to combine (GET /requests has fourteen filters), about
 * 1,700 calls in all, within the time a file of the suite may take.
 */
const runsFor = (operation: Operation) =>
  Math.min(60, 20 + 3 * (operation.parameters.length + Object.keys(operation.body?.schema.properties ?? {}).length));
/** Bounds one operation's runs and the shrinking of a failure, so that a broken route cannot stall the suite. */
const TIME_PER_OPERATION_MS = 20_000;

let document: OpenApiDocument;
let operations: Operation[];
let context: CallContext;

beforeAll(async () => {
  document = (await call(ctx.system, 'GET', '/openapi.json')).body as OpenApiDocument;
  operations = operationsOf(document);
  const targets = await createRealTargets(ctx.system, ctx.cast);
  context = {
    tokens: Object.fromEntries(Object.entries(ctx.cast).map(([caller, person]) => [caller, person.token])),
    refusedTokens: targets.refusedTokens,
    knownValues: [
      ...Object.values(targets.requestIds).map((value) => ({ value, collection: 'requests' })),
      { value: targets.activityId, collection: 'activities' },
      { value: targets.documentId, collection: 'documents' },
      { value: targets.meetingId, collection: 'meetings' },
      ...targets.userIds.map((value) => ({ value, collection: 'users' })),
      { value: targets.webhookId, collection: 'webhooks' },
      { value: targets.deliveryId, collection: 'webhook-deliveries' },
      { value: 'cadiz-2023-2027', collection: 'action-plans' },
      { value: 'SN', collection: 'countries' },
      ...['SN', 'ML', 'ES', '3', '5a', targets.cursor].map((value) => ({ value })),
    ],
  };
});

it('the OpenAPI document publishes the routes of the API', () => {
  const published = operations.map((operation) => `${operation.method} ${operation.path}`);
  expect(published.length).toBeGreaterThan(40);
  expect(published).toEqual(expect.arrayContaining(['POST /requests', 'GET /requests/{id}', 'GET /events/stream', 'POST /meetings/{id}/minutes', 'DELETE /admin/tokens/{tokenId}']));
});

it('every operation, under generated and broken input: never a 5xx, answers as published, a refusal changes nothing', { timeout: 600_000 }, async () => {
  const { app, database } = ctx.system;
  const problemsWith = responseChecker(document);
  const casesRun = new Map<string, number>();
  const failures: string[] = [];

  for (const operation of operations) {
    const name = `${operation.method} ${operation.path}`;
    casesRun.set(name, 0);
    // An event stream never ends by itself: its answers are read for a moment, then the test hangs up.
    const streaming = operation.responses['200']?.content?.['text/event-stream'] !== undefined;
    let calls;
    try {
      calls = callsFor(operation, context);
    } catch (error) {
      failures.push(`${name}: no calls could be generated from its schemas: ${(error as Error).message}`);
      continue;
    }
    const property = fc.asyncProperty(calls, async (generated) => {
      casesRun.set(name, casesRun.get(name)! + 1);
      const before = await recordedState(database.pool);
      const answer = await sendCall(app, generated, { streaming });
      const problems = problemsWith(operation, answer);
      if (answer.endedEarly) problems.push(`the event stream answered 200, then closed at once: ${answer.body.slice(0, 200)}`);
      if (answer.status >= 400) {
        const after = await recordedState(database.pool);
        if (!isDeepStrictEqual(after, before)) problems.push(`refused with ${answer.status}, yet ${changes(before, after)} changed; body: ${answer.body.slice(0, 300)}`);
      } else if (generated.method !== 'GET') {
        await settledState(database.pool);
      }
      if (problems.length > 0) throw new Error(`${generated.caller} → ${answer.status}\n${problems.join('\n')}`);
    });
    const details = await fc.check(property, { numRuns: runsFor(operation), plugins: [fc.interruptAfterTimeLimit(TIME_PER_OPERATION_MS)] });
    if (details.failed) failures.push(`${name}\n${fc.defaultReportMessage(details)}\nGot: ${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`);
  }

  const withoutCases = [...casesRun].filter(([, count]) => count === 0).map(([name]) => name);
  expect(withoutCases, 'operations that got no generated call').toEqual([]);
  if (failures.length > 0) throw new Error(`${failures.length} operation(s) failed:\n\n${failures.join('\n\n')}`);
});

it('after all those writes, every read answers as published for every role: nothing stored breaks a read', { timeout: 300_000 }, async () => {
  const problemsWith = responseChecker(document);
  const failures: string[] = [];
  // The path parameter of a read, by the collection its path names (GET /meetings/{id} → a meeting's ID).
  const known = (path: string, name: string) => {
    const collection = path.split('/').at(path.split('/').findIndex((segment) => segment === `{${name}}`) - 1);
    return context.knownValues.find((v) => v.collection === collection)?.value ?? context.knownValues[0]!.value;
  };
  const reads = operations.filter((operation) => operation.method === 'GET' && operation.responses['200']?.content?.['text/event-stream'] === undefined);
  for (const operation of reads) {
    const values = Object.fromEntries(operation.parameters.filter((p) => p.in === 'path').map((p) => [p.name, known(operation.path, p.name)]));
    for (const [caller, token] of Object.entries(context.tokens)) {
      const answer = await sendCall(ctx.system.app, { method: 'GET', url: fillPath(operation.path, values), headers: { authorization: `Bearer ${token}` }, caller }, { streaming: false });
      const problems = problemsWith(operation, answer);
      if (answer.status >= 500) problems.push(`answered ${answer.status}: ${answer.body.slice(0, 300)}`);
      if (problems.length > 0) failures.push(`${caller} GET ${operation.path}: ${problems.join('; ')}`);
    }
  }
  expect(reads.length).toBeGreaterThan(20);
  expect(failures).toEqual([]);
});

function changes(before: RecordedState, after: RecordedState): string {
  return Object.keys(before)
    .filter((key) => before[key] !== after[key])
    .map((key) => `${key} (${before[key]} → ${after[key]})`)
    .join(', ');
}
