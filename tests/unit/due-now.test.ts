import { describe, expect, it } from 'vitest';
import { readModelFacts } from '../../activities/read-model-columns';
import { waitingFor } from '../../read-model/waiting-for';
import { fireDeadline, nextDeadline } from '../../workflows/deadlines';
import { dueNow } from '../../workflows/due-now';
import { PHASES, type RequestPolicy, type RequestState } from '../../workflows/request-model';
import { buildUnder, PATHS, POLICY } from './request-fixtures';

/**
 * One answer to "what is due now, and by when" (workflows/due-now.ts): the workflow's next timer, the read model's
 * `due_at` and the `waitingFor` people read agree, in every phase, before and after each reminder and expiry fires.
 */

const WITH_REPORTS: RequestPolicy = { ...POLICY, progressReportInterval: 'P90D', finalReportWithin: 'P30D', reportReminderLead: 'P7D' };

/** Every state on the way into `phase`, and from each the states its timers lead to (each reminder, then the expiry). */
function statesOnTheWay(phase: (typeof PHASES)[number]): RequestState[] {
  const found: RequestState[] = [];
  for (let state of buildUnder(WITH_REPORTS, ...PATHS[phase]).states) {
    found.push(state);
    for (let fired = 0; fired < 3; fired++) {
      const next = nextDeadline(state);
      if (!next) break;
      const transitions = fireDeadline(state, next.kind, next.at);
      state = transitions.at(-1)?.state ?? state;
      found.push(state);
    }
  }
  return found;
}

describe('what is due now', () => {
  it.each(PHASES)('agrees with the timers, the read model and waitingFor in %s', (phase) => {
    const states = statesOnTheWay(phase);
    expect(states.length).toBeGreaterThan(0);
    for (const state of states) {
      const due = dueNow(state);
      const label = `${state.phase} after ${state.version} events`;
      expect(readModelFacts(state).dueAt, label).toBe(due?.by ?? null);
      if (waitingFor(state)) expect(waitingFor(state)!.deadline, label).toBe(due?.by ?? null);
      const timer = nextDeadline(state);
      if (timer === null) {
        expect(due === null || due.expired, label).toBe(true);
      } else {
        expect(timer.at, label).toBe(timer.kind.endsWith('_reminder') ? due?.remindAt : due?.by);
      }
    }
  });

  it('during implementation the next report is what is due (waitingFor used to say nothing)', () => {
    const { state } = buildUnder(WITH_REPORTS, ...PATHS.implementation);
    expect(state.reportingClock).not.toBeNull();
    expect(waitingFor(state)).toMatchObject({ roles: ['secretariat'], deadline: state.reportingClock!.deadline });
  });

  it('an expired clock stays due (overdue) while its timer is spent; a paused one is not due', () => {
    const screening = statesOnTheWay('screening');
    const escalated = screening.find((state) => state.screeningClock?.expired);
    expect(escalated).toBeDefined();
    expect(dueNow(escalated!)).toMatchObject({ kind: 'screening', expired: true });
    expect(nextDeadline(escalated!)).toBeNull();
    const paused = statesOnTheWay('awaiting_information').find((state) => state.phase === 'awaiting_information')!;
    expect(paused.screeningClock?.pausedAt).toBeTruthy();
    expect(dueNow(paused)?.kind).toBe('information');
  });
});
