import { byId, h } from './dom.js';
import { dateTime } from './format.js';
import { t } from './i18n.js';
import { announce } from './messages.js';

/**
 * "Your sessions": the browsers signed in as the person (`GET /me/sessions`), each with where it was opened from, which
 * browser, when it was opened and last used, this one marked; and signing out of any other one (`DELETE
 * /me/sessions/{id}`). Signing out everywhere, this browser included, is main.js's (`DELETE /me/sessions`).
 */

const element = byId;

/**
 * Browsers by what their User-Agent says of them; the first that matches names it (Edge and Opera also say Chrome).
 * @type {Array<[RegExp, string]>}
 */
const BROWSERS = [
  [/\bEdg(?:e|A|iOS)?\/(\d+)/, 'Edge'],
  [/\bOPR\/(\d+)/, 'Opera'],
  [/\b(?:Firefox|FxiOS)\/(\d+)/, 'Firefox'],
  [/\b(?:Headless)?(?:Chrome|CriOS)\/(\d+)/, 'Chrome'],
  [/\bVersion\/(\d+).*\bSafari\//, 'Safari'],
];
/** @type {Array<[RegExp, string]>} */
const SYSTEMS = [
  [/Windows/, 'Windows'],
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Macintosh|Mac OS X/, 'macOS'],
  [/Android/, 'Android'],
  [/CrOS/, 'ChromeOS'],
  [/Linux/, 'Linux'],
];

/**
 * The browser as a person names it: "Firefox 128 on Windows", from the User-Agent it sent when the session was opened;
 * one this does not know, as it names itself, cut short.
 * @param {string} userAgent
 */
export function browserOf(userAgent) {
  const known = BROWSERS.map(([pattern, name]) => {
    const version = pattern.exec(userAgent)?.[1];
    return version ? `${name} ${version}` : null;
  }).find(Boolean);
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1];
  if (known && system) return t('page.sessions.browser', { browser: known, system });
  if (known || system) return known ?? system;
  return userAgent.trim() === '' ? t('page.sessions.unknownBrowser') : userAgent.slice(0, 60);
}

/** Lists the sessions each time the panel opens: they change elsewhere (another browser, an administrator). */
export async function showSessions(api, onError) {
  if (!element('sessions').open) return;
  const { items } = await api.get('/me/sessions');
  element('sessions-list').replaceChildren(
    ...items.map((session) => {
      const browser = browserOf(session.userAgent);
      const where = { browser, address: session.clientAddress };
      const end = async () => {
        try {
          await api.del(`/me/sessions/${session.sessionId}`);
          announce(t('page.sessions.ended', where));
          await showSessions(api, onError);
        } catch (error) {
          onError(error, t('page.error.sessionEnd'));
        }
      };
      return h(
        'li',
        { 'data-session-id': session.sessionId, 'data-current': session.current ? 'true' : null },
        h('strong', {}, browser),
        session.current ? [' ', h('span', { class: 'badge calm' }, t('page.sessions.thisBrowser'))] : null,
        h('span', { class: 'meta' }, t('page.sessions.where', { address: session.clientAddress })),
        h('span', { class: 'meta' }, t('page.sessions.when', { opened: dateTime(session.createdAt), used: dateTime(session.lastUsedAt) })),
        session.current ? null : h('button', { type: 'button', class: 'secondary', 'aria-label': t('page.sessions.endLabel', where), onclick: end }, t('page.sessions.end')),
      );
    }),
  );
}

export function resetSessions() {
  element('sessions-list').replaceChildren();
  element('sessions').open = false;
}
