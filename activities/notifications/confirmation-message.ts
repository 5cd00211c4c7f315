import type { Language, MailText, NotificationLinks } from './audiences';

/**
 * The e-mail that confirms an address a person gave themselves: the code to type in, and a link that types it for
 * them once they have signed in to the dashboard. In English and French, as every e-mail of the dialogue.
 */
export function confirmationMessage(input: { name: string; code: string; expiresAt: string; links: NotificationLinks; language: Language | null }): MailText {
  const { name, code, links, language } = input;
  const until = `${input.expiresAt.slice(0, 16).replace('T', ' ')} UTC`;
  const link = links.publicUrl ? `${links.publicUrl.replace(/\/+$/, '')}/dashboard#confirm-email/${code}` : null;
  const english = [
    `Your confirmation code is ${code}.`,
    '',
    `Someone signed in as ${name} asked for notifications about capacity-building requests of the Rabat Process to come to this address.`,
    link
      ? `To confirm, open ${link} and sign in, or type the code under "E-mail notifications" in the dashboard, before ${until}.`
      : `To confirm, type the code under "E-mail notifications" in the dashboard before ${until}.`,
    'If it was not you, ignore this e-mail: nothing will be sent to this address.',
  ];
  const french = [
    `Votre code de confirmation est ${code}.`,
    '',
    `Une personne connectée en tant que ${name} a demandé à recevoir à cette adresse les notifications sur les demandes de renforcement des capacités du Processus de Rabat.`,
    link
      ? `Pour confirmer, ouvrez ${link} et connectez-vous, ou saisissez le code sous « E-mail notifications » dans le tableau de bord, avant le ${until}.`
      : `Pour confirmer, saisissez le code sous « E-mail notifications » dans le tableau de bord avant le ${until}.`,
    "Si ce n'était pas vous, ignorez ce courriel : rien ne sera envoyé à cette adresse.",
  ];
  const text = (lines: string[]) => `${lines.join('\n')}\n`;
  if (language === 'en') return { subject: '[Rabat Process] Confirm your address', body: text(english) };
  if (language === 'fr') return { subject: '[Processus de Rabat] Confirmez votre adresse', body: text(french) };
  return { subject: '[Rabat Process] Confirm your address · Confirmez votre adresse', body: text([...english, '', '— Français —', '', ...french]) };
}
