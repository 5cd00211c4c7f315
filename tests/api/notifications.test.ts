import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordEvent } from '../../activities/record-event';
import { RABAT_PROCESS } from '../../config/dialogue';
import { advanceTo, call, createCast, submit, type Cast, type Person } from '../support/cast';
import { startMailReceiver } from '../support/mail-receiver';
import { startTestSystem, type TestSystem } from '../support/test-system';
import { waitFor } from '../support/wait-for';

/**
 * E-mail notifications, through a real SMTP server: the person a request waits for is told, once, with what is
 * next and by when; the partner hears what was decided; nobody is told of their own act; a mail server that
 * says "later" is tried again, one that refuses is dead-lettered; removing one's address stops the e-mails.
 */
let mail: Awaited<ReturnType<typeof startMailReceiver>>;
let system: TestSystem;
let cast: Cast;
/** Represents the requesting country (SN) on the committee: conflicted, never asked to vote on SN's requests. */
let conflictedMember: Person;
/** A second Secretariat officer who never gave an address. */
let silentOfficer: Person;

const ADDRESSES = {
  partner: 'nfp@senegal.example.org',
  otherPartner: 'nfp@mali.example.org',
  secretariat: 'officer@secretariat.example.org',
  scMember: 'member@spain.example.org',
  chair: 'chair@rabat.example.org',
  monitor: 'monitor@example.org',
};

const setEmail = (who: Person, email: string | null) => call(system, 'PUT', '/me/email', who, { email });
/** As an administrator does: in use at once, without a confirmation. */
const setEmailForThem = (who: Person, email: string | null) => call(system, 'PUT', `/admin/users/${who.actor.userId}/email`, cast.admin, { email });
/** The code in the latest confirmation e-mail to an address, once it arrives. */
const confirmationCode = async (address: string, previous = 0) => {
  const mails = await waitFor(
    async () => mail.to(address).filter((m) => m.subject.startsWith('[Rabat Process] Confirm your address')),
    (found) => found.length > previous,
  );
  return /Your confirmation code is (\d{6})\./.exec(mails.at(-1)!.text)![1]!;
};
const otherThan = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
const subjectsTo = (address: string, requestId: string) =>
  mail
    .to(address)
    .filter((m) => m.text.includes(requestId))
    .map((m) => m.subject);
const outbox = async (requestId: string) =>
  (await call(system, 'GET', `/admin/notifications?requestId=${requestId}&limit=200`, cast.admin)).body.items as Array<{
    notificationId: string;
    recipient: string;
    status: string;
    attempts: number;
    lastError: string | null;
    seq: number;
    subject: string;
  }>;
const settled = (requestId: string) =>
  waitFor(
    () => outbox(requestId),
    (items) => items.length > 0 && items.every((n) => n.status === 'sent' || n.status === 'dead' || n.status === 'cancelled'),
  );

beforeAll(async () => {
  mail = await startMailReceiver();
  system = await startTestSystem({ smtpUrl: mail.url, policy: { screeningPeriod: 'PT6S', screeningReminderLead: 'PT4S' }, meetingReminderLead: 'PT3S' });
  cast = await createCast(system);
  conflictedMember = await system.user('sc_member', 'SN');
  silentOfficer = await system.user('secretariat');
  for (const [role, address] of Object.entries(ADDRESSES)) expect((await setEmailForThem(cast[role as keyof typeof ADDRESSES], address)).status).toBe(200);
  expect((await setEmailForThem(conflictedMember, 'member@senegal.example.org')).status).toBe(200);
});
afterAll(async () => {
  await system?.stop();
  await mail?.stop();
});

