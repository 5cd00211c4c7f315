import { sampleActivity, sampleSubmission } from '../../tests/support/cast';
import { now } from '../measure';

/**
 * One full request lifecycle over HTTP, as its people take it: submission, screening, the vote, the decision,
 * an activity planned, confirmed and held, implementation completed, the final report submitted and accepted,
 * closure. Every call must succeed; each call's latency is reported under its endpoint's name.
 */

export interface Cast {
  partner: string;
  secretariat: string;
  scMember: string;
  chair: string;
  monitor: string;
}

export type Record = (endpoint: string, milliseconds: number) => void;

export interface LifecycleOptions {
  baseUrl: string;
  cast: Cast;
  record: Record;
  /** Also read the request after each step and the list now and then, as people watching it would. */
  withReads: boolean;
  /** Told the request's version (its event count) after each step. */
  onVersion?: (version: number) => void;
}

async function send(options: LifecycleOptions, endpoint: string, method: string, path: string, token: string, body?: unknown) {
  const started = now();
  const response = await fetch(`${options.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  options.record(endpoint, now() - started);
  if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as { id?: string; activityId?: string; version: number; reports?: unknown[]; request?: { version: number } };
}

/** The submission every benchmark request makes: the tests' sample. */
export const SUBMISSION = sampleSubmission();

/** Runs one lifecycle; returns how many events the request's audit trail holds at its end. */
export async function runLifecycle(options: LifecycleOptions): Promise<number> {
  const { cast } = options;
  const step = async (endpoint: string, method: string, path: string, token: string, body?: unknown) => {
    const result = await send(options, endpoint, method, path, token, body);
    options.onVersion?.(result.request?.version ?? result.version);
    if (options.withReads) await send(options, 'GET /requests/:id', 'GET', path.split('/').slice(0, 3).join('/'), cast.monitor);
    return result;
  };
  const submitted = await send(options, 'POST /requests', 'POST', '/requests', cast.partner, SUBMISSION);
  options.onVersion?.(submitted.version);
  const id = submitted.id!;
  const base = `/requests/${id}`;
  if (options.withReads) await send(options, 'GET /requests', 'GET', '/requests?limit=20', cast.monitor);
  await step('POST /screening', 'POST', `${base}/screening`, cast.secretariat, { outcome: 'accept', note: 'Complete and eligible.' });
  await step('POST /votes', 'POST', `${base}/votes`, cast.scMember, { vote: 'no_objection' });
  await step('POST /decision', 'POST', `${base}/decision`, cast.chair, { decision: 'approve', rationale: 'Fits action area 4.' });
  const planned = await step('POST /activities', 'POST', `${base}/activities`, cast.secretariat, sampleActivity());
  const activity = `${base}/activities/${planned.activityId}`;
  await step('PATCH /activities/:id', 'PATCH', activity, cast.secretariat, { status: 'confirmed' });
  await step('PATCH /activities/:id', 'PATCH', activity, cast.secretariat, {
    status: 'held',
    participants: { total: 38, women: 14, men: 24, institutions: 3 },
    spentEur: 37250,
  });
  await step('POST /implementation/complete', 'POST', `${base}/implementation/complete`, cast.secretariat, {});
  if (options.withReads) await send(options, 'GET /requests', 'GET', '/requests?phase=monitoring&limit=20', cast.monitor);
  const reported = await step('POST /reports', 'POST', `${base}/reports`, cast.partner, { kind: 'final', summary: 'Done.' });
  await step('POST /reports/:i/acceptance', 'POST', `${base}/reports/${reported.reports!.length - 1}/acceptance`, cast.secretariat, {});
  const closed = await step('POST /closure', 'POST', `${base}/closure`, cast.secretariat, { lessonsLearned: 'Plan early.' });
  return closed.version;
}
