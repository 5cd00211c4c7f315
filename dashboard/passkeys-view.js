import { byId, h } from './dom.js';
import { dateTime } from './format.js';
import { t } from './i18n.js';
import { announce } from './messages.js';

/**
 * Passkeys (README, "Signing in"): signing in with one alone (`POST /auth/passkey/options`, then `POST /auth/passkey`),
 * and, signed in, the header's "Passkeys": the person's list of them, adding one (`POST /me/passkeys/options`, then `POST
 * /me/passkeys`) and removing one (`DELETE /me/passkeys/{id}`). The browser's half of WebAuthn is the vendored
 * @simplewebauthn/browser, fetched only when a passkey is used: the first load stays light.
 */

const element = byId;
const WEBAUTHN_URL = '/dashboard/simplewebauthn-browser.js';
/** @returns {Promise<typeof import('@simplewebauthn/browser')>} */
const webauthn = () => import(WEBAUTHN_URL);

/** The browser offers the passkeys it holds for this site; the one chosen signs in. Resolves with the API's answer (a session). */
export async function signInWithPasskey(anonymous) {
  const [{ startAuthentication }, optionsJSON] = await Promise.all([webauthn(), anonymous.post('/auth/passkey/options')]);
  const response = await startAuthentication({ optionsJSON });
  return anonymous.post('/auth/passkey', { response });
}

/** The person's passkeys, listed each time the panel opens. */
export async function showPasskeys(api, onError) {
  if (!element('passkeys').open) return;
  const { items } = await api.get('/me/passkeys');
  element('passkeys-list').replaceChildren(
    ...(items.length === 0 ? [h('li', { class: 'meta' }, t('page.passkeys.none'))] : []),
    ...items.map((passkey) => {
      const name = passkey.name || t('page.passkeys.unnamed');
      const remove = async () => {
        try {
          await api.del(`/me/passkeys/${passkey.passkeyId}`);
          announce(t('page.passkeys.removed', { name }));
          await showPasskeys(api, onError);
        } catch (error) {
          onError(error, t('page.error.passkeyRemove'));
        }
      };
      return h(
        'li',
        { 'data-passkey-id': passkey.passkeyId },
        h('strong', {}, name),
        h('span', { class: 'meta' }, t('page.passkeys.when', { added: dateTime(passkey.createdAt), used: passkey.lastUsedAt ? dateTime(passkey.lastUsedAt) : 'never' })),
        h('button', { type: 'button', class: 'secondary', 'aria-label': t('page.passkeys.removeLabel', { name }), onclick: remove }, t('page.passkeys.remove')),
      );
    }),
  );
}

/** Makes a passkey with this browser's authenticator and adds it, with the name typed (if any). */
export async function addPasskey(api, onError) {
  const [{ startRegistration }, optionsJSON] = await Promise.all([webauthn(), api.post('/me/passkeys/options')]);
  const response = await startRegistration({ optionsJSON });
  const name = element('passkey-name').value.trim();
  await api.post('/me/passkeys', name ? { response, name } : { response });
  element('passkey-name').value = '';
  announce(t('page.passkeys.added'));
  await showPasskeys(api, onError);
}

export function resetPasskeys() {
  element('passkeys-list').replaceChildren();
  element('passkey-name').value = '';
  element('passkeys').open = false;
}