describe('e-mail notifications', () => {
  it('tells each person when a request waits for them, and the partner what was decided — nobody of their own act', async () => {
    const id = await submit(system, cast, { title: 'Border management training' });
    await waitFor(async () => subjectsTo(ADDRESSES.secretariat, id), (subjects) => subjects.length > 0);
    await advanceTo(system, cast, id, 'implementation');
    await settled(id);

    expect(subjectsTo(ADDRESSES.secretariat, id)).toContain('[Rabat Process] Your turn · À vous: Border management training');
    expect(subjectsTo(ADDRESSES.scMember, id)).toEqual(['[Rabat Process] Your turn · À vous: Border management training']);
    expect(subjectsTo(ADDRESSES.chair, id)).toEqual(['[Rabat Process] Your turn · À vous: Border management training']);
    // The partner submitted (no e-mail for that), then heard of the acceptance and of the approval.
    expect(subjectsTo(ADDRESSES.partner, id)).toEqual([
      '[Rabat Process] Accepted for review · Retenue pour examen: Border management training',
      '[Rabat Process] Approved · Approuvée: Border management training',
    ]);
    expect(subjectsTo(ADDRESSES.otherPartner, id)).toEqual([]);
    expect(subjectsTo(ADDRESSES.monitor, id)).toEqual([]);
    expect(subjectsTo('member@senegal.example.org', id)).toEqual([]);

    const [toMember] = mail.to(ADDRESSES.scMember).filter((m) => m.text.includes(id));
    expect(toMember!.text).toContain('The Secretariat accepted the request for the Steering Committee');
    expect(toMember!.text).toMatch(/What happens next: Steering Committee members vote \(1 still to vote: sc_member-ES-/);
    expect(toMember!.text).toMatch(/By: \d{1,2} \w+ \d{4} at \d\d:\d\d UTC/);
    expect(toMember!.text).toContain(`Open the request to take your step: https://capacity.rabat.test/dashboard#request/${id}`);
    // On the sender's domain (the test system sends as no-reply@capacity.test).
    expect(toMember!.messageId).toMatch(/^<notification-[0-9a-f-]{36}@capacity\.test>$/);
    expect(toMember!.headers.get('auto-submitted')).toBe('auto-generated');

    // Each sent once, with what it went to on record.
    const sent = await outbox(id);
    expect(sent.every((n) => n.status === 'sent' && n.attempts === 1)).toBe(true);
    expect(sent.filter((n) => n.recipient === silentOfficer.actor.name)).toEqual([]);
    const mine = (await call(system, 'GET', '/me/notifications', cast.chair)).body;
    expect(mine.items).toHaveLength(1);
    expect(mine.items[0]).toMatchObject({ requestId: id, reason: 'your_turn', status: 'sent', sentTo: ADDRESSES.chair });
    const one = await call(system, 'GET', `/me/notifications/${mine.items[0].notificationId}`, cast.chair);
    expect(one.body.body).toContain('The Chair approves, rejects or asks for a revision.');
    expect((await call(system, 'GET', `/me/notifications/${mine.items[0].notificationId}`, cast.partner)).status).toBe(404);
  });

  it('a retried write of an event queues none of its e-mails again', async () => {
    const id = await submit(system, cast);
    await settled(id);
    const before = await outbox(id);
    const handle = system.client.workflow.getHandle(`capacity-request-${id}`);
    const state = await handle.query<never>('state');
    const events = (await call(system, 'GET', `/requests/${id}/events`, cast.monitor)).body.items;
    const first = events[0];
    const again = await recordEvent(
      system.database.db,
      {
        event: { seq: 1, type: 'submitted', actor: { userId: cast.partner.actor.userId, name: first.actorName, role: 'partner' }, at: first.occurredAt, phaseBefore: 'screening', phaseAfter: 'screening', payload: first.payload },
        state,
      },
      { dialogue: RABAT_PROCESS, publicUrl: null },
    );
    expect(again.notifications).toEqual([]);
    expect(await outbox(id)).toEqual(before);
    // Withdrawn, so that its screening reminders do not reach the mail server during the next tests.
    expect((await call(system, 'POST', `/requests/${id}/withdrawal`, cast.partner, { reason: 'Test done.' })).status).toBe(200);
  });

  it('reminds the Secretariat before the screening deadline, and tells the Chair once it has passed', async () => {
    const id = await submit(system, cast, { title: 'Late screening' });
    await waitFor(async () => subjectsTo(ADDRESSES.chair, id), (subjects) => subjects.length > 0, 20_000);
    await settled(id);
    expect(subjectsTo(ADDRESSES.secretariat, id)).toEqual([
      '[Rabat Process] Your turn · À vous: Late screening',
      '[Rabat Process] Reminder · Rappel: Late screening',
      '[Rabat Process] Overdue · En retard: Late screening',
    ]);
    expect(subjectsTo(ADDRESSES.chair, id)).toEqual(['[Rabat Process] Overdue · En retard: Late screening']);
  });

  it('tries again while the mail server says "later", and dead-letters what it refuses for good', async () => {
    mail.refuseNext(2, 451);
    const later = await submit(system, cast, { title: 'Try later' });
    // The submission's e-mail (its screening reminder may follow while this test runs).
    const retried = (await settled(later)).find((n) => n.seq === 1);
    expect(retried).toMatchObject({ status: 'sent', attempts: 3 });
    expect(subjectsTo(ADDRESSES.secretariat, later)[0]).toBe('[Rabat Process] Your turn · À vous: Try later');

    mail.refuseNext(1, 550);
    const refused = await submit(system, cast, { title: 'Refused' });
    const dead = (await settled(refused)).find((n) => n.seq === 1);
    expect(dead).toMatchObject({ status: 'dead', attempts: 1 });
    expect(dead!.lastError).toContain('550');
    // Withdrawn, so that its own screening reminder does not reach the mailbox before the resend below.
    await call(system, 'POST', `/requests/${refused}/withdrawal`, cast.partner, { reason: 'Test done.' });
    const deadLetters = (await call(system, 'GET', '/admin/notifications?status=dead', cast.admin)).body.items;
    expect(deadLetters.map((n: { notificationId: string }) => n.notificationId)).toContain(dead!.notificationId);

    // The mailbox is fixed: an administrator sends it again, with a fresh series of attempts.
    const resent = await call(system, 'POST', `/admin/notifications/${dead!.notificationId}/resend`, cast.admin);
    expect(resent.status).toBe(202);
    expect(resent.body).toMatchObject({ status: 'pending', attempts: 0 });
    expect(resent.body.body).toContain('What happens next: The Secretariat screens the request.');
    const again = await waitFor(
      async () => (await call(system, 'GET', `/admin/notifications/${dead!.notificationId}`, cast.admin)).body,
      (n) => n.status === 'sent',
    );
    expect(again).toMatchObject({ attempts: 1, sentTo: ADDRESSES.secretariat, lastError: null });
    expect(subjectsTo(ADDRESSES.secretariat, refused)[0]).toBe('[Rabat Process] Your turn · À vous: Refused');
    expect((await call(system, 'POST', `/admin/notifications/${dead!.notificationId}/resend`, cast.secretariat)).status).toBe(403);
    expect((await call(system, 'POST', '/admin/notifications/00000000-0000-4000-8000-000000000000/resend', cast.admin)).status).toBe(404);
  });

  it('uses an address a person gives themselves once they type the code e-mailed to it; until then the old one', async () => {
    const given = await setEmail(cast.monitor, 'new.monitor@example.org');
    expect(given.status).toBe(202);
    expect(given.body).toMatchObject({ email: ADDRESSES.monitor, pendingEmail: { address: 'new.monitor@example.org' }, emailEnabled: true });
    expect(Date.parse(given.body.pendingEmail.expiresAt) - Date.now()).toBeGreaterThan(23 * 3600_000);
    const code = await confirmationCode('new.monitor@example.org');
    const [sent] = mail.to('new.monitor@example.org');
    expect(sent!.subject).toBe('[Rabat Process] Confirm your address · Confirmez votre adresse');
    expect(sent!.text).toContain(`https://capacity.rabat.test/dashboard#confirm-email/${code}`);
    expect(sent!.text).toContain(`Votre code de confirmation est ${code}.`);
    // Nothing else goes to an unconfirmed address, so there is nothing to unsubscribe from.
    expect(sent!.headers.get('list')).toBeUndefined();

    // The code is read in the mailbox, never through the API: not among the person's e-mails, withheld from admins.
    expect((await call(system, 'GET', '/me/notifications?limit=200', cast.monitor)).body.items.map((n: { reason: string }) => n.reason)).not.toContain('email_confirmation');
    const queued = (await call(system, 'GET', '/admin/notifications?limit=200', cast.admin)).body.items.find(
      (n: { reason: string; sentTo: string | null }) => n.reason === 'email_confirmation' && n.sentTo === 'new.monitor@example.org',
    );
    expect(queued).toMatchObject({ requestId: null, seq: null, status: 'sent' });
    expect((await call(system, 'GET', `/me/notifications/${queued.notificationId}`, cast.monitor)).status).toBe(404);
    const adminView = await call(system, 'GET', `/admin/notifications/${queued.notificationId}`, cast.admin);
    expect(adminView.body.body).not.toContain(code);
    expect(adminView.body.subject).not.toContain(code);

    const wrong = await call(system, 'POST', '/me/email/confirmation', cast.monitor, { code: otherThan(code) });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ code: 'wrong_code', message: expect.stringContaining('4 tries left') });
    expect((await call(system, 'POST', '/me/email/confirmation', cast.monitor, { code: 'abc' })).status).toBe(400);
    expect((await call(system, 'GET', '/me', cast.monitor)).body.email).toBe(ADDRESSES.monitor);
    const confirmed = await call(system, 'POST', '/me/email/confirmation', cast.monitor, { code });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ email: 'new.monitor@example.org', pendingEmail: null });
    expect((await call(system, 'POST', '/me/email/confirmation', cast.monitor, { code })).body.code).toBe('nothing_to_confirm');

    // A mistyped address is never used: five wrong codes discard it, and the address in use stays.
    expect((await setEmail(cast.monitor, 'new.monitor@exmaple.org')).status).toBe(202);
    const typo = await confirmationCode('new.monitor@exmaple.org');
    for (let attempt = 1; attempt < 5; attempt++) {
      expect((await call(system, 'POST', '/me/email/confirmation', cast.monitor, { code: otherThan(typo) })).status).toBe(400);
    }
    const fifth = await call(system, 'POST', '/me/email/confirmation', cast.monitor, { code: otherThan(typo) });
    expect(fifth).toMatchObject({ status: 409, body: { code: 'too_many_attempts' } });
    expect((await call(system, 'POST', '/me/email/confirmation', cast.monitor, { code: typo })).body.code).toBe('nothing_to_confirm');
    expect((await call(system, 'GET', '/me', cast.monitor)).body).toMatchObject({ email: 'new.monitor@example.org', pendingEmail: null });

    // A code expires after a day; giving the address in use again forgets the one waiting.
    expect((await setEmail(cast.monitor, 'late@example.org')).status).toBe(202);
    const late = await confirmationCode('late@example.org');
    await system.database.pool.query("UPDATE email_confirmations SET expires_at = now() - interval '1 second'");
    expect((await call(system, 'POST', '/me/email/confirmation', cast.monitor, { code: late })).body.code).toBe('code_expired');
    expect((await setEmail(cast.monitor, 'undecided@example.org')).status).toBe(202);
    const back = await setEmail(cast.monitor, 'new.monitor@example.org');
    expect(back).toMatchObject({ status: 200, body: { email: 'new.monitor@example.org', pendingEmail: null } });
    await setEmailForThem(cast.monitor, ADDRESSES.monitor);
  });

  it('writes to a person who chose one language in that language only', async () => {
    const chose = await call(system, 'PUT', '/me/language', cast.partner, { language: 'fr' });
    expect(chose).toMatchObject({ status: 200, body: { language: 'fr', email: ADDRESSES.partner } });
    expect((await call(system, 'PUT', '/me/language', cast.partner, { language: 'de' })).status).toBe(400);
    const id = await submit(system, cast, { title: 'Formation en français' });
    await call(system, 'POST', `/requests/${id}/screening`, cast.secretariat, { outcome: 'accept', note: 'Complete.' });
    const [news] = await waitFor(async () => mail.to(ADDRESSES.partner).filter((m) => m.text.includes(id)), (found) => found.length > 0);
    expect(news!.subject).toBe('[Processus de Rabat] Retenue pour examen : Formation en français');
    expect(news!.text).toContain('Prochaine étape');
    expect(news!.text).not.toContain('What happens next');
    // Everyone else still reads both languages.
    const [toSecretariat] = mail.to(ADDRESSES.secretariat).filter((m) => m.text.includes(id));
    expect(toSecretariat!.subject).toBe('[Rabat Process] Your turn · À vous: Formation en français');
    expect((await call(system, 'PUT', '/me/language', cast.partner, { language: null })).body.language).toBeNull();
  });

  it('reminds the committee of a meeting before it, each member in their language, once, with the agenda', async () => {
    const onAgenda = await submit(system, cast, { title: 'Reminded review' });
    await advanceTo(system, cast, onAgenda, 'review');
    expect((await call(system, 'PUT', '/me/language', conflictedMember, { language: 'fr' })).status).toBe(200);
    // Four seconds away with a lead of three: the workflow sleeps a second, then reminds.
    const scheduledFor = new Date(Date.now() + 4_000).toISOString();
    const scheduled = await call(system, 'POST', '/meetings', cast.secretariat, { title: 'SC meeting, Dakar', scheduledFor });
    expect(scheduled.status).toBe(201);
    expect(scheduled.body).toMatchObject({ title: 'SC meeting, Dakar', membersRemindedAt: null, agenda: expect.arrayContaining([expect.objectContaining({ requestId: onAgenda })]) });
    const meetingId = scheduled.body.meetingId as string;
    const reminderTo = (address: string) =>
      waitFor(async () => mail.to(address).filter((m) => m.text.includes(`/meetings/${meetingId}/agenda-pack`)), (found) => found.length > 0);

    const [toMember] = await reminderTo(ADDRESSES.scMember);
    expect(toMember!.subject).toMatch(/^\[Rabat Process\] Reminder: Steering Committee meeting on \d{1,2} \w+ \d{4} · Rappel : réunion du Comité de pilotage le .*: SC meeting, Dakar$/);
    expect(toMember!.text).toContain(`- Reminded review (SN)\n  Open it: https://capacity.rabat.test/dashboard#request/${onAgenda}`);
    expect(toMember!.text).toContain('— Français —');
    const [toFrench] = await reminderTo('member@senegal.example.org');
    expect(toFrench!.subject).toMatch(/^\[Processus de Rabat\] Rappel : réunion du Comité de pilotage le \d{1,2} [a-zéû]+ \d{4} : SC meeting, Dakar$/);
    expect(toFrench!.text).toMatch(/demandes? (est|sont) à son ordre du jour/);
    expect(toFrench!.text).not.toContain('Reminder');
    await reminderTo(ADDRESSES.chair);
    const meeting = await waitFor(async () => (await call(system, 'GET', `/meetings/${meetingId}`, cast.secretariat)).body, (m) => m.membersRemindedAt !== null);
    expect(Date.parse(meeting.membersRemindedAt)).toBeLessThan(Date.parse(scheduledFor));
    // Only the committee and the Chair, each once.
    const { rows } = await system.database.pool.query<{ role: string; count: number }>(
      'select u.role, count(*)::int as count from notifications n join users u on u.id = n.user_id where n.meeting_id = $1 group by u.role order by u.role',
      [meetingId],
    );
    expect(rows).toEqual([
      { role: 'chair', count: 1 },
      { role: 'sc_member', count: 2 },
    ]);
    expect(mail.to(ADDRESSES.secretariat).some((m) => m.text.includes(meetingId))).toBe(false);
    await call(system, 'PUT', '/me/language', conflictedMember, { language: null });
  });

  it('stops e-mails to an address with the one-click link each notification carries (RFC 8058), and only to that address', async () => {
    const officer = await system.user('secretariat');
    expect((await setEmailForThem(officer, 'desk.officer@secretariat.example.org')).status).toBe(200);
    const id = await submit(system, cast, { title: 'Unsubscribe link' });
    const [told] = await waitFor(async () => mail.to('desk.officer@secretariat.example.org').filter((m) => m.text.includes(id)), (found) => found.length > 0);
    const list = told!.headers.get('list') as { unsubscribe: { url: string }; 'unsubscribe-post': { name: string } };
    expect(list['unsubscribe-post'].name).toBe('List-Unsubscribe=One-Click');
    const link = new URL(list.unsubscribe.url);
    expect(link.origin).toBe('https://capacity.rabat.test');
    expect(link.pathname).toMatch(new RegExp(`^/unsubscribe/${officer.actor.userId}/`));
    expect(link.pathname).not.toContain('desk.officer');
    const addressNow = async () => (await call(system, 'GET', '/me', officer)).body.email;
    const open = (method: 'GET' | 'POST', path = link.pathname) =>
      system.app.inject({ method, url: path, ...(method === 'POST' ? { headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' } : {}) });

    // Following the link (as mail scanners do) changes nothing: the page asks, with a button that posts.
    const asked = await open('GET');
    expect(asked.statusCode).toBe(200);
    expect(asked.headers['content-type']).toContain('text/html');
    expect(asked.headers['content-security-policy']).toContain("default-src 'none'");
    expect(asked.body).toContain('d•••@secretariat.example.org');
    expect(asked.body).toContain('<form method="post">');
    expect(await addressNow()).toBe('desk.officer@secretariat.example.org');
    // A link cut or changed is refused, without signing in and without changing anything.
    expect((await open('POST', `${link.pathname.slice(0, -2)}xx`)).statusCode).toBe(404);
    expect((await open('POST', link.pathname.replace(officer.actor.userId, cast.secretariat.actor.userId))).statusCode).toBe(404);
    expect(await addressNow()).toBe('desk.officer@secretariat.example.org');

    // The mail program's one-click POST stops the e-mails; repeating it is harmless.
    const done = await open('POST');
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('Done: no more notifications go to d•••@secretariat.example.org.');
    expect(await addressNow()).toBeNull();
    expect((await open('POST')).body).toContain('No notifications go to the address this link was sent to any more.');
    const log = await system.database.pool.query("select payload from admin_events where type = 'email_removed' and actor_name = 'unsubscribe link'");
    expect(log.rows).toEqual([{ payload: { user: officer.actor.name } }]);

    // An old link never stops e-mails to an address given since.
    expect((await setEmailForThem(officer, 'officer.desk@secretariat.example.org')).status).toBe(200);
    expect((await open('POST')).statusCode).toBe(200);
    expect(await addressNow()).toBe('officer.desk@secretariat.example.org');
    await setEmailForThem(officer, null);
  });

  it('stops e-mailing a person who removed their address; a bad address is refused and changes nothing', async () => {
    const bad = await setEmail(cast.monitor, 'first@example.org, second@example.org');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('is not one e-mail address');
    expect((await call(system, 'GET', '/me', cast.monitor)).body.email).toBe(ADDRESSES.monitor);

    expect((await setEmail(cast.secretariat, null)).body).toMatchObject({ email: null });
    const id = await submit(system, cast, { title: 'After unsubscribing' });
    // Only the people still with an address are queued: here nobody (the one secretariat with an address left).
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await outbox(id)).toEqual([]);
    const officer = (await call(system, 'GET', '/admin/users', cast.admin)).body.items.find((u: { name: string }) => u.name === cast.secretariat.actor.name);
    expect(officer.email).toBeNull();
    await call(system, 'POST', `/requests/${id}/withdrawal`, cast.partner, { reason: 'Test done.' });

    // An administrator can set it again; the next event that concerns them reaches them.
    expect((await call(system, 'PUT', `/admin/users/${cast.secretariat.actor.userId}/email`, cast.admin, { email: ADDRESSES.secretariat })).status).toBe(200);
    expect((await call(system, 'PUT', `/admin/users/${cast.secretariat.actor.userId}/email`, cast.monitor, { email: 'x@example.org' })).status).toBe(403);
    expect((await call(system, 'GET', '/me', cast.secretariat)).body.email).toBe(ADDRESSES.secretariat);
  });
});
