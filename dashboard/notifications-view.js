import { byId } from './dom.js';
import { announce } from './messages.js';

/**
 * The signed-in person's own e-mail address for notifications (`GET /me`, `PUT /me/email`, `POST
 * /me/email/confirmation`). A new address is used once its code, e-mailed to it, is typed here or arrives through
 * the e-mail's link.
 */

const element = byId;

/** What GET /me says: the address in use, one waiting for its code, and whether this server sends e-mail at all. */
function show(me) {
  const pending = me.pendingEmail;
  element('email').value = pending?.address ?? me.email ?? '';
  element('email-code-form').hidden = !pending;
  if (pending) element('email-code-label').textContent = `The code e-mailed to ${pending.address}`;
  element('email-status').textContent = statusOf(me);
  element('email-language').value = me.language ?? '';
}

function statusOf(me) {
  if (!me.emailEnabled) return 'This server sends no e-mail: an administrator turns it on.';
  const inUse = me.email ? `Notifications go to ${me.email}.` : 'No e-mail notifications.';
  return me.pendingEmail ? `${inUse} Type the code sent to ${me.pendingEmail.address} to use it instead.` : inUse;
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
    announce(`A code was e-mailed to ${me.pendingEmail.address}. Type it to confirm the address.`);
  } else {
    announce(me.email ? `Notifications go to ${me.email}.` : 'No more e-mail notifications.');
  }
}

/** Confirms the address waiting for its code: the code typed, or the one an e-mail's link carries. */
export async function confirmEmail(api, code = element('email-code').value.trim()) {
  const me = await api.post('/me/email/confirmation', { code });
  element('email-code').value = '';
  show(me);
  announce(`Confirmed. Notifications go to ${me.email}.`);
}

/** Opens the e-mail settings with a code in the field, for the person to see what is being confirmed. */
export function showCode(code) {
  element('notify').open = true;
  element('email-code').value = code;
}

/** Saves the language chosen for e-mails, as soon as it is chosen. */
export async function saveLanguage(api) {
  const me = await api.put('/me/language', { language: element('email-language').value || null });
  show(me);
  announce(me.language ? `Your e-mails come in ${me.language === 'fr' ? 'French' : 'English'} only.` : 'Your e-mails come in English, then French.');
}

export function resetEmail() {
  element('email').value = '';
  element('email-code').value = '';
  element('email-code-form').hidden = true;
  element('email-status').textContent = '';
  element('email-language').value = '';
  element('notify').open = false;
}
