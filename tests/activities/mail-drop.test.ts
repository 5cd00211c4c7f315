import { eq } from 'drizzle-orm';
import { simpleParser } from 'mailparser';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mailFileName } from '../../activities/notifications/mail-drop';
import { createMailer, type Mailer, type OutgoingMail } from '../../activities/notifications/mailer';
import { loadConfig } from '../../config/env';
import { connectDatabase, migrateDatabase, type DatabaseHandle } from '../../db/client';
import { notifications, users } from '../../db/schema';
import { startNotificationRelay, type NotificationRelay } from '../../worker/notification-relay';
import { startMailReceiver } from '../support/mail-receiver';
import { createDatabase } from '../support/test-system';
import { waitFor } from '../support/wait-for';

/**
 * SMTP_URL=file:///dir, npm start's default: the relay writes each e-mail into the directory as an .eml file, the
 * same message a mail server would receive, against real Postgres, a real SMTP server to compare with, and a mail
 * parser reading the files back.
 */
const RETRY = { maximumAttempts: 5, initialIntervalMs: 100, maximumIntervalMs: 400, attemptTimeoutMs: 2_000 };
const FROM = 'Rabat Process <no-reply@rabat.test>';
let database: DatabaseHandle;
let mail: Awaited<ReturnType<typeof startMailReceiver>>;
let scratch: string;
let dropDir: string;
let recipient: string;
const relays: NotificationRelay[] = [];
const mailers: Mailer[] = [];

beforeAll(async () => {
  database = connectDatabase(await createDatabase());
  await migrateDatabase(database.pool);
  mail = await startMailReceiver();
  scratch = await mkdtemp(join(tmpdir(), 'rabat-mail-drop-'));
  const [user] = await database.db.insert(users).values({ name: 'Officer', role: 'secretariat', email: 'officer@example.org' }).returning();
  recipient = user!.id;
});
afterAll(async () => {
  await Promise.all(relays.map((relay) => relay.stop()));
  for (const mailer of mailers) mailer.close();
  await mail?.stop();
  await database?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});
beforeEach(async () => {
  await Promise.all(relays.splice(0).map((relay) => relay.stop()));
  await database.db.delete(notifications);
  // A directory not made yet, as on npm start's first run: the mailer makes it.
  dropDir = join(scratch, randomUUID(), 'mail');
});

const mailerFor = (smtpUrl: string) => {
  const mailer = createMailer({ smtpUrl, from: FROM, timeoutMs: 1_000 });
  mailers.push(mailer);
  return mailer;
};
const relay = (smtpUrl = pathToFileURL(dropDir).href) => {
  const started = startNotificationRelay({ db: database.db, mailer: mailerFor(smtpUrl), retry: RETRY, idlePollMs: 100, batchSize: 5 });
  relays.push(started);
  return started;
};
const queue = async (count: number) => {
  const requestId = randomUUID();
  return database.db
    .insert(notifications)
    .values(Array.from({ length: count }, (_, seq) => ({ requestId, seq, userId: recipient, reason: 'your_turn' as const, subject: `Message ${seq}`, body: `Body ${seq}` })))
    .returning();
};
const rows = () => database.db.select().from(notifications);
/** Everything in the directory, temporary files included: none may be left behind. */
const dropped = async () => (await readdir(dropDir).catch(() => [])).sort();
const parsed = async (name: string) => simpleParser(await readFile(join(dropDir, name)));
/** The headers as a mail program reads them, but for Date: each build of a message stamps its own. */
const headersOf = (headers: Map<string, unknown>) => Object.fromEntries([...headers].filter(([name]) => name !== 'date'));

