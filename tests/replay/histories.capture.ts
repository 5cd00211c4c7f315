import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../support/test-system';
import { advanceTo, call, createCast, submit, type Cast } from '../support/cast';

/** Scenarios whose histories every future version of the workflow must replay. Run with `npm run histories:capture`. */

const HISTORIES_DIR = fileURLToPath(new URL('./histories/', import.meta.url));

let system: TestSystem;
let cast: Cast;

beforeAll(async () => {
  system = await startTestSystem({ reviewPeriod: 'PT2S' });
  cast = await createCast(system);
  await mkdir(HISTORIES_DIR, { recursive: true });
});
afterAll(async () => system?.stop());

async function save(name: string, id: string): Promise<void> {
  const handle = system.client.workflow.getHandle(`capacity-request-${id}`);
  await handle.result();
  // The CLI writes the canonical JSON form of a history, the one the SDK's historyFromJSON reads back.
  const { stdout } = await promisify(execFile)(
    inject('temporalCliPath'),
    ['workflow', 'show', '--workflow-id', handle.workflowId, '--address', inject('temporalAddress'), '--output', 'json'],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  // Dated, so that a new capture adds histories next to the old ones instead of replacing them: the old ones
  // are what requests started under earlier code look like, and must keep replaying.
  const capturedAt = new Date().toISOString().slice(0, 16).replace(':', '');
  await writeFile(`${HISTORIES_DIR}${name}.${capturedAt}.json`, stdout);
}

describe('capture histories', () => {
  it('completed, through both loops', async () => {
    const id = await submit(system, cast);
    await call(system, 'POST', `/requests/${id}/screening`, cast.secretariat, { outcome: 'request_information', note: 'Which posts?' });
    await call(system, 'POST', `/requests/${id}/information`, cast.partner, { response: 'Dakar and Rosso.' });
    await advanceTo(system, cast, id, 'approval');
    await call(system, 'POST', `/requests/${id}/decision`, cast.chair, { decision: 'request_revision', rationale: 'Gender balance.' });
    await call(system, 'POST', `/requests/${id}/revision`, cast.partner, { expectedOutcomes: '40 officers, 15 women.' });
    await advanceTo(system, cast, id, 'completed');
    await save('completed-with-both-loops', id);
  });

  it('review closed by its deadline, then rejected', async () => {
    const id = await submit(system, cast);
    await call(system, 'POST', `/requests/${id}/screening`, cast.secretariat, { outcome: 'accept', note: 'ok' });
    let phase = 'review';
    for (let i = 0; i < 50 && phase === 'review'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      phase = (await call(system, 'GET', `/requests/${id}`, cast.chair)).body.phase;
    }
    expect(phase).toBe('approval');
    await call(system, 'POST', `/requests/${id}/decision`, cast.chair, { decision: 'reject', rationale: 'Out of scope.' });
    await save('review-deadline-then-rejected', id);
  });

  it('withdrawn during screening', async () => {
    const id = await submit(system, cast);
    await call(system, 'POST', `/requests/${id}/withdrawal`, cast.partner, { reason: 'Funded bilaterally.' });
    await save('withdrawn-in-screening', id);
  });

  it('cancelled during implementation', async () => {
    const id = await submit(system, cast);
    await advanceTo(system, cast, id, 'implementation');
    await call(system, 'POST', `/requests/${id}/cancellation`, cast.chair, { reason: 'Security situation.' });
    await save('cancelled-in-implementation', id);
  });
});
