import type { Language, MailText } from './audiences';
import type { MailContext } from './mail-context';

/**
 * The e-mail that confirms an address a person gave themselves: the code to type in, and a link that types it for
 * them once they have signed in to the dashboard. In English and French, as every e-mail of the dialogue.
 */
export function confirmationMessage(input: { name: string; code: string; expiresAt: string; context: MailContext; language: Language | null }): MailText {
  const { name, code, context, language } = input;
  const { dialogue } = context;
  const until = `${input.expiresAt.slice(0, 16).replace('T', ' ')} UTC`;
  const link = context.publicUrl ? `${context.publicUrl.replace(/\/+$/, '')}/dashboard#confirm-email/${code}` : null;
  const english = [
    `Your confirmation code is ${code}.`,
    '',
    `Someone signed in as ${name} asked for notifications about capacity-building requests of the ${dialogue.en} to come to this address.`,
    link
      ? `To confirm, open ${link} and sign in, or type the code under "E-mail notifications" in the dashboard, before ${until}.`
      : `To confirm, type the code under "E-mail notifications" in the dashboard before ${until}.`,
    'If it was not you, ignore this e-mail: nothing will be sent to this address.',
  ];
  const french = [
    `Votre code de confirmation est ${code}.`,
    '',
    `Une personne connectée en tant que ${name} a demandé à recevoir à cette adresse les notifications « ${dialogue.fr} » sur les demandes de renforcement des capacités.`,
    link
      ? `Pour confirmer, ouvrez ${link} et connectez-vous, ou saisissez le code sous « E-mail notifications » dans le tableau de bord, avant le ${until}.`
      : `Pour confirmer, saisissez le code sous « E-mail notifications » dans le tableau de bord avant le ${until}.`,
    "Si ce n'était pas vous, ignorez ce courriel : rien ne sera envoyé à cette adresse.",
  ];
  const text = (lines: string[]) => `${lines.join('\n')}\n`;
  if (language === 'en') return { subject: `[${dialogue.en}] Confirm your address`, body: text(english) };
  if (language === 'fr') return { subject: `[${dialogue.fr}] Confirmez votre adresse`, body: text(french) };
  return { subject: `[${dialogue.en}] Confirm your address · Confirmez votre adresse`, body: text([...english, '', '— Français —', '', ...french]) };
}
