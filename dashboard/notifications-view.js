import { byId } from './dom.js';
import { language, t } from './i18n.js';
import { announce } from './messages.js';

/**
 * The signed-in person's own e-mail address for notifications (`GET /me`, `PUT /me/email`, `POST
 * /me/email/confirmation`), and their language (`PUT /me/language`): one choice for this page and their e-mails. A new
 * address is used once its code, e-mailed to it, is typed here or arrives through the e-mail's link.
 */

const element = byId;

/**
 * The same page in `chosen` (the server renders it in the language `?lang=` names), at the same place (the hash: an
 * open request stays open). The session cookie keeps the person signed in. `replace`: the page
 * the person did not choose leaves no entry in the history.
 */
export function showPageIn(chosen, { replace = false } = {}) {
  const address = new URL(location.href);
  address.searchParams.set('lang', chosen);
  if (replace) location.replace(address);
  else location.assign(address);
}

/** What GET /me says: the address in use, one waiting for its code, and whether this server sends e-mail at all. */
function show(me) {
  const pending = me.pendingEmail;
  element('email').value = pending?.address ?? me.email ?? '';
  element('email-code-form').hidden = !pending;
  if (pending) element('email-code-label').textContent = t('page.email.codeTo', { address: pending.address });
  element('email-status').textContent = statusOf(me);
  element('email-language').value = me.language ?? '';
}

function statusOf(me) {
  if (!me.emailEnabled) return t('page.email.off');
  const inUse = me.email ? t('page.email.inUse', { address: me.email }) : t('page.email.none');
  return me.pendingEmail ? t('page.email.pending', { inUse, address: me.pendingEmail.address }) : inUse;
}

/** Shows the person's addresses; returns who they are (GET /me), for the views that depend on the role. */
export async function loadEmail(api) {
  const me = await api.get('/me');
  show(me);
  return me;
}

/** Saves what the field holds; empty removes the address. The API's refusal (a bad address) is thrown as is. */
export async function saveEmail(api) {
  const typed = element('email').value.trim();
  const me = await api.put('/me/email', { email: typed === '' ? null : typed });
  show(me);
  if (me.pendingEmail) {
    element('email-code').value = '';
    element('email-code').focus();
    announce(t('page.email.codeSent', { address: me.pendingEmail.address }));
  } else {
    announce(me.email ? t('page.email.inUse', { address: me.email }) : t('page.email.stopped'));
  }
}

/** Confirms the address waiting for its code: the code typed, or the one an e-mail's link carries. */
export async function confirmEmail(api, code = element('email-code').value.trim()) {
  const me = await api.post('/me/email/confirmation', { code });
  element('email-code').value = '';
  show(me);
  announce(t('page.email.confirmed', { address: me.email }));
}

/** Opens the e-mail settings with a code in the field, for the person to see what is being confirmed. */
export function showCode(code) {
  element('notify').open = true;
  element('email-code').value = code;
}

/**
 * Saves the person's language as soon as it is chosen: their e-mails', and this page's — a language other than the
 * page's opens the page in it.
 */
export async function saveLanguage(api) {
  const me = await api.put('/me/language', { language: element('email-language').value || null });
  if (me.language && me.language !== language) {
    showPageIn(me.language);
    return;
  }
  show(me);
  announce(me.language ? t('page.email.languageSaved', { language: me.language }) : t('page.email.languageCleared'));
}

export function resetEmail() {
  element('email').value = '';
  element('email-code').value = '';
  element('email-code-form').hidden = true;
  element('email-status').textContent = '';
  element('email-language').value = '';
  element('notify').open = false;
}
