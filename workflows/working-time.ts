import { parseIsoDuration } from './iso-duration';

/**
 * Deadlines in working days, as secretariats count them: the days of an ISO-8601 duration skip Saturdays and
 * Sundays (UTC); its hours, minutes and seconds are elapsed time (which is how tests use seconds). Pure, so the
 * workflow computes the same deadline on every replay.
 */
const DAY_MS = 86_400_000;
const DAYS = /^P(?:(\d+)W)?(?:(\d+)D)?/;

function isWeekend(date: Date): boolean {
  const day = date.getUTCDay();
  return day === 0 || day === 6;
}

export function addWorkingTime(startIso: string, isoDuration: string): string {
  const totalMs = parseIsoDuration(isoDuration);
  const match = DAYS.exec(isoDuration);
  const days = Number(match?.[1] ?? 0) * 5 + Number(match?.[2] ?? 0);
  let moment = new Date(startIso);
  for (let added = 0; added < days; ) {
    moment = new Date(moment.getTime() + DAY_MS);
    if (!isWeekend(moment)) added += 1;
  }
  // A weekly duration counts five working days a week; the rest of the duration is elapsed time.
  const weeksAndDaysMs = (Number(match?.[1] ?? 0) * 7 + Number(match?.[2] ?? 0)) * DAY_MS;
  return new Date(moment.getTime() + (totalMs - weeksAndDaysMs)).toISOString();
}

/** The same moment, or the same time on the next working day when it falls on a weekend. */
export function onWorkingDay(iso: string): string {
  let moment = new Date(iso);
  while (isWeekend(moment)) moment = new Date(moment.getTime() + DAY_MS);
  return moment.toISOString();
}

/** `deadline` minus a lead time (elapsed), for reminders; never before `notBefore`. */
export function leadTimeBefore(deadlineIso: string, isoLead: string, notBeforeIso: string): string {
  const at = Date.parse(deadlineIso) - parseIsoDuration(isoLead);
  return new Date(Math.max(at, Date.parse(notBeforeIso))).toISOString();
}
