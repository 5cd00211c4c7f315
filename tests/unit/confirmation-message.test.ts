import { describe, expect, it } from 'vitest';
import { confirmationMessage } from '../../activities/notifications/confirmation-message';
import { RABAT_PROCESS } from '../../config/dialogue';

const input = { name: 'Awa Diop', code: '123456', expiresAt: '2027-03-12T17:05:33.000Z', context: { dialogue: RABAT_PROCESS, publicUrl: 'https://capacity.example.org/' } };

describe('the e-mail that confirms an address', () => {
  it('speaks the language the person chose, and names the dashboard’s section as their page does', () => {
    const french = confirmationMessage({ ...input, language: 'fr' });
    expect(french.subject).toBe('[Processus de Rabat] Confirmez votre adresse');
    expect(french.body).toBe(
      [
        'Votre code de confirmation est 123456.',
        '',
        'Une personne connectée en tant que Awa Diop a demandé à recevoir à cette adresse les notifications « Processus de Rabat » sur les demandes de renforcement des capacités.',
        'Pour confirmer, ouvrez https://capacity.example.org/dashboard#confirm-email/123456 et connectez-vous, ou saisissez le code sous « Notifications par courriel » dans le tableau de bord, avant le 12 mars 2027 à 17:05 UTC.',
        "Si ce n'était pas vous, ignorez ce courriel : rien ne sera envoyé à cette adresse.",
        '',
      ].join('\n'),
    );
    const english = confirmationMessage({ ...input, context: { ...input.context, publicUrl: null }, language: 'en' });
    expect(english.body).toContain('To confirm, type the code under "E-mail notifications" in the dashboard before 12 March 2027 at 17:05 UTC.');
  });

  it('comes in English then French to a person who chose no language', () => {
    const both = confirmationMessage({ ...input, language: null });
    expect(both.subject).toBe('[Rabat Process] Confirm your address · Confirmez votre adresse');
    const [english, french] = both.body.split('\n— Français —\n');
    expect(english).toContain('Your confirmation code is 123456.');
    expect(english).toContain('capacity-building requests of the Rabat Process to come to this address.');
    expect(french).toContain('Votre code de confirmation est 123456.');
  });
});
