import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A mail drop directory (SMTP_URL=file:///dir; npm start's default): each message is written as an RFC 5322 .eml
 * file, which any mail program opens, so a person can read their e-mails where there is no mail server.
 */

/** The directory of a file:// SMTP_URL; null for a mail server's smtp:// or smtps://. */
export function mailDropDirectory(smtpUrl: string): string | null {
  const url = new URL(smtpUrl);
  return url.protocol === 'file:' ? fileURLToPath(url) : null;
}

/** How long a mail drop keeps a message when its URL does not say (`file:///dir?keepDays=N`). */
export const MAIL_DROP_KEEP_DAYS = 30;

/**
 * How many days a file:// SMTP_URL keeps its messages: `?keepDays=N`, a whole number of days, 30 when left out. In
 * the URL rather than a setting of its own, as SMTP_URL alone says where e-mails go. Throws when N is not one.
 */
export function mailDropKeepDays(smtpUrl: string): number {
  const given = new URL(smtpUrl).searchParams.get('keepDays');
  if (given === null) return MAIL_DROP_KEEP_DAYS;
  if (!/^\d+$/.test(given) || Number(given) < 1) {
    throw new Error(`keepDays must be a whole number of days, 1 or more, as in file:///var/mail/rabat?keepDays=90 (got ${JSON.stringify(given)})`);
  }
  return Number(given);
}

/**
 * `2026-12-07T10-15-00.123Z-notification-<id>.eml`: names sort as the messages were queued, and one message always
 * has the same name, so writing it again (the relay retried after a lost record) replaces it rather than adding one.
 */
export function mailFileName(message: { queuedAt: Date; key: string }): string {
  // No colons: Windows and macOS' Finder do not allow them in names. The key is ours, but a name must stay one name.
  const time = message.queuedAt.toISOString().replaceAll(':', '-');
  return `${time}-${message.key.replace(/[^\w.-]/g, '_')}.eml`;
}

/** The instant a message was queued, read back from its file's name; null for a name mailFileName did not make. */
export function queuedAtOfMailFile(name: string): Date | null {
  const match = /^(\d{4}-\d\d-\d\dT)(\d\d)-(\d\d)-(\d\d\.\d{3}Z)-.+\.eml$/.exec(name);
  if (!match) return null;
  const instant = new Date(`${match[1]}${match[2]}:${match[3]}:${match[4]}`);
  return Number.isNaN(instant.getTime()) ? null : instant;
}

/**
 * The messages queued more than `keepDays` ago, by their names: what the mail drop deletes, unless written since (a
 * notification sent again long after it was queued). They hold codes and sign-in links long expired, and the outbox
 * in Postgres keeps every message with its text (`GET /admin/notifications/:id`): the files are a copy to read, not
 * the record. Only names mailFileName made: a file someone put there stays.
 */
export function expiredMailFiles(names: readonly string[], keepDays: number, now: Date): string[] {
  const oldest = now.getTime() - keepDays * 86_400_000;
  return names.filter((name) => (queuedAtOfMailFile(name)?.getTime() ?? oldest) < oldest);
}

/** A temporary file older than this was left by a writer that stopped between writing and renaming it. */
const ABANDONED_TEMPORARY_MS = 3_600_000;

/** Deletes the expired messages not written since, and temporary files a stopped writer left behind. */
export async function pruneMailDrop(directory: string, keepDays: number, now = new Date()): Promise<void> {
  const names = await readdir(directory);
  const writtenBefore = async (name: string, ms: number) =>
    stat(join(directory, name)).then((stats) => stats.mtimeMs < now.getTime() - ms, () => false);
  const temporaries = names.filter((name) => /^\.[\w-]+\.tmp$/.test(name));
  const candidates = [
    ...expiredMailFiles(names, keepDays, now).map((name) => ({ name, ms: keepDays * 86_400_000 })),
    ...temporaries.map((name) => ({ name, ms: ABANDONED_TEMPORARY_MS })),
  ];
  const doomed: string[] = [];
  for (const { name, ms } of candidates) if (await writtenBefore(name, ms)) doomed.push(name);
  // force: another worker pruning the same directory may have deleted it first.
  await Promise.all(doomed.map((name) => rm(join(directory, name), { force: true })));
}

/** Writes one message into the directory, atomically: a mail program sees all of it or nothing. */
export async function writeMailFile(directory: string, message: { queuedAt: Date; key: string }, content: Buffer): Promise<void> {
  // Made here, not once at start: a directory someone emptied by deleting it fills again. Readable by the owner only,
  // as the files are: they hold codes that confirm addresses (and links that sign people in).
  await mkdir(directory, { recursive: true, mode: 0o700 });
  // A dot file with a name of its own: not an .eml a reader would open, and two writers never share one.
  const temporary = join(directory, `.${randomUUID()}.tmp`);
  try {
    await writeFile(temporary, content, { flag: 'wx', mode: 0o600 });
    await rename(temporary, join(directory, mailFileName(message)));
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
