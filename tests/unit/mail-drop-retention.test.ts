import { describe, expect, it } from 'vitest';
import { expiredMailFiles, MAIL_DROP_KEEP_DAYS, mailDropKeepDays, mailFileName, queuedAtOfMailFile } from '../../activities/notifications/mail-drop';

describe("a mail drop's retention (file:///dir?keepDays=N)", () => {
  const now = new Date('2027-03-12T09:30:00.000Z');
  const queuedDaysAgo = (days: number, key = 'notification-1') => mailFileName({ queuedAt: new Date(now.getTime() - days * 86_400_000), key });

  it("reads back, from a message file's name, the instant it was queued", () => {
    const queuedAt = new Date('2026-12-07T10:15:00.123Z');
    expect(queuedAtOfMailFile(mailFileName({ queuedAt, key: 'notification-9f1c' }))).toEqual(queuedAt);
    for (const foreign of ['notes.eml', 'README.txt', '.0b6e.tmp', '2026-12-07T10-15-00.123Z.eml', '2026-13-40T99-99-99.999Z-x.eml']) {
      expect(queuedAtOfMailFile(foreign)).toBeNull();
    }
  });

  it('expires the messages queued more than keepDays ago, and only names the mail drop made', () => {
    const names = [queuedDaysAgo(31, 'a'), queuedDaysAgo(30.01, 'b'), queuedDaysAgo(29.99, 'c'), queuedDaysAgo(0, 'd'), 'kept-by-hand.eml'];
    expect(expiredMailFiles(names, 30, now)).toEqual([names[0], names[1]]);
    expect(expiredMailFiles(names, 365, now)).toEqual([]);
  });

  it('keeps 30 days unless the URL says otherwise, and refuses what is not a whole number of days', () => {
    expect(mailDropKeepDays('file:///var/mail/rabat')).toBe(MAIL_DROP_KEEP_DAYS);
    expect(MAIL_DROP_KEEP_DAYS).toBe(30);
    expect(mailDropKeepDays('file:///var/mail/rabat?keepDays=90')).toBe(90);
    for (const given of ['0', '-1', '2.5', 'ninety', '']) {
      expect(() => mailDropKeepDays(`file:///var/mail/rabat?keepDays=${given}`)).toThrow(/keepDays must be a whole number of days, 1 or more/);
    }
  });
});
