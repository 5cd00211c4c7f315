import nodemailer, { type SendMailOptions } from 'nodemailer';
import { mailDropDirectory, mailDropKeepDays, pruneMailDrop, writeMailFile } from './mail-drop';

/** One e-mail, as the notifications send it: plain text, to one person. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  /**
   * Stable per notification: a message sent twice (a retry after a lost answer) is one message to mail clients. The
   * mailer makes it the Message-ID's left part, on its sender's domain.
   */
  messageKey: string;
  /** When it was queued: a mail drop directory names the message's file after it and its key, so a resend replaces it. */
  queuedAt: Date;
  /** Aborts the send, e.g. when Temporal cancels the attempt. */
  signal?: AbortSignal;
  /** Headers besides the standard ones, e.g. List-Unsubscribe. */
  headers?: Record<string, string>;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** The mail server refused the message; permanent when it said so (5xx), rather than "try later" (4xx) or silence. */
export class MailNotSent extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

/**
 * The domain of the sender's address (`Rabat Process <no-reply@rabat-process.org>` → `rabat-process.org`), for the
 * right part of Message-IDs: RFC 5322 asks for a domain the sender controls, and nodemailer does the same.
 */
export function senderDomain(from: string): string {
  const address = /<([^<>]*)>\s*$/.exec(from)?.[1] ?? from;
  const domain = /@([^\s@<>]+)$/.exec(address.trim())?.[1];
  return domain ? domain.toLowerCase() : 'localhost';
}

/**
 * A mailer for SMTP_URL: the SMTP server of smtp://user:pass@host:587 (or smtps:// for TLS from the start), or the
 * mail drop directory of file:///dir, where each message becomes an .eml file (mail-drop.ts).
 */
export function createMailer(options: { smtpUrl: string; from: string; timeoutMs: number }): Mailer {
  const dropDirectory = mailDropDirectory(options.smtpUrl);
  if (dropDirectory === null) return smtpMailer(options);
  return mailDropMailer(dropDirectory, options.from, mailDropKeepDays(options.smtpUrl));
}

/** The message as nodemailer builds it: the same whether it goes to a mail server or into a file. */
function messageOptions(mail: OutgoingMail, messageIdDomain: string): SendMailOptions {
  return {
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    messageId: `<${mail.messageKey}@${messageIdDomain}>`,
    // RFC 3834: an automatic message; out-of-office replies should not answer it.
    headers: { 'Auto-Submitted': 'auto-generated', ...mail.headers },
  };
}

function smtpMailer(options: { smtpUrl: string; from: string; timeoutMs: number }): Mailer {
  // A dead server must not hang an attempt; settings in the URL's query string (nodemailer reads them) win over these.
  const timeouts = { connectionTimeout: options.timeoutMs, greetingTimeout: options.timeoutMs, socketTimeout: options.timeoutMs };
  // Pooled: a few connections kept open and reused, rather than a TCP and SMTP handshake per message.
  const messageIdDomain = senderDomain(options.from);
  const transport = nodemailer.createTransport({ url: options.smtpUrl, pool: true, maxConnections: 4, ...timeouts }, { from: options.from });
  return {
    async send(mail) {
      try {
        await transport.sendMail({ ...messageOptions(mail, messageIdDomain), ...(mail.signal ? { signal: mail.signal } : {}) });
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode;
        const message = (error as Error).message ?? String(error);
        throw new MailNotSent(code ? `The mail server answered ${code}: ${message}` : `The mail server could not be reached: ${message}`, code !== undefined && code >= 500);
      }
    },
    close: () => transport.close(),
  };
}

/** How often a mail drop looks for messages past their days: a directory read, not one per message. */
const PRUNE_EVERY_MS = 3_600_000;

function mailDropMailer(directory: string, from: string, keepDays: number): Mailer {
  const messageIdDomain = senderDomain(from);
  let prunedAt = Number.NEGATIVE_INFINITY;
  // The message as it would go over SMTP, CRLF line ends included (RFC 5322), kept in memory to be written whole.
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' }, { from });
  return {
    async send(mail) {
      try {
        const { message } = await transport.sendMail(messageOptions(mail, messageIdDomain));
        await writeMailFile(directory, { queuedAt: mail.queuedAt, key: mail.messageKey }, message as Buffer);
      } catch (error) {
        // A full disk or a directory made read-only may be put right: tried again, as an unreachable server is.
        throw new MailNotSent(`The mail drop directory ${directory} could not be written: ${(error as Error).message ?? String(error)}`, false);
      }
      if (Date.now() - prunedAt >= PRUNE_EVERY_MS) {
        prunedAt = Date.now();
        // The message is written: a directory that cannot be pruned now must not make it count as unsent; the next
        // hour's message tries again.
        await pruneMailDrop(directory, keepDays).catch(() => undefined);
      }
    },
    close: () => transport.close(),
  };
}
