import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import pg from 'pg';
import { AesGcmPayloadCodec } from '../codec/aes-gcm-payload-codec';
import { encryptingDataConverter } from '../codec/data-converter';
import { keyringFromFile } from '../codec/keyring';
import { requestWorkflowId, stateQuery } from '../workflows/request-contract';
import type { DomainEvent, RequestState } from '../workflows/request-model';

/**
 * The invariant checker: for every request, what Temporal holds (the workflow's live state, by the `state`
 * query, decrypted with the run's keys) against what Postgres holds (the `requests` read model and the
 * `request_events` audit trail).
 *
 * - reached its final phase, and its workflow completed;
 * - the audit trail has seq 1..version, each once, where version is the workflow's event count: an event the
 *   workflow produced and the trail lacks is lost; the same seq twice, or a step's event more often than the
 *   lifecycle produces it (a retry applied twice), is duplicated;
 * - the trail's event types are the lifecycle's, in order;
 * - the read model row (state, version, phase) equals the workflow's state, and so does the audit trail's record of
 *   times, decisions, reports and activities (auditTrailDifferences);
 * - Postgres and Temporal know exactly the requests that were driven (no second request from a retried submission).
 */

export interface CheckInput {
  databaseUrl: string;
  temporalAddress: string;
  keyFile: string;
  /** The task queue of the run's workflows: others on the same server are none of its business. */
  taskQueue: string;
  /** The requests the users submitted (IDs known to them). */
  requestIds: string[];
  /** The event types a whole lifecycle records, in order. */
  expectedEvents: readonly string[];
  finalPhase: string;
  /** How long to wait for workflows in a final phase to complete (and for the e-mail outbox to empty). */
  settleMs?: number;
  /** The Message-IDs the run's mail server received, when e-mail is on: each queued e-mail must be among them. */
  receivedMessageIds?: () => string[];
  log?(message: string): void;
}

export interface RequestFindings {
  requestId: string;
  problems: string[];
}

export interface CheckResult {
  requests: { driven: number; inPostgres: number; inTemporal: number };
  completed: number;
  events: { expected: number; recorded: number };
  lost: number;
  duplicated: number;
  /** Requests whose read model differs from the workflow's state. */
  mismatched: number;
  /** Documents the workflows recorded (not removed), and how many of them have no bytes stored under their SHA-256. */
  documents: { recorded: number; withoutBytes: number };
  /**
   * E-mails queued for the driven requests, how many of them the mail server received, how many arrived twice (a
   * worker killed between sending one and recording it: allowed, same Message-ID), and how many never arrived.
   */
  emails: { queued: number; delivered: number; twice: number; undelivered: number };
  /** Requests not in their final phase or whose workflow did not complete. */
  notCompleted: number;
  /** Requests in Postgres or Temporal that no user submitted, or submitted ones missing from either. */
  unaccounted: number;
  findings: RequestFindings[];
  clean: boolean;
}

interface AuditRow {
  seq: number;
  type: string;
  copies: number;
}

/** An event of the audit trail, as the checker compares it with the workflow. */
interface TrailRow {
  seq: number;
  type: string;
  occurred_at: Date;
  payload: unknown;
}

interface ReadModelRow {
  phase: string;
  version: number;
  state: RequestState;
}

