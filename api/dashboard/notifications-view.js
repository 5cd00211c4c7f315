import { announce } from './messages.js';

/**
 * The signed-in person's own e-mail address for notifications (`GET /me`, `PUT /me/email`): the one thing the
 * dashboard lets people change, as it concerns only themselves.
 */

const field = () => document.getElementById('email');

export async function loadEmail(api) {
  const me = await api.get('/me');
  field().value = me.email ?? '';
}

/** Saves what the field holds; empty removes the address. The API's refusal (a bad address) is thrown as is. */
export async function saveEmail(api) {
  const typed = field().value.trim();
  const me = await api.put('/me/email', { email: typed === '' ? null : typed });
  field().value = me.email ?? '';
  announce(me.email ? `Notifications go to ${me.email}.` : 'No more e-mail notifications.');
}

export function resetEmail() {
  field().value = '';
  document.getElementById('notify').open = false;
}
