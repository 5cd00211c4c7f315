import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startMailReceiver } from '../support/mail-receiver';
import { waitFor } from '../support/wait-for';

/**
 * The chaos run's mail server (tests/support/mail-receiver.ts) must outlive the worker it receives from: `kill -9`
 * of a worker whose relay is in the middle of a message resets the connection, and an SMTP server without an
 * 'error' listener ends the whole run there.
 */
describe('the test mail server', () => {
  it('keeps receiving after a client is killed in the middle of a message', async () => {
    const mail = await startMailReceiver();
    try {
      const socket = connect(Number(new URL(mail.url).port), '127.0.0.1');
      const commands = ['EHLO worker', 'MAIL FROM:<no-reply@capacity.test>', 'RCPT TO:<officer@example.org>', 'DATA'];
      // One command per complete reply of the server (its greeting first; a reply's last line is "NNN text"), then
      // half a message, then the connection is reset.
      let replies = '';
      socket.on('data', (chunk) => {
        replies += chunk.toString();
        if (!/(^|\r\n)\d{3} [^\r\n]*\r\n$/.test(replies)) return;
        replies = '';
        const command = commands.shift();
        if (command) return void socket.write(`${command}\r\n`);
        socket.write('Subject: cut short\r\n');
        setTimeout(() => socket.resetAndDestroy(), 50);
      });
      await waitFor(async () => mail.connectionErrors.length, (count) => count > 0);
      expect(mail.connectionErrors[0]).toMatchObject({ code: 'ECONNRESET' });
      expect(mail.received).toEqual([]);
    } finally {
      await mail.stop();
    }
  });
});
