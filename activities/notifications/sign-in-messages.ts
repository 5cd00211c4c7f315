import type { Language } from '../../i18n/languages';
import { translate, translatorFor } from '../../i18n/messages';
import type { MailText } from './audiences';
import type { MailContext } from './mail-context';
import { languageHeading } from './language-heading';
import { mailMoment } from './mail-moment';

/**
 * The e-mails that let a person in (README, "Signing in"): an administrator's invitation, and the link and short code
 * a person asks for. In the person's language, or in English then French for a person who chose none, as every
 * e-mail of the dialogue. The secret rides in the link's fragment (`#…`): browsers never send it to a server, so it
 * reaches no log, and a mail scanner that fetches the link spends nothing.
 */

const dashboardPage = (context: MailContext) => `${(context.publicUrl ?? 'http://127.0.0.1:3000').replace(/\/+$/, '')}/dashboard`;
const dashboardLink = (context: MailContext, fragment: string) => `${dashboardPage(context)}#${fragment}`;

function bilingual(context: MailContext, language: Language | null, lead: (language: Language) => string, lines: (language: Language) => string[]): MailText {
  const text = (all: string[]) => `${all.join('\n')}\n`;
  if (language) return { subject: `[${context.dialogue[language]}] ${lead(language)}`, body: text(lines(language)) };
  return { subject: `[${context.dialogue.en}] ${lead('en')} · ${lead('fr')}`, body: text([...lines('en'), '', languageHeading('fr'), '', ...lines('fr')]) };
}

/** `invitedBy`: the administrator's name; null (the CLI) names the Secretariat. */
export function invitationMessage(input: { name: string; invitedBy: string | null; secret: string; expiresAt: string; context: MailContext; language: Language | null }): MailText {
  const link = dashboardLink(input.context, `invitation=${input.secret}`);
  return bilingual(input.context, input.language, (language) => translate(language, 'mail.invitation.lead', { dialogue: input.context.dialogue[language] }), (language) => {
    const say = translatorFor(language);
    return [
      say('mail.invitation.hello', { name: input.name }),
      '',
      input.invitedBy
        ? say('mail.invitation.invited', { by: input.invitedBy, dialogue: input.context.dialogue[language] })
        : say('mail.invitation.invitedBySecretariat', { dialogue: input.context.dialogue[language] }),
      say('mail.invitation.how', { link, until: mailMoment(input.expiresAt, language) }),
      say('mail.invitation.later'),
      say('mail.signIn.notYou'),
    ];
  });
}

export function signInMessage(input: { name: string; secret: string; code: string; expiresAt: string; context: MailContext; language: Language | null }): MailText {
  const link = dashboardLink(input.context, `sign-in=${input.secret}`);
  return bilingual(input.context, input.language, (language) => translate(language, 'mail.signIn.lead'), (language) => {
    const say = translatorFor(language);
    return [
      say('mail.signIn.link', { link }),
      '',
      say('mail.signIn.code', { code: input.code }),
      say('mail.signIn.until', { until: mailMoment(input.expiresAt, language) }),
      say('mail.signIn.notYou'),
    ];
  });
}

/**
 * To a person whose role signs in with a passkey or single sign-on only (STRONG_SIGN_IN_ROLES) who asked for a
 * sign-in e-mail: how they do sign in, and no link or code, which their role may not use.
 */
export function strongSignInOnlyMessage(input: { name: string; context: MailContext; language: Language | null }): MailText {
  const page = dashboardPage(input.context);
  return bilingual(input.context, input.language, (language) => translate(language, 'mail.strongSignIn.lead'), (language) => {
    const say = translatorFor(language);
    return [say('mail.invitation.hello', { name: input.name }), '', say('mail.strongSignIn.how', { page }), say('mail.strongSignIn.lost'), say('mail.strongSignIn.notYou')];
  });
}
