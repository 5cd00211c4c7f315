import { h } from './dom.js';
import { isCancelled } from './api-client.js';
import { t } from './i18n.js';

/**
 * The two ways the page speaks: the alert region (role="alert") for what went wrong, with the API's message,
 * and a polite live region for what changed.
 */

const alertRegion = () => document.getElementById('alert');

export function showError(error, context) {
  if (isCancelled(error)) return;
  alertRegion().replaceChildren(
    alertBox(error, context, h('button', { type: 'button', class: 'secondary', onclick: dismiss }, t('page.alert.dismiss'))),
  );
}

/**
 * What went wrong, as the alert region and a form's own error say it: the context, the API's message (`message`,
 * when the caller words it otherwise), the HTTP status and the request's reference for whoever helps.
 */
export function alertBox(error, context, ...after) {
  const details = [
    error.status ? t('page.alert.status', { status: error.status }) : null,
    error.requestId ? t('page.alert.requestId', { id: error.requestId }) : null,
  ].filter(Boolean);
  return h(
    'div',
    { class: 'alert-box' },
    h('p', {}, context ? [h('strong', {}, t('page.alert.context', { context })), ' '] : null, error.message ?? String(error)),
    details.length > 0 ? h('p', { class: 'alert-details' }, details.join(' · ')) : null,
    ...after,
  );
}

function dismiss() {
  clearError();
  // The button that had the focus is gone: give it to the page's content rather than lose it.
  document.getElementById('main').focus();
}

export function clearError() {
  alertRegion().replaceChildren();
}

export function announce(text) {
  const region = document.getElementById('announcer');
  // Emptying first makes a repeated message be announced again.
  region.textContent = '';
  setTimeout(() => {
    region.textContent = text;
  }, 50);
}
