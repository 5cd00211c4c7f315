import { describe, expect, it } from 'vitest';
import { advanceTo, call, sampleActivity, submit, type Person } from '../support/cast';
import { useTestSystem } from '../support/use-test-system';

/**
 * Each person's calendar feed: what they must do by when, the activities they may see, the committee's meetings for
 * those who follow them; at an address that is its own credential, retired on request and with the person's access.
 */
// Screening has a deadline of ten working days, as in production.
const ctx = useTestSystem({ policy: { screeningPeriod: 'P10D' } });

/** The person's feed address, and the feed as a calendar program fetches it (no token). */
const feedUrl = async (who: Person) => (await call(ctx.system, 'GET', '/me/calendar', who)).body.url as string;
const fetchFeed = (url: string) => ctx.system.app.inject({ method: 'GET', url: new URL(url).pathname });
/** The feed's events, unfolded, as property maps (the first value of each name). */
async function eventsOf(who: Person): Promise<Array<Record<string, string>>> {
  const response = await fetchFeed(await feedUrl(who));
  expect(response.statusCode).toBe(200);
  const lines = response.body.replace(/\r\n[ \t]/g, '').split('\r\n');
  const events: Array<Record<string, string>> = [];
  for (const line of lines) {
    if (line === 'BEGIN:VEVENT') events.push({});
    else if (line === 'END:VEVENT' || events.length === 0) continue;
    else {
      const [name, ...value] = line.split(':');
      events.at(-1)![name!] ??= value.join(':');
    }
  }
  return events;
}
const summaries = (events: Array<Record<string, string>>) => events.map((event) => event.SUMMARY).sort();

describe('calendar feeds', () => {
  it('hold each person’s deadlines, the activities they may see, and the meetings of those who follow the committee', async () => {
    const { system, cast } = ctx;
    const screening = await submit(system, cast, { title: 'Awaiting its screening' });
    const running = await submit(system, cast, { title: 'Being implemented' });
    await advanceTo(system, cast, running, 'implementation');
    const planned = await call(system, 'POST', `/requests/${running}/activities`, cast.secretariat, sampleActivity({ title: 'Training in Dakar', startDate: '2027-02-27', endDate: '2027-02-28' }));
    expect(planned.status).toBe(201);
    const meeting = await call(system, 'POST', '/meetings', cast.secretariat, { title: 'Spring meeting', scheduledFor: '2027-03-15T09:00:00.000Z' });
    expect(meeting.status).toBe(201);

    const url = await feedUrl(cast.secretariat);
    expect(url).toMatch(new RegExp(`^https://capacity\\.rabat\\.test/calendar/${cast.secretariat.actor.userId}/[\\w.-]+$`));
    const response = await fetchFeed(url);
    expect(response.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(response.body).toMatch(/^BEGIN:VCALENDAR\r\n/);

    const officer = await eventsOf(cast.secretariat);
    const due = officer.find((event) => event.SUMMARY === 'Due: Awaiting its screening')!;
    expect(due.DESCRIPTION).toContain('The Secretariat screens the request.');
    expect(due.URL).toBe(`https://capacity.rabat.test/dashboard#request/${screening}`);
    const training = officer.find((event) => event.SUMMARY === 'Training in Dakar')!;
    // All day, the end exclusive: 27 and 28 February.
    expect(training).toMatchObject({ 'DTSTART;VALUE=DATE': '20270227', 'DTEND;VALUE=DATE': '20270301', LOCATION: 'Dakar\\, SN', STATUS: 'CONFIRMED' });
    expect(officer.map((event) => event.SUMMARY)).toContain('Steering Committee meeting: Spring meeting');

    // The focal point: their country's activity, none of the Secretariat's deadlines, no meetings.
    expect(summaries(await eventsOf(cast.partner))).toEqual(['Training in Dakar']);
    // Another country's focal point sees nothing of Senegal's.
    expect(await eventsOf(cast.otherPartner)).toEqual([]);
    // A monitor follows the activities and the meetings, and must meet no deadline.
    expect(summaries(await eventsOf(cast.monitor))).toEqual(['Steering Committee meeting: Spring meeting', 'Training in Dakar']);

    // A cancelled activity stays, marked cancelled, so that calendars take it off.
    const { activityId } = planned.body;
    expect((await call(system, 'PATCH', `/requests/${running}/activities/${activityId}`, cast.secretariat, { status: 'cancelled', reason: 'Moved online.' })).status).toBe(200);
    expect((await eventsOf(cast.partner))[0]).toMatchObject({ SUMMARY: 'Training in Dakar', STATUS: 'CANCELLED' });
  });

  it('is refused at any other address, and at an address retired, or once the person has no working token', async () => {
    const { system, cast } = ctx;
    const url = await feedUrl(cast.chair);
    const { pathname } = new URL(url);
    const notFound = async (path: string) => {
      const response = await system.app.inject({ method: 'GET', url: path });
      expect({ path, status: response.statusCode }).toEqual({ path, status: 404 });
      return response.json();
    };
    expect(await notFound(`${pathname.slice(0, -2)}xx`)).toMatchObject({ code: 'calendar_not_found', message: expect.stringContaining('GET /me/calendar') });
    // Another person's address with this signature.
    expect(await notFound(pathname.replace(cast.chair.actor.userId, cast.monitor.actor.userId))).toMatchObject({ code: 'calendar_not_found' });

    // Renewed: the new address works, the old one no longer does.
    const renewed = await call(system, 'POST', '/me/calendar/renewal', cast.chair);
    expect(renewed.status).toBe(200);
    expect(renewed.body.url).not.toBe(url);
    expect(await feedUrl(cast.chair)).toBe(renewed.body.url);
    await notFound(pathname);
    expect((await fetchFeed(renewed.body.url)).statusCode).toBe(200);

    // Every token revoked: the person has lost their access, and the calendar with it.
    const leaving = await system.user('secretariat');
    const leavingUrl = await feedUrl(leaving);
    expect((await fetchFeed(leavingUrl)).statusCode).toBe(200);
    const tokens = (await call(system, 'GET', `/admin/tokens?user=${leaving.actor.name}`, cast.admin)).body.items as Array<{ tokenId: string }>;
    for (const token of tokens) expect((await call(system, 'DELETE', `/admin/tokens/${token.tokenId}`, cast.admin)).status).toBe(200);
    await notFound(new URL(leavingUrl).pathname);
  });
});
