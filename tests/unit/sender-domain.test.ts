import { describe, expect, it } from 'vitest';
import { senderDomain } from '../../activities/notifications/mailer';

describe('senderDomain: the right part of every Message-ID', () => {
  it('is the domain of the address in angle brackets, after a display name', () => {
    expect(senderDomain('Rabat Process capacity requests <no-reply@rabat-process.org>')).toBe('rabat-process.org');
    expect(senderDomain('"Processus de Rabat, Secrétariat" <secretariat@Rabat-Process.ORG>')).toBe('rabat-process.org');
  });

  it('is the domain of a bare address', () => {
    expect(senderDomain('no-reply@khartoum-process.net')).toBe('khartoum-process.net');
    expect(senderDomain('  no-reply@khartoum-process.net ')).toBe('khartoum-process.net');
  });

  it('is localhost when the sender has no domain (as nodemailer does)', () => {
    expect(senderDomain('Rabat Process')).toBe('localhost');
    expect(senderDomain('<no-reply>')).toBe('localhost');
    expect(senderDomain('')).toBe('localhost');
  });
});
