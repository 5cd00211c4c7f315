import { isDeepStrictEqual } from 'node:util';
import pg from 'pg';
import type { ChaosSystem } from './processes';
import { submission } from './lifecycle';
import { callResiliently, type HttpCall, type RetryCounts } from './resilient-http';
import type { ChaosCast } from './users';

/**
 * The minutes of one Steering Committee meeting, `items` decisions in one call, while the API is killed (kill -9)
 * a third of the way through and the worker two thirds of the way. The call is retried as any client would. After:
 * every decision applied exactly once, the minutes complete, and the call sent again answered with the results.
 */

export interface MinutesCheck {
  items: number;
  /** Requests with the meeting's decision on record once; twice or more; not at all. */
  appliedOnce: number;
  appliedTwice: number;
  notApplied: number;
  /** The call's answer: a 200 result for every item. */
  answeredInFull: boolean;
  /** GET /meetings/:id holds every item's result. */
  minutesComplete: boolean;
  /** The same call, sent again afterwards, answered with the same results. */
  retryAnswered: boolean;
  /** How many decisions were on record when each process was killed (part-way: more than none, fewer than all). */
  killedAt: { api: number | null; worker: number | null };
  durationMs: number;
  passed: boolean;
}

interface ScenarioOptions {
  system: ChaosSystem;
  cast: ChaosCast;
  items: number;
  retries: RetryCounts;
  log: (message: string) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runMinutesScenario({ system, cast, items, retries, log }: ScenarioOptions): Promise<MinutesCheck> {
  const started = Date.now();
  const call = async (request: Omit<HttpCall, 'url'> & { path: string }) => {
    const answer = await callResiliently({ ...request, url: `${system.apiUrl}${request.path}` }, retries);
    if (answer.status >= 400) throw new Error(`${request.method} ${request.path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer;
  };
  const [someone] = cast.users;
  if (!someone) throw new Error('the minutes scenario needs at least one user');

  log(`minutes: ${items} requests to the Chair …`);
  const requestIds: string[] = [];
  for (let start = 0; start < items; start += cast.users.length) {
    const batch = cast.users.slice(0, Math.min(cast.users.length, items - start));
    requestIds.push(
      ...(await Promise.all(
        batch.map(async (user, i) => {
          const marker = `minutes-${start + i + 1}`;
          const submitted = await call({ method: 'POST', path: '/requests', token: user.tokens.partner, body: submission(marker, user.country), idempotencyKey: marker });
          const id = (submitted.body as { id: string }).id;
          await call({ method: 'POST', path: `/requests/${id}/screening`, token: user.tokens.secretariat, body: { outcome: 'accept', note: 'Complete and eligible.' }, idempotencyKey: `${marker}-screening` });
          await call({ method: 'POST', path: `/requests/${id}/votes`, token: user.tokens.sc_member, body: { vote: 'no_objection' }, idempotencyKey: `${marker}-vote` });
          return id;
        }),
      )),
    );
  }
  const meeting = (await call({ method: 'POST', path: '/meetings', token: someone.tokens.secretariat, body: { title: 'Chaos meeting', scheduledFor: '2027-06-15T09:00:00Z' } })).body as {
    meetingId: string;
    agenda: Array<{ requestId: string }>;
  };
  const onAgenda = new Set(meeting.agenda.map((item) => item.requestId));
  if (!requestIds.every((id) => onAgenda.has(id))) throw new Error('the meeting’s agenda lacks some of the requests');

  const pool = new pg.Pool({ connectionString: system.databaseUrl, max: 2 });
  pool.on('error', () => undefined);
  try {
    const decided = async (): Promise<number> => {
      const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM request_events WHERE type = 'approved' AND payload->>'meetingId' = $1`, [meeting.meetingId]);
      return rows[0]!.n;
    };
    const whenDecided = async (atLeast: number, done: () => boolean): Promise<number> => {
      for (;;) {
        const n = await decided();
        if (n >= atLeast || done()) return n;
        await sleep(50);
      }
    };
    const body = { decisions: requestIds.map((requestId) => ({ requestId, decision: 'approve', rationale: 'Agreed at the meeting.' })) };
    const minutesPath = `/meetings/${meeting.meetingId}/minutes`;
    const chair = someone.tokens.chair;

    log(`minutes: recording ${items} decisions; the API dies a third of the way, the worker two thirds …`);
    let finished = false;
    const recorded = call({ method: 'POST', path: minutesPath, token: chair, body }).finally(() => {
      finished = true;
    });
    const killedAt: MinutesCheck['killedAt'] = { api: null, worker: null };
    // Each watches the decisions on its own: the minutes go on while the API is down (they are the workflow's).
    const kill = async (name: 'api' | 'worker', atLeast: number) => {
      killedAt[name] = await whenDecided(atLeast, () => finished);
      log(`minutes: kill -9 the ${name === 'api' ? 'API' : 'worker'} at ${killedAt[name]}/${items} decisions`);
      await system[name].kill9();
      await sleep(1_000);
      await system[name].start();
    };
    const faults = Promise.all([kill('api', Math.ceil(items / 3)), kill('worker', Math.ceil((2 * items) / 3))]);
    const [answer] = await Promise.all([recorded, faults]);

    const results = (answer.body as { results: Array<{ requestId: string; status: number }> }).results;
    const answeredInFull = results.length === items && results.every((result) => result.status === 200);
    const { rows } = await pool.query<{ request_id: string; n: number }>(
      `SELECT e.request_id, count(*)::int AS n FROM request_events e WHERE e.type = 'approved' AND e.payload->>'meetingId' = $1 GROUP BY e.request_id`,
      [meeting.meetingId],
    );
    const times = new Map(rows.map((row) => [row.request_id, row.n]));
    const appliedOnce = requestIds.filter((id) => times.get(id) === 1).length;
    const appliedTwice = requestIds.filter((id) => (times.get(id) ?? 0) > 1).length;
    const stored = (await call({ method: 'GET', path: `/meetings/${meeting.meetingId}`, token: someone.tokens.sc_member })).body as { minutes: unknown[] | null };
    const again = await callResiliently({ method: 'POST', url: `${system.apiUrl}${minutesPath}`, token: chair, body }, retries);
    const retryAnswered = again.status === 200 && isDeepStrictEqual((again.body as { results: unknown }).results, results);
    const partWay = (n: number | null) => n !== null && n > 0 && n < items;
    const check = {
      items,
      appliedOnce,
      appliedTwice,
      notApplied: items - appliedOnce - appliedTwice,
      answeredInFull,
      minutesComplete: stored.minutes?.length === items,
      retryAnswered,
      killedAt,
      durationMs: Date.now() - started,
    };
    const passed = appliedOnce === items && answeredInFull && check.minutesComplete && retryAnswered && partWay(killedAt.api) && partWay(killedAt.worker);
    return { ...check, passed };
  } finally {
    await pool.end();
  }
}
