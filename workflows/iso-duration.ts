/**
 * ISO-8601 durations (`P14D`, `PT36H`, `PT5S`) to milliseconds. Policies are written in ISO-8601 because
 * that is what administrators of deadlines read; Temporal timers take milliseconds. Years and months are
 * refused: their length depends on the calendar, and a deadline must mean the same thing on every replay.
 */
const ISO_DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

export function parseIsoDuration(text: string): number {
  const match = ISO_DURATION.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) {
    throw new Error(`'${text}' is not an ISO-8601 duration of weeks, days, hours, minutes or seconds (e.g. P14D, PT48H, PT30S)`);
  }
  const [, weeks, days, hours, minutes, seconds] = match;
  const ms =
    Number(weeks ?? 0) * 7 * 86_400_000 +
    Number(days ?? 0) * 86_400_000 +
    Number(hours ?? 0) * 3_600_000 +
    Number(minutes ?? 0) * 60_000 +
    Math.round(Number(seconds ?? 0) * 1000);
  if (ms <= 0) throw new Error(`'${text}' must be longer than zero`);
  return ms;
}
