import type { Language } from '../../i18n/languages';
import { translate, translatorFor } from '../../i18n/messages';
import type { MailText } from './audiences';
import type { MailContext } from './mail-context';
import { languageHeading } from './language-heading';
import { mailMoment } from './mail-moment';

/**
 * The e-mail that confirms an address a person gave themselves: the code to type in, and a link that types it for
 * them once they have signed in to the dashboard. In the person's language, or in English then French for a person
 * who chose none, as every e-mail of the dialogue.
 */
export function confirmationMessage(input: { name: string; code: string; expiresAt: string; context: MailContext; language: Language | null }): MailText {
  const { name, code, context, language } = input;
  const link = context.publicUrl ? `${context.publicUrl.replace(/\/+$/, '')}/dashboard#confirm-email/${code}` : null;
  const lines = (language: Language) => {
    const say = translatorFor(language);
    const until = mailMoment(input.expiresAt, language);
    // The dashboard's section as the reader's page names it, so that they find it.
    const section = say('page.email.summary');
    return [
      say('mail.confirmation.code', { code }),
      '',
      say('mail.confirmation.asked', { name, dialogue: context.dialogue[language] }),
      link ? say('mail.confirmation.howWithLink', { link, section, until }) : say('mail.confirmation.how', { section, until }),
      say('mail.confirmation.notYou'),
    ];
  };
  const lead = (language: Language) => translate(language, 'mail.confirmation.lead');
  const text = (lines: string[]) => `${lines.join('\n')}\n`;
  if (language) return { subject: `[${context.dialogue[language]}] ${lead(language)}`, body: text(lines(language)) };
  return { subject: `[${context.dialogue.en}] ${lead('en')} · ${lead('fr')}`, body: text([...lines('en'), '', languageHeading('fr'), '', ...lines('fr')]) };
}