export async function checkInvariants(input: CheckInput): Promise<CheckResult> {
  const keyring = await keyringFromFile(input.keyFile);
  const connection = await Connection.connect({ address: input.temporalAddress });
  const client = new Client({ connection, namespace: 'default', dataConverter: encryptingDataConverter(keyring) });
  const pool = new pg.Pool({ connectionString: input.databaseUrl, max: 4 });
  pool.on('error', () => undefined);
  // Reads the histories' payloads, encrypted as the worker wrote them.
  const codec = new AesGcmPayloadCodec(keyring);
  try {
    await settle(client, input);
    const findings: RequestFindings[] = [];
    const result: CheckResult = {
      requests: { driven: input.requestIds.length, inPostgres: 0, inTemporal: 0 },
      completed: 0,
      events: { expected: input.requestIds.length * input.expectedEvents.length, recorded: 0 },
      lost: 0,
      duplicated: 0,
      mismatched: 0,
      documents: { recorded: 0, withoutBytes: 0 },
      emails: { queued: 0, delivered: 0, twice: 0, undelivered: 0 },
      notCompleted: 0,
      unaccounted: 0,
      findings,
      clean: false,
    };

    const inPostgres = new Set((await pool.query<{ id: string }>('select id from requests')).rows.map((row) => row.id));
    const inTemporal = new Set<string>();
    if (!/^[\w.:-]+$/.test(input.taskQueue)) throw new Error(`task queue '${input.taskQueue}' cannot go into a visibility query as it is`);
    const query = `WorkflowType = 'requestLifecycle' AND TaskQueue = '${input.taskQueue}'`;
    for await (const execution of client.workflow.list({ query })) {
      inTemporal.add(execution.workflowId.replace(/^capacity-request-/, ''));
    }
    result.requests.inPostgres = inPostgres.size;
    result.requests.inTemporal = inTemporal.size;
    const driven = new Set(input.requestIds);
    for (const id of new Set([...inPostgres, ...inTemporal])) {
      if (!driven.has(id)) {
        result.unaccounted += 1;
        findings.push({ requestId: id, problems: [`no user submitted it, yet it is in ${[inPostgres.has(id) && 'Postgres', inTemporal.has(id) && 'Temporal'].filter(Boolean).join(' and ')}`] });
      }
    }

    for (const requestId of input.requestIds) {
      const problems: string[] = [];
      if (!inPostgres.has(requestId) || !inTemporal.has(requestId)) {
        result.unaccounted += 1;
        problems.push(`missing from ${[!inPostgres.has(requestId) && 'Postgres', !inTemporal.has(requestId) && 'Temporal'].filter(Boolean).join(' and ')}`);
      }
      const handle = client.workflow.getHandle(requestWorkflowId(requestId));
      const [status, workflowState] = await Promise.all([
        retrying(() => handle.describe().then((d) => d.status.name)).catch((error: Error) => `unknown (${error.message})`),
        retrying(() => handle.query(stateQuery)).catch((error: Error) => {
          problems.push(`the workflow's state could not be queried: ${error.message}`);
          return null;
        }),
      ]);
      const audit = (
        await pool.query<AuditRow>(
          'select seq, min(type) as type, count(*)::int as copies from request_events where request_id = $1 group by seq order by seq',
          [requestId],
        )
      ).rows;
      const [row] = (await pool.query<ReadModelRow>('select phase, version, state from requests where id = $1', [requestId])).rows;
      result.events.recorded += audit.reduce((sum, event) => sum + event.copies, 0);

      // Completion.
      const completed = workflowState?.phase === input.finalPhase && status === 'COMPLETED';
      if (completed) result.completed += 1;
      else {
        result.notCompleted += 1;
        problems.push(`not completed: the workflow is ${status} in phase ${workflowState?.phase ?? '?'}`);
      }

      // The audit trail against the workflow's own count of events, and against the lifecycle.
      const version = workflowState?.version ?? 0;
      const seqs = new Set(audit.map((event) => event.seq));
      const missing = range(1, version).filter((seq) => !seqs.has(seq));
      if (missing.length > 0) {
        result.lost += missing.length;
        problems.push(`lost: the workflow has events ${missing.join(', ')} of ${version}, the audit trail does not`);
      }
      const beyond = audit.filter((event) => event.seq > version).map((event) => event.seq);
      if (workflowState && beyond.length > 0) problems.push(`the audit trail has events ${beyond.join(', ')} beyond the workflow's ${version}`);
      const copies = audit.filter((event) => event.copies > 1);
      for (const event of copies) {
        result.duplicated += event.copies - 1;
        problems.push(`duplicated: seq ${event.seq} (${event.type}) is in the audit trail ${event.copies} times`);
      }
      const extra = surplus(audit.map((event) => event.type), input.expectedEvents);
      if (extra.length > 0) {
        result.duplicated += extra.length;
        problems.push(`duplicated: more events than the lifecycle produces: ${extra.join(', ')}`);
      }
      const trail = audit.map((event) => event.type);
      if (completed && trail.join(',') !== input.expectedEvents.join(',')) {
        problems.push(`the audit trail reads ${trail.join(' → ')}; the lifecycle is ${input.expectedEvents.join(' → ')}`);
      }

      // The read model against the workflow's state.
      if (workflowState) {
        const differences: string[] = [];
        if (!row) differences.push('no read model row');
        else {
          if (row.version !== workflowState.version) differences.push(`version ${row.version} ≠ ${workflowState.version}`);
          if (row.phase !== workflowState.phase) differences.push(`phase ${row.phase} ≠ ${workflowState.phase}`);
          const fields = differingFields(row.state, workflowState);
          if (fields.length > 0) differences.push(`state differs in ${fields.join(', ')}`);
        }
        const trail = (
          await pool.query<TrailRow>('select seq, type, occurred_at, payload from request_events where request_id = $1 order by seq', [requestId])
        ).rows;
        const trailDifferences = [
          ...(await auditTrailDifferences(pool, requestId, workflowState, trail)),
          ...(await historyDifferences(handle, codec, trail)),
        ];
        if (trailDifferences.length > 0) problems.push(`audit trail ≠ workflow state: ${trailDifferences.join('; ')}`);
        if (differences.length > 0) problems.push(`read model ≠ workflow state: ${differences.join('; ')}`);
        if (differences.length > 0 || trailDifferences.length > 0) result.mismatched += 1;
      }
      // Every document the workflow recorded has its bytes (the API stores them before it sends the step), unless it
      // was removed, or its bytes erased once its request had ended.
      for (const document of (workflowState?.documents ?? []).filter((d) => !d.removed)) {
        const erased = await pool.query('select 1 from document_erasures where document_id = $1', [document.documentId]);
        if (erased.rowCount) continue;
        result.documents.recorded += 1;
        const stored = await pool.query<{ size_bytes: number }>('select size_bytes from document_contents where sha256 = $1', [document.sha256]);
        if (stored.rows[0]?.size_bytes !== document.sizeBytes) {
          result.documents.withoutBytes += 1;
          problems.push(`document '${document.name}' is recorded, but its ${document.sizeBytes} bytes are not stored under ${document.sha256}`);
        }
      }
      if (problems.length > 0) findings.push({ requestId, problems });
    }

    if (input.receivedMessageIds) await checkEmails(pool, input, result);

    result.clean =
      findings.length === 0 &&
      result.emails.undelivered === 0 &&
      result.completed === input.requestIds.length &&
      result.requests.inPostgres === input.requestIds.length &&
      result.requests.inTemporal === input.requestIds.length;
    return result;
  } finally {
    await pool.end();
    await connection.close();
  }
}

