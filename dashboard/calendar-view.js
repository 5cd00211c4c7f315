import { byId } from './dom.js';
import { t } from './i18n.js';
import { announce } from './messages.js';

/**
 * The address of the signed-in person's calendar feed (`GET /me/calendar`), to subscribe to in a calendar program,
 * and a new one on request (`POST /me/calendar/renewal`) when it went where it should not.
 */

const element = byId;

/** Fetched each time "Calendar" opens: the address follows whoever is signed in. */
export async function showCalendar(api) {
  if (!element('calendar').open) return;
  element('calendar-url').value = (await api.get('/me/calendar')).url;
  element('calendar-url').select();
}

export async function renewCalendar(api) {
  element('calendar-url').value = (await api.post('/me/calendar/renewal')).url;
  announce(t('page.calendar.renewed'));
}

export function resetCalendar() {
  element('calendar-url').value = '';
  element('calendar').open = false;
}
