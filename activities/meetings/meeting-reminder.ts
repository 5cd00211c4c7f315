import type { Meeting, ReminderTexts } from '../../db/meetings-repository';
import { LOCALES, type Language } from '../../i18n/languages';
import { translate } from '../../i18n/messages';
import { languageHeading } from '../notifications/language-heading';
import type { MailContext } from '../notifications/mail-context';

/**
 * The e-mail that reminds the Steering Committee of a meeting: when, what is on the agenda (each request with the
 * link to its page), where the agenda pack is. One text per language from the catalogs, and both one after the
 * other for a person who chose none — as the requests' e-mails do (notifications/audiences.ts).
 */
export function meetingReminderTexts(meeting: NonNullable<Meeting>, context: MailContext): ReminderTexts {
  const en = inLanguage('en', meeting, context);
  const fr = inLanguage('fr', meeting, context);
  return {
    en,
    fr,
    both: {
      subject: translate('en', 'mail.subject', {
        dialogue: `[${context.dialogue.en}]`,
        lead: `${lead('en', meeting)} · ${lead('fr', meeting)}`,
        title: meeting.title,
      }),
      body: `${en.body}\n${languageHeading('fr')}\n\n${fr.body}`,
    },
  };
}

const lead = (language: Language, meeting: NonNullable<Meeting>) => translate(language, 'meetingReminder.lead', { date: dayOf(meeting.scheduledFor, language) });

function inLanguage(language: Language, meeting: NonNullable<Meeting>, context: MailContext) {
  const base = context.publicUrl?.replace(/\/+$/, '') ?? null;
  const lines = [
    translate(language, 'meetingReminder.intro', { date: dayOf(meeting.scheduledFor, language), time: meeting.scheduledFor.slice(11, 16), title: meeting.title }),
    '',
    translate(language, 'meetingReminder.agenda', { count: meeting.agenda.length }),
    ...meeting.agenda.flatMap((item) => [
      translate(language, 'meetingReminder.item', { title: item.title, country: item.country }),
      ...(base ? [translate(language, 'meetingReminder.itemLink', { link: `${base}/dashboard#request/${item.requestId}` })] : []),
    ]),
    '',
    translate(language, 'meetingReminder.pack', { meetingId: meeting.meetingId }),
    '',
    '--',
    translate(language, 'meetingReminder.why'),
    translate(language, 'mail.stop', { section: translate(language, 'page.email.summary') }),
  ];
  const subject = translate(language, 'mail.subject', { dialogue: `[${context.dialogue[language]}]`, lead: lead(language, meeting), title: meeting.title });
  return { subject, body: `${lines.join('\n')}\n` };
}

/** "4 May 2027", "4 mai 2027": the day as each language writes it, in UTC as the time beside it. */
function dayOf(iso: string, language: Language): string {
  return new Intl.DateTimeFormat(LOCALES[language], { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(iso));
}
