import { byId, h } from './dom.js';
import { dateTime, roleLabel } from './format.js';
import { locale, t } from './i18n.js';
import { announce } from './messages.js';
import { countryNames } from './country-names.js';

/**
 * For administrators: inviting a person (`POST /admin/invitations`). The person gets an e-mail whose link signs them in
 * once, with the role given here and, for the roles that speak for a member of the dialogue, its country.
 */

const element = byId;
const ROLES = ['partner', 'secretariat', 'sc_member', 'chair', 'monitor', 'admin'];
/** The roles that speak for a country (workflows/request-model.ts, COUNTRY_BOUND_ROLES). */
const COUNTRY_ROLES = new Set(['partner', 'sc_member']);

const showCountry = () => {
  element('invite-country-field').hidden = !COUNTRY_ROLES.has(element('invite-role').value);
};

/** Shows the form (an administrator is signed in); its roles in the page's language, as a menu starts a sentence. */
export function showInviteForm() {
  const roles = element('invite-role');
  if (roles.options.length === 0) {
    roles.append(...ROLES.map((role) => h('option', { value: role }, roleLabel(role).replace(/^./, (first) => first.toLocaleUpperCase(locale)))));
    roles.addEventListener('change', showCountry);
  }
  showCountry();
  element('invite').hidden = false;
}

/** The dialogue's members, once, as the form first opens (GET /countries), by their name in the page's language. */
export async function loadCountries(api) {
  const menu = element('invite-country');
  if (!element('invite-details').open || menu.options.length > 1) return;
  const members = [...(await countryNames(api))].sort(([, a], [, b]) => a.localeCompare(b, locale));
  menu.append(...members.map(([code, name]) => h('option', { value: code }, `${name} (${code})`)));
}

/** Sends the invitation; the API's refusal (an address in use, a missing country) is thrown as is. */
export async function sendInvitation(api) {
  const role = element('invite-role').value;
  const invitation = {
    name: element('invite-name').value.trim(),
    email: element('invite-email').value.trim(),
    role,
    country: COUNTRY_ROLES.has(role) ? element('invite-country').value || null : null,
    language: element('invite-language').value || null,
  };
  const invited = await api.post('/admin/invitations', invitation);
  element('invite-form').reset();
  showCountry();
  const sent = t('page.invite.sent', { name: invitation.name, email: invitation.email, until: dateTime(invited.expiresAt) });
  element('invite-status').textContent = sent;
  announce(sent);
  element('invite-name').focus();
}

export function resetInvite() {
  element('invite-form').reset();
  element('invite-status').textContent = '';
  element('invite-details').open = false;
  element('invite').hidden = true;
}
