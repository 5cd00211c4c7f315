import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
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

/**
 * `2026-12-07T10-15-00.123Z-notification-<id>.eml`: names sort as the messages were queued, and one message always
 * has the same name, so writing it again (the relay retried after a lost record) replaces it rather than adding one.
 */
export function mailFileName(message: { queuedAt: Date; key: string }): string {
  // No colons: Windows and macOS' Finder do not allow them in names. The key is ours, but a name must stay one name.
  const time = message.queuedAt.toISOString().replaceAll(':', '-');
  return `${time}-${message.key.replace(/[^\w.-]/g, '_')}.eml`;
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
