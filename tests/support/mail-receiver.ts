import { simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One message as the mail server received it. */
export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  messageId: string;
  headers: Map<string, unknown>;
}

/**
 * A real SMTP server on 127.0.0.1 for the tests (smtp-server, from the Nodemailer project): it keeps what it
 * receives (parsed, unless told only to count) and can be told to refuse the next recipients, for a while
 * ("try later", 4xx) or for good (5xx).
 */
export async function startMailReceiver(options: { parse?: boolean } = {}) {
  const parse = options.parse ?? true;
  const received: ReceivedMail[] = [];
  const refusals: Array<{ code: number; message: string }> = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const refusal = refusals.shift();
      if (refusal) return callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
      callback();
    },
    onData(stream, session, callback) {
      if (!parse) {
        // Counting only (the benchmark): the message is read and dropped, as a mail server's queue would take it.
        stream.on('end', () => {
          for (const recipient of session.envelope.rcptTo) received.push({ to: recipient.address, subject: '', text: '', messageId: '', headers: new Map() });
          callback();
        });
        stream.resume();
        return;
      }
      simpleParser(stream)
        .then((mail) => {
          for (const recipient of session.envelope.rcptTo) {
            received.push({ to: recipient.address, subject: mail.subject ?? '', text: mail.text ?? '', messageId: mail.messageId ?? '', headers: mail.headers });
          }
          callback();
        })
        .catch(callback);
    },
  });
  // A client killed mid-conversation (the chaos run kills the worker while its relay sends) resets its connection: a
  // real mail server shrugs that off, and so must this one. Without a listener, the 'error' event would end the process.
  const connectionErrors: Error[] = [];
  server.on('error', (error) => connectionErrors.push(error));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    /** Connections that ended in an error, e.g. reset by a client killed mid-conversation. */
    connectionErrors,
    /** The next `times` recipients are refused with this SMTP code. */
    refuseNext(times: number, code: number, message = code >= 500 ? 'Mailbox unavailable' : 'Try again later') {
      for (let i = 0; i < times; i++) refusals.push({ code, message });
    },
    to: (address: string) => received.filter((mail) => mail.to === address),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
