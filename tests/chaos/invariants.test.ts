import pg from 'pg';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { checkInvariants, type CheckInput } from '../../chaos/invariants';
import { EXPECTED_EVENTS, FINAL_PHASE, LIFECYCLE, type RequestContext, type RequestView } from '../../chaos/lifecycle';
import { advanceTo, submit } from '../support/cast';
import { TEST_KEY_FILE } from '../support/test-system';
import { useTestSystem } from '../support/use-test-system';

/**
 * The chaos run's checker must see what it is there to see: a clean record is clean, and an event removed, an
 * event recorded twice, a read model tampered with or a request left half-way are each counted as such.
 */
const ctx = useTestSystem();
let input: CheckInput;
let completed: string;
let halfWay: string;

/** Takes the chaos run's own steps, one after the other, without faults: the record the checker must find clean. */
async function driveLifecycle(requestId: string): Promise<void> {
  const { system, cast } = ctx;
  const tokens = { partner: cast.partner.token, secretariat: cast.secretariat.token, sc_member: cast.scMember.token, chair: cast.chair.token };
  const context: RequestContext = { requestId, marker: 'checker', scMemberId: cast.scMember.actor.userId };
  for (const step of LIFECYCLE) {
    const body = step.body(context);
    const response = await system.app.inject({
      method: step.method,
      url: step.path(context),
      headers: { authorization: `Bearer ${tokens[step.as]}`, 'content-type': step.contentType ?? 'application/json' },
      payload: Buffer.isBuffer(body) ? body : JSON.stringify(body),
    });
    if (response.statusCode >= 300) throw new Error(`${step.name}: ${response.statusCode} ${response.body}`);
    const answer = response.json() as RequestView | { request: RequestView };
    step.remember?.('request' in answer ? answer.request : answer, context);
  }
}

beforeAll(async () => {
  const { system, cast } = ctx;
  completed = await submit(system, cast);
  await driveLifecycle(completed);
  halfWay = await submit(system, cast);
  await advanceTo(system, cast, halfWay, 'implementation');
  input = {
    databaseUrl: system.databaseUrl,
    temporalAddress: inject('temporalAddress'),
    keyFile: TEST_KEY_FILE,
    taskQueue: system.taskQueue,
    requestIds: [completed],
    expectedEvents: EXPECTED_EVENTS,
    finalPhase: FINAL_PHASE,
    settleMs: 10_000,
  };
});

async function sql(text: string, values: unknown[]) {
  const client = new pg.Client({ connectionString: ctx.system.databaseUrl });
  await client.connect();
  try {
    await client.query(text, values);
  } finally {
    await client.end();
  }
}

describe('the invariant checker', () => {
  it('finds a completed request clean, and counts one left half-way as not completed (nothing lost)', async () => {
    const clean = await checkInvariants({ ...input, requestIds: [completed] });
    // The half-way request is on the same task queue without being in the list: it is unaccounted for.
    expect(clean).toMatchObject({ completed: 1, lost: 0, duplicated: 0, mismatched: 0, notCompleted: 0, unaccounted: 1, clean: false });
    expect(clean.events).toEqual({ expected: EXPECTED_EVENTS.length, recorded: EXPECTED_EVENTS.length });

    const both = await checkInvariants({ ...input, requestIds: [completed, halfWay] });
    expect(both).toMatchObject({ completed: 1, notCompleted: 1, lost: 0, duplicated: 0, mismatched: 0, unaccounted: 0, clean: false });
    expect(both.findings).toEqual([{ requestId: halfWay, problems: ['not completed: the workflow is RUNNING in phase implementation'] }]);
  });

  it('counts an event missing from the audit trail as lost, one recorded twice as duplicated, and a tampered read model as mismatched', async () => {
    await sql('delete from request_events where request_id = $1 and seq = 3', [completed]);
    await sql(
      `insert into request_events (request_id, seq, type, actor_id, actor_name, actor_role, phase_before, phase_after, occurred_at, payload)
       select request_id, 99, type, actor_id, actor_name, actor_role, phase_before, phase_after, occurred_at, payload
       from request_events where request_id = $1 and type = 'report_submitted'`,
      [completed],
    );
    await sql(`update requests set state = jsonb_set(state, '{submission,title}', '"tampered"') where id = $1`, [completed]);
    // A decision recorded at another moment than the workflow took it (a step taken twice, say).
    await sql(`update decisions set decided_at = decided_at + interval '1 second' where request_id = $1`, [completed]);

    const result = await checkInvariants({ ...input, requestIds: [completed, halfWay] });
    expect(result).toMatchObject({ lost: 1, duplicated: 1, mismatched: 1, clean: false });
    const problems = result.findings.find((finding) => finding.requestId === completed)!.problems.join('\n');
    expect(problems).toMatch(/lost: the workflow has events 3 of 13/);
    expect(problems).toMatch(/duplicated: more events than the lifecycle produces: report_submitted/);
    expect(problems).toMatch(/state differs in submission/);
    expect(problems).toMatch(/audit trail ≠ workflow state: decisions/);
    // The copied event was never asked for by the workflow: its history holds no such write.
    expect(problems).toMatch(/events 99 are not among the writes the workflow's history holds/);
  });

  it('counts a recorded document whose bytes are not stored', async () => {
    const before = await checkInvariants({ ...input, requestIds: [completed] });
    expect(before.documents).toEqual({ recorded: 1, withoutBytes: 0 });
    await sql('delete from document_contents', []);
    const after = await checkInvariants({ ...input, requestIds: [completed] });
    expect(after.documents).toEqual({ recorded: 1, withoutBytes: 1 });
    expect(after.findings.find((finding) => finding.requestId === completed)!.problems.join('\n')).toMatch(
      /document 'terms-of-reference-checker\.pdf' is recorded, but its \d+ bytes are not stored under [0-9a-f]{64}/,
    );
  });
});