/**
 * What the audit trail says happened against what the workflow says: when the request was submitted and last
 * changed, each decision (time, outcome), each report (time, kind) and each activity (ID, status). A write
 * whose step was taken again with other values (another time, another generated ID) shows here even after later
 * writes have brought the read model back in line.
 */
async function auditTrailDifferences(pool: pg.Pool, requestId: string, state: RequestState, events: TrailRow[]): Promise<string[]> {
  const iso = (value: Date | string) => new Date(value).toISOString();
  const rows = async <T extends pg.QueryResultRow>(text: string) => (await pool.query<T>(text, [requestId])).rows;
  const [decisions, reports, activities] = await Promise.all([
    rows<{ decided_at: Date; decision: string }>('select decided_at, decision from decisions where request_id = $1 order by seq'),
    rows<{ submitted_at: Date; kind: string }>('select submitted_at, kind from reports where request_id = $1 order by seq'),
    rows<{ id: string; status: string }>('select id, status from implementation_activities where request_id = $1 order by id'),
  ]);
  const differences: string[] = [];
  const compare = (what: string, trail: unknown, workflow: unknown) => {
    if (canonical(trail) !== canonical(workflow)) differences.push(`${what}: ${canonical(trail)} ≠ ${canonical(workflow)}`);
  };
  if (events.length > 0) {
    compare('submitted at', iso(events[0]!.occurred_at), state.submitted.at);
    if (events.at(-1)!.seq === state.version) compare('last event at', iso(events.at(-1)!.occurred_at), state.updatedAt);
  }
  compare('decisions', decisions.map((d) => [iso(d.decided_at), d.decision]), state.decisions.map((d) => [d.at, d.decision]));
  compare('reports', reports.map((r) => [iso(r.submitted_at), r.kind]), state.reports.map((r) => [r.at, r.kind]));
  compare(
    'activities',
    activities.map((a) => [a.id, a.status]),
    state.activities.map((a) => [a.activityId, a.status]).sort(([a], [b]) => (a! < b! ? -1 : a! > b! ? 1 : 0)),
  );
  return differences;
}

/**
 * Every event of the audit trail against the event the workflow's history asked recordEvent to write — the one
 * Temporal holds durably, before the write runs: the same seq, type, time and payload, and none missing. A write
 * made ahead of the history (a local activity, whose input the history never holds) fails this.
 */
