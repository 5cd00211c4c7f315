import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_DOCUMENT_MAX_BYTES, dialogueFrom, emailLinkBase, loadConfig, mailFrom } from '../../config/env';

/** The settings every process validates at start: defaults, empty meaning unset, and a wrong value named. */
describe('configuration', () => {
  it("leads e-mails' links to PUBLIC_URL, else to this API at its own port, never to a caller's Host", () => {
    expect(emailLinkBase(loadConfig({ PUBLIC_URL: 'https://rabat.example.org/' }))).toBe('https://rabat.example.org');
    expect(emailLinkBase(loadConfig({ PORT: '3210' }))).toBe('http://127.0.0.1:3210');
    expect(emailLinkBase(loadConfig({ PORT: '8080', HOST: '0.0.0.0' }))).toBe('http://127.0.0.1:8080');
    expect(emailLinkBase(loadConfig({ PORT: '8080', HOST: 'rabat.internal' }))).toBe('http://rabat.internal:8080');
    expect(emailLinkBase(loadConfig({ PORT: '8080', HOST: '::1' }))).toBe('http://[::1]:8080');
  });

  it('holds dates to 2100-12-31 unless an earlier horizon is set; a later one, or one past, is refused', () => {
    expect(loadConfig({}).DATE_HORIZON).toBe('2100-12-31');
    expect(loadConfig({ DATE_HORIZON: '2050-12-31' }).DATE_HORIZON).toBe('2050-12-31');
    expect(() => loadConfig({ DATE_HORIZON: '2200-01-01' })).toThrow(/DATE_HORIZON must be a day after today and no later than 2100-12-31/);
    expect(() => loadConfig({ DATE_HORIZON: '2020-01-01' })).toThrow(/DATE_HORIZON/);
    expect(() => loadConfig({ DATE_HORIZON: '2050-02-30' })).toThrow(/DATE_HORIZON/);
    expect(loadConfig({ DEFAULT_LANGUAGE: 'fr' }).DEFAULT_LANGUAGE).toBe('fr');
    expect(() => loadConfig({ DEFAULT_LANGUAGE: 'pt' })).toThrow(/DEFAULT_LANGUAGE/);
  });

  it('takes documents up to 20 MiB unless told otherwise', () => {
    expect(loadConfig({}).DOCUMENT_MAX_BYTES).toBe(DEFAULT_DOCUMENT_MAX_BYTES);
    expect(DEFAULT_DOCUMENT_MAX_BYTES).toBe(20 * 1024 * 1024);
    expect(loadConfig({ DOCUMENT_MAX_BYTES: '1048576' }).DOCUMENT_MAX_BYTES).toBe(1_048_576);
    expect(() => loadConfig({ DOCUMENT_MAX_BYTES: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ DOCUMENT_MAX_BYTES: '20MB' })).toThrow(/DOCUMENT_MAX_BYTES/);
  });

  it('leaves the worker cache to the SDK unless a size is given (empty is unset)', () => {
    expect(loadConfig({}).WORKER_MAX_CACHED_WORKFLOWS).toBeUndefined();
    expect(loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '' }).WORKER_MAX_CACHED_WORKFLOWS).toBeUndefined();
    expect(loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '500' }).WORKER_MAX_CACHED_WORKFLOWS).toBe(500);
    expect(loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '0' }).WORKER_MAX_CACHED_WORKFLOWS).toBe(0);
    expect(() => loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '-1' })).toThrow(/WORKER_MAX_CACHED_WORKFLOWS/);
    expect(() => loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: 'many' })).toThrow(/See \.env\.example/);
  });

  it('sends no e-mail unless a mail server or a mail drop directory is given; a URL of another kind is named as wrong', () => {
    expect(loadConfig({}).SMTP_URL).toBeUndefined();
    expect(loadConfig({ SMTP_URL: '' }).SMTP_URL).toBeUndefined();
    expect(loadConfig({ SMTP_URL: 'smtps://user:secret@mail.example.org:465' }).SMTP_URL).toBe('smtps://user:secret@mail.example.org:465');
    expect(() => loadConfig({ SMTP_URL: 'mail.example.org:587' })).toThrow(/SMTP_URL/);
    // A mail drop directory, named by an absolute path: relative to what would depend on where a process started.
    expect(loadConfig({ SMTP_URL: 'file:///var/mail/capacity' }).SMTP_URL).toBe('file:///var/mail/capacity');
    expect(() => loadConfig({ SMTP_URL: 'file://mail' })).toThrow(/SMTP_URL/);
    expect(() => loadConfig({ MAIL_FROM: 'Rabat Process' })).toThrow(/MAIL_FROM/);
    expect(() => loadConfig({ PUBLIC_URL: 'capacity.example.org' })).toThrow(/PUBLIC_URL/);
  });

  it('serves the Rabat Process unless named another dialogue, in both languages, and sends in its name', () => {
    expect(dialogueFrom(loadConfig({}))).toEqual({ en: 'Rabat Process', fr: 'Processus de Rabat' });
    expect(mailFrom(loadConfig({}))).toBe('Rabat Process capacity requests <no-reply@localhost>');
    const khartoum = loadConfig({ DIALOGUE_NAME: 'Khartoum Process', DIALOGUE_NAME_FR: 'Processus de Khartoum' });
    expect(dialogueFrom(khartoum)).toEqual({ en: 'Khartoum Process', fr: 'Processus de Khartoum' });
    expect(mailFrom(khartoum)).toBe('Khartoum Process capacity requests <no-reply@localhost>');
    expect(mailFrom({ ...khartoum, MAIL_FROM: 'Secretariat <capacity@khartoumprocess.net>' })).toBe('Secretariat <capacity@khartoumprocess.net>');
    // One language only would leave the other saying "Rabat".
    expect(() => loadConfig({ DIALOGUE_NAME: 'Khartoum Process' })).toThrow(/DIALOGUE_NAME and DIALOGUE_NAME_FR go together/);
    expect(() => loadConfig({ DIALOGUE_NAME_FR: 'Processus de Khartoum' })).toThrow(ConfigError);
    // A name that would break the sender's address, or a page, or span lines, is refused at start, saying why.
    expect(() => loadConfig({ DIALOGUE_NAME: 'Khartoum Process, Secretariat', DIALOGUE_NAME_FR: 'Processus de Khartoum' })).toThrow(
      'DIALOGUE_NAME cannot be "Khartoum Process, Secretariat": it contains ","; a name may not contain < > @ , ; " \\ or line breaks',
    );
    for (const name of ['Khartoum Process, Secretariat', 'Khartoum <Process>', ' Khartoum', 'Khartoum\nProcess', 'x'.repeat(81)]) {
      expect(() => loadConfig({ DIALOGUE_NAME: name, DIALOGUE_NAME_FR: 'Processus de Khartoum' }), name).toThrow(/DIALOGUE_NAME/);
    }
  });
});
