import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { useTestSystem } from '../support/use-test-system';
import { advanceTo, call, submit } from '../support/cast';
import { waitFor } from '../support/wait-for';

/** The reporting schedule on durable timers (seconds instead of weeks): reminders, then overdue, once each. */
const ctx = useTestSystem({ policy: { progressReportInterval: 'PT2S', finalReportWithin: 'PT2S', reportReminderLead: 'PT1S' } });

describe('reporting schedule', () => {
  it('reminds before each due date, marks the report overdue after it, and restarts when a report comes in', async () => {
    const { system, cast } = ctx;
    const id = await submit(system, cast);
    await advanceTo(system, cast, id, 'implementation');
    const read = async () => (await call(system, 'GET', `/requests/${id}`, cast.monitor)).body;
    const types = async () => (await call(system, 'GET', `/requests/${id}/events`, cast.monitor)).body.items.map((e: { type: string }) => e.type);

    const approved = await read();
    expect(approved.reportingClock).toMatchObject({ kind: 'progress', reminded: false, expired: false });
    const overdue = await waitFor(read, (r) => r.reportingClock?.expired === true);
    expect(overdue.reportingClock.reminded).toBe(true);
    const events = await call(system, 'GET', `/requests/${id}/events`, cast.monitor);
    const overdueEvent = events.body.items.find((e: { type: string }) => e.type === 'report_overdue');
    expect(overdueEvent.payload).toEqual({ kind: 'progress', dueAt: approved.reportingClock.deadline });
    expect(Date.parse(overdueEvent.occurredAt)).toBeGreaterThanOrEqual(Date.parse(approved.reportingClock.deadline));
    expect((await types()).filter((t: string) => t === 'report_reminder' || t === 'report_overdue')).toEqual(['report_reminder', 'report_overdue']);

    // A progress report restarts the schedule; completing implementation makes the final report due.
    const reported = await call(system, 'POST', `/requests/${id}/reports`, cast.partner, { kind: 'progress', summary: 'Half way.' });
    expect(reported.body.reportingClock).toMatchObject({ kind: 'progress', expired: false, reminded: false });
    expect(Date.parse(reported.body.reportingClock.deadline)).toBeGreaterThan(Date.parse(approved.reportingClock.deadline));
    const activity = await call(system, 'POST', `/requests/${id}/activities`, cast.secretariat, {
      type: 'training', title: 'Training', startDate: '2027-04-10', endDate: '2027-04-11', location: 'Dakar, SN', budgetEur: 1000,
    });
    await call(system, 'PATCH', `/requests/${id}/activities/${activity.body.activityId}`, cast.secretariat, { status: 'cancelled', reason: 'Merged into another.' });
    const completed = await call(system, 'POST', `/requests/${id}/implementation/complete`, cast.secretariat, {});
    expect(completed.body.reportingClock).toMatchObject({ kind: 'final', expired: false });
    const finalOverdue = await waitFor(read, (r) => r.reportingClock?.kind === 'final' && r.reportingClock.expired === true);
    expect(finalOverdue.phase).toBe('monitoring');
    const final = await call(system, 'POST', `/requests/${id}/reports`, cast.partner, { kind: 'final', summary: 'Done.' });
    expect(final.body.reportingClock).toBeNull();
    // Nothing is due once the final report is in: the final report was overdue exactly once.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const all = (await call(system, 'GET', `/requests/${id}/events`, cast.monitor)).body.items;
    const finalOverdues = all.filter((e: { type: string; payload: { kind?: string } }) => e.type === 'report_overdue' && e.payload.kind === 'final');
    expect(finalOverdues).toHaveLength(1);
    expect(all.at(-1).type).toBe('report_submitted');

    // Who must act now: the Secretariat, on the report. A row written by the rule before report reviews said "closes"
    // as soon as a report was in; migration 0017 empties such rows, and the list words them from the state again.
    const listed = async () =>
      (await call(system, 'GET', '/requests?phase=monitoring&limit=100', cast.monitor)).body.items.find((r: { id: string }) => r.id === id).waitingFor;
    const reviewing = { roles: ['secretariat'], what: 'The Secretariat accepts the final report or returns it for changes.', deadline: null };
    expect(await listed()).toEqual(reviewing);
    const stale = { roles: ['secretariat'], what: 'The Secretariat closes the request with lessons learned.', deadline: null };
    // Stored as rows are today, with its words in every language (else the list would word it from the state anyway).
    const storedStale = { ...stale, whatIn: { en: stale.what, fr: 'Le Secrétariat clôt la demande avec les enseignements tirés.' } };
    await system.database.pool.query('UPDATE requests SET waiting_for = $2 WHERE id = $1', [id, JSON.stringify(storedStale)]);
    expect(await listed()).toEqual(stale);
    await system.database.pool.query(await readFile(new URL('../../db/migrations/0017_waiting_for_in_monitoring.sql', import.meta.url), 'utf8'));
    expect(await listed()).toEqual(reviewing);
  });
});
