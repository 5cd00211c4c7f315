import { parseIsoDuration } from './iso-duration';
import type { Clock, ReportKind, RequestPolicy } from './request-model';
import { addWorkingTime, leadTimeBefore, onWorkingDay } from './working-time';

/** Deadline clocks (screening, the partner's answer): started, paused, resumed, extended. Pure. */

export function startClock(now: string, period: string | undefined, lead: string | undefined): Clock | null {
  if (!period) return null;
  const deadline = addWorkingTime(now, period);
  return { deadline, remindAt: lead ? leadTimeBefore(deadline, lead, now) : null, reminded: false, expired: false, pausedAt: null, extensions: [] };
}

export const startScreeningClock = (now: string, policy: RequestPolicy | undefined) =>
  startClock(now, policy?.screeningPeriod, policy?.screeningReminderLead);

export const startInformationClock = (now: string, policy: RequestPolicy | undefined) =>
  startClock(now, policy?.informationPeriod, policy?.informationReminderLead);

export function pauseClock(clock: Clock | null | undefined, now: string): Clock | null {
  return clock ? { ...clock, pausedAt: now } : null;
}

/**
 * Time spent paused does not count: the deadline (and a pending reminder) move later by that much. A deadline
 * on a working day does not move onto a weekend: it rolls on to Monday.
 */
export function resumeClock(clock: Clock | null | undefined, now: string): Clock | null {
  if (!clock?.pausedAt) return clock ?? null;
  const paused = Date.parse(now) - Date.parse(clock.pausedAt);
  const shift = (iso: string) => new Date(Date.parse(iso) + paused).toISOString();
  return {
    ...clock,
    pausedAt: null,
    // (A deadline that already fell on a weekend — a period of hours, not days — is simply shifted.)
    deadline: onWorkingDay(clock.deadline) === clock.deadline ? onWorkingDay(shift(clock.deadline)) : shift(clock.deadline),
    remindAt: clock.remindAt && !clock.reminded ? shift(clock.remindAt) : clock.remindAt,
  };
}

export function extendClock(clock: Clock, until: string, lead: string | undefined, extension: Clock['extensions'][number]): Clock {
  return {
    ...clock,
    deadline: until,
    remindAt: lead ? leadTimeBefore(until, lead, extension.at) : null,
    reminded: false,
    expired: false,
    extensions: [...clock.extensions, extension],
  };
}

/** When the next report is due: progress reports every interval, the final one within a period (calendar time). */
export function startReportingClock(now: string, kind: ReportKind, policy: RequestPolicy | undefined): (Clock & { kind: ReportKind }) | null {
  const period = kind === 'progress' ? policy?.progressReportInterval : policy?.finalReportWithin;
  if (!period) return null;
  const deadline = new Date(Date.parse(now) + parseIsoDuration(period)).toISOString();
  const lead = policy?.reportReminderLead;
  return { kind, deadline, remindAt: lead ? leadTimeBefore(deadline, lead, now) : null, reminded: false, expired: false, pausedAt: null, extensions: [] };
}