describe('the mail drop directory', () => {
  it('holds each sent notification as an .eml file a mail program reads: recipient, subject, text and Message-ID', async () => {
    const queued = await queue(2);
    relay();
    await waitFor(rows, (all) => all.every((row) => row.status === 'sent'));
    const names = await dropped();
    // Named by when each was queued and by its notification: in the order they came, one file each.
    expect(names).toEqual(
      queued
        .map((row) => `${row.createdAt.toISOString().replaceAll(':', '-')}-notification-${row.id}.eml`)
        .sort(),
    );
    for (const row of queued) {
      const name = names.find((candidate) => candidate.includes(row.id))!;
      const message = await parsed(name);
      expect(message.to).toMatchObject({ text: 'officer@example.org' });
      expect(message.from?.value).toEqual([{ name: 'Rabat Process', address: 'no-reply@rabat.test' }]);
      expect(message.subject).toBe(row.subject);
      expect(message.text?.trim()).toBe(row.body);
      expect(message.messageId).toBe(`<notification-${row.id}@rabat.test>`);
      expect(message.headers.get('auto-submitted')).toBe('auto-generated');
    }
    // They hold confirmation codes: readable by whoever runs the system only.
    expect((await stat(join(dropDir, names[0]!))).mode & 0o777).toBe(0o600);
    // RFC 5322's line ends, as over SMTP.
    expect((await readFile(join(dropDir, names[0]!), 'utf8')).split('\n').slice(0, -1).every((line) => line.endsWith('\r'))).toBe(true);
    expect((await rows()).every((row) => row.sentTo === 'officer@example.org' && row.attempts === 1)).toBe(true);
  });

  it('is the message the mail server receives: the same headers and text', async () => {
    const outgoing: OutgoingMail = {
      to: 'officer@example.org',
      subject: 'Your turn · À vous: Workshop on diaspora investment',
      text: 'The request waits for you.\n\nLa demande vous attend.',
      messageKey: `notification-${randomUUID()}`,
      queuedAt: new Date(),
      headers: { 'List-Unsubscribe': '<https://capacity.example.org/unsubscribe/u/t>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    };
    await mailerFor(mail.url).send(outgoing);
    await mailerFor(pathToFileURL(dropDir).href).send(outgoing);
    const [received] = mail.to('officer@example.org').slice(-1);
    const [name] = await dropped();
    const written = await parsed(name!);
    expect(Object.keys(headersOf(written.headers))).toEqual(expect.arrayContaining(['from', 'to', 'subject', 'message-id', 'auto-submitted', 'list']));
    expect(headersOf(written.headers)).toEqual(headersOf(received!.headers));
    expect(written.text).toBe(received!.text);
    // Not only equal, but there: the parser files List-* headers under one "list" entry, so the text is read.
    expect(await readFile(join(dropDir, name!), 'utf8')).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r$/m);
  });

  it('replaces the file of a message written again, rather than adding one', async () => {
    const [queued] = await queue(1);
    relay();
    await waitFor(rows, (all) => all[0]?.status === 'sent');
    const first = await dropped();
    // As when a relay wrote it and died before recording it: the message is due again, and written again.
    await database.db.update(notifications).set({ status: 'pending', claimedUntil: null }).where(eq(notifications.id, queued!.id));
    await waitFor(rows, (all) => all[0]?.status === 'sent' && all[0].attempts === 2);
    expect(await dropped()).toEqual(first);
    expect(first).toHaveLength(1);
  });

  it('deletes the messages queued more than keepDays ago and not written since, and temporary files a stopped writer left, when it writes one', async () => {
    const day = 86_400_000;
    const namedAt = (msAgo: number, key: string) => mailFileName({ queuedAt: new Date(Date.now() - msAgo), key });
    const expired = [namedAt(3 * day, 'notification-old-1'), namedAt(2 * day + 60_000, 'notification-old-2')];
    // Queued long ago but written today: a notification an administrator sent again.
    const resent = namedAt(40 * day, 'notification-resent');
    const kept = [namedAt(2 * day - 60_000, 'notification-recent'), resent, 'saved-by-hand.eml', 'README.txt'];
    const abandonedTemporary = `.${randomUUID()}.tmp`;
    const freshTemporary = `.${randomUUID()}.tmp`;
    await mkdir(dropDir, { recursive: true });
    const writtenAgo = async (name: string, ms: number) => {
      await writeFile(join(dropDir, name), 'x');
      const then = new Date(Date.now() - ms);
      await utimes(join(dropDir, name), then, then);
    };
    for (const name of expired) await writtenAgo(name, 3 * day);
    for (const name of kept) await writtenAgo(name, name === resent ? 0 : 3 * day);
    await writtenAgo(abandonedTemporary, 2 * 3_600_000);
    await writtenAgo(freshTemporary, 0);
    await queue(1);
    relay(`${pathToFileURL(dropDir).href}?keepDays=2`);
    await waitFor(rows, (all) => all[0]?.status === 'sent');
    // Pruned just after the write, which the relay records first.
    const left = await waitFor(dropped, (names) => !expired.some((name) => names.includes(name)));
    const written = left.filter((name) => name.includes(`-notification-`) && !kept.includes(name));
    expect(written).toHaveLength(1);
    expect(left).toEqual([...kept, freshTemporary, ...written].sort());
  });

  it('refuses a keepDays that is not a whole number of days at start, saying what to write', () => {
    for (const keepDays of ['0', '-3', '1.5', 'forever', '']) {
      expect(() => loadConfig({ SMTP_URL: `file:///var/mail/rabat?keepDays=${keepDays}` })).toThrow(
        /SMTP_URL: keepDays must be a whole number of days, 1 or more, as in file:\/\/\/var\/mail\/rabat\?keepDays=90/,
      );
    }
    expect(() => loadConfig({ SMTP_URL: 'file:///var/mail/rabat?keepDays=90' })).not.toThrow();
  });

  it('keeps a message it cannot write, and tries again, as with a mail server that is down', async () => {
    await queue(1);
    // A file where the directory should be: no directory can be made there, whoever runs the test.
    const blocked = join(scratch, `${randomUUID()}-not-a-directory`);
    await writeFile(blocked, '');
    relay(pathToFileURL(join(blocked, 'mail')).href);
    const [failing] = await waitFor(rows, (all) => all[0]?.status === 'retrying' && all[0].attempts >= 2);
    expect(failing!.lastError).toContain(`The mail drop directory ${join(blocked, 'mail')} could not be written`);
  });
});