async function historyDifferences(handle: ReturnType<Client['workflow']['getHandle']>, codec: AesGcmPayloadCodec, trail: TrailRow[]): Promise<string[]> {
  const history = await retrying(() => handle.fetchHistory());
  const scheduled = new Map<number, DomainEvent>();
  for (const entry of history.events ?? []) {
    const attributes = entry.activityTaskScheduledEventAttributes;
    if (attributes?.activityType?.name !== 'recordEvent') continue;
    const [payload] = await codec.decode(attributes.input?.payloads ?? []);
    const { event } = defaultPayloadConverter.fromPayload<{ event: DomainEvent }>(payload!);
    scheduled.set(event.seq, event);
  }
  const differences: string[] = [];
  const absent = trail.filter((row) => !scheduled.has(row.seq)).map((row) => row.seq);
  if (absent.length > 0) differences.push(`events ${absent.join(', ')} are not among the writes the workflow's history holds`);
  for (const row of trail) {
    const event = scheduled.get(row.seq);
    if (!event) continue;
    if (canonical([row.type, row.occurred_at.toISOString(), row.payload]) !== canonical([event.type, event.at, event.payload])) {
      differences.push(`event ${row.seq} (${row.type}) differs from the one the history holds`);
    }
  }
  return differences;
}

/** Waits (bounded) until every workflow whose state is final has completed: its last step may still be finishing. */
/** Once the outbox is empty (or the wait is over): every e-mail queued for a driven request reached the mail server. */
async function checkEmails(pool: pg.Pool, input: CheckInput, result: CheckResult): Promise<void> {
  const deadline = Date.now() + (input.settleMs ?? 60_000);
  const due = async () => (await retrying(() => pool.query<{ n: number }>(`select count(*)::int as n from notifications where status in ('pending', 'retrying')`))).rows[0]!.n;
  for (let left = await due(); left > 0 && Date.now() < deadline; left = await due()) {
    input.log?.(`waiting for ${left} e-mail(s) to go out …`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  const { rows } = await retrying(() =>
    pool.query<{ id: string; request_id: string; status: string; last_error: string | null }>('select id, request_id, status, last_error from notifications where request_id = any($1::uuid[])', [input.requestIds]),
  );
  const received = new Map<string, number>();
  for (const messageId of input.receivedMessageIds!()) {
    const id = /^<notification-([0-9a-f-]{36})@/.exec(messageId)?.[1];
    if (id) received.set(id, (received.get(id) ?? 0) + 1);
  }
  result.emails.queued = rows.length;
  for (const row of rows) {
    const copies = received.get(row.id) ?? 0;
    if (copies > 0) result.emails.delivered += 1;
    if (copies > 1) result.emails.twice += 1;
    if (copies === 0) {
      result.emails.undelivered += 1;
      result.findings.push({ requestId: row.request_id, problems: [`e-mail ${row.id} was queued but never reached the mail server (${row.status}${row.last_error ? `: ${row.last_error}` : ''})`] });
    }
  }
}

async function settle(client: Client, input: CheckInput): Promise<void> {
  const deadline = Date.now() + (input.settleMs ?? 60_000);
  let pending = [...input.requestIds];
  while (pending.length > 0 && Date.now() < deadline) {
    const still: string[] = [];
    for (const id of pending) {
      const handle = client.workflow.getHandle(requestWorkflowId(id));
      const status = await handle.describe().then((d) => d.status.name).catch(() => 'UNKNOWN');
      if (status !== 'RUNNING' && status !== 'UNKNOWN') continue;
      const phase = await handle.query(stateQuery).then((s) => s.phase).catch(() => null);
      if (phase === null || phase === input.finalPhase) still.push(id);
    }
    pending = still;
    if (pending.length > 0) {
      input.log?.(`waiting for ${pending.length} workflow(s) to complete …`);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

async function retrying<T>(read: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
}

const range = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

/** The events beyond what the lifecycle produces, type by type. */
function surplus(actual: string[], expected: readonly string[]): string[] {
  const left = new Map<string, number>();
  for (const type of expected) left.set(type, (left.get(type) ?? 0) + 1);
  const extra: string[] = [];
  for (const type of actual) {
    const remaining = left.get(type) ?? 0;
    if (remaining > 0) left.set(type, remaining - 1);
    else extra.push(type);
  }
  return extra;
}

/** Top-level fields whose values differ, key order aside (jsonb does not keep it). */
function differingFields(stored: RequestState, live: RequestState): string[] {
  const a = stored as unknown as Record<string, unknown>;
  const b = JSON.parse(JSON.stringify(live)) as Record<string, unknown>;
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((key) => canonical(a[key]) !== canonical(b[key])).sort();
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([x], [y]) => (x < y ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}
