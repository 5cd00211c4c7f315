import { ApiError, createApiClient } from './api-client.js';
import { loadAttention, refreshAttention, resetAttention } from './attention-view.js';
import { renderCharts } from './charts-view.js';
import { countryNamer } from './country-names.js';
import { renderCoverage, resetCoverage, showCellRequests } from './coverage-view.js';
import { byId, showLoaded, showLoading, viewParts } from './dom.js';
import { followEvents } from './event-stream.js';
import { roleLabel } from './format.js';
import { language, t } from './i18n.js';
import { announce, clearError, showError } from './messages.js';
import { confirmEmail, loadEmail, resetEmail, saveEmail, saveLanguage, showCode, showPageIn } from './notifications-view.js';
import { renewCalendar, resetCalendar, showCalendar } from './calendar-view.js';
import { renderPipeline } from './pipeline-view.js';
import { clearSearch, search } from './search-view.js';
import { hideSubmissionForm, showSubmissionForm } from './submission-view.js';
import { loadCountries, resetInvite, sendInvitation, showInviteForm } from './invite-view.js';
import { resetSessions, showSessions } from './sessions-view.js';
import { addPasskey, resetPasskeys, showPasskeys } from './passkeys-view.js';
import { isSignInLink, setUpSignIn, showSignIn, showSingleSignOnRefusal, signInWithLink } from './sign-in-view.js';
import { closeRequest, openRequest, openRequestId, refreshTimeline, reloadTimeline } from './timeline-view.js';

/**
 * Who is signed in (their session cookie: GET /auth/session on load; sign-in-view.js for the ways in), signing out,
 * and what to load when. Each view loads on its own and shows itself as soon as its data arrives; live events
 * refresh the open timeline at once and the overview shortly after (several events in a row cost one refresh). The page is in one language (i18n.js); the switcher opens it in the other, and a person's
 * saved choice (GET /me) follows them from one browser to the next.
 */

const PAGE_SIZE = 100;
const OVERVIEW_REFRESH_DELAY_MS = 1_500;
const REQUEST_ROUTE = /^#request\/([0-9a-fA-F-]{36})$/;
/** The link in an address confirmation e-mail. */
const CONFIRM_EMAIL_ROUTE = /^#confirm-email\/([0-9]{6})$/;

const element = byId;
/** What the header says of the live stream, by its state (event-stream.js). */
const LIVE_STATES = { live: 'page.live.on', reconnecting: 'page.live.reconnecting', refused: 'page.live.off' };
const views = {
  pipeline: viewParts('pipeline'),
  attention: viewParts('attention'),
  coverage: viewParts('coverage'),
  charts: viewParts('charts'),
};

/** The signed-in session; null when signed out. Work started for an older session checks `current === session`. */
let session = null;

function onError(error, context) {
  if (error instanceof ApiError && error.status === 401 && session) {
    // The session ended meanwhile (signed out elsewhere, by an administrator, or idle): back to sign-in, with the API's reason.
    leave();
    showError(error, t('page.error.signedOut'));
    return;
  }
  showError(error, context);
}

function drawPipeline(current) {
  renderPipeline(views.pipeline, { counts: current.statistics.counts.byPhase, items: current.items, hasMore: current.cursor !== null }, () => loadOlder(current));
}

async function loadOverview(current) {
  showLoading(views.pipeline);
  showLoading(views.charts);
  const statistics = Promise.all([current.api.get('/statistics'), countryNamer(current.api)]).then(([result, countryName]) => {
    if (current === session) renderCharts(views.charts, result, countryName);
    return result;
  });
  const page = current.api.get(`/requests?limit=${PAGE_SIZE}`);
  const attention = loadAttention(views.attention, current.api, onError);
  try {
    const [stats, first] = await Promise.all([statistics, page]);
    if (current !== session) return;
    Object.assign(current, { statistics: stats, items: first.items, cursor: first.nextCursor });
    drawPipeline(current);
    await attention;
  } catch (error) {
    if (current !== session) return;
    for (const parts of [views.pipeline, views.charts]) showLoaded(parts, t('page.notLoaded'));
    onError(error, t('page.error.pipeline'));
  }
}

async function loadOlder(current) {
  try {
    const next = await current.api.get(`/requests?limit=${PAGE_SIZE}&cursor=${encodeURIComponent(current.cursor)}`);
    if (current !== session) return;
    Object.assign(current, { items: [...current.items, ...next.items], cursor: next.nextCursor });
    drawPipeline(current);
  } catch (error) {
    onError(error, t('page.error.olderRequests'));
  }
}

async function loadCoverage(current) {
  showLoading(views.coverage);
  try {
    const [coverage, countryName] = await Promise.all([current.api.get('/statistics/coverage'), countryNamer(current.api)]);
    if (current === session) {
      renderCoverage(views.coverage, coverage, (filter, label) => showCellRequests(current.api, filter, label, onError), countryName);
    }
  } catch (error) {
    if (current !== session) return;
    showLoaded(views.coverage, t('page.notLoaded'));
    onError(error, t('page.error.coverage'));
  }
}

/** After live events: counts, the first page, charts, coverage and who must act again. */
async function refreshOverview(current) {
  const requestsChanged = current.changed.size > 0;
  current.changed.clear();
  try {
    const [stats, first, countryName] = await Promise.all([current.api.get('/statistics'), current.api.get(`/requests?limit=${PAGE_SIZE}`), countryNamer(current.api)]);
    if (current !== session) return;
    const fresh = new Set(first.items.map((item) => item.id));
    current.statistics = stats;
    current.items = [...first.items, ...current.items.filter((item) => !fresh.has(item.id))];
    drawPipeline(current);
    renderCharts(views.charts, stats, countryName);
    await Promise.all([loadCoverage(current), ...(requestsChanged ? [refreshAttention(views.attention, current.api, onError)] : [])]);
  } catch (error) {
    if (current === session) onError(error, t('page.error.overview'));
  }
}

function onStreamEvent(current, streamEvent) {
  // The timeline's own status line is a live region: it tells what changed.
  refreshTimeline(current.api, streamEvent).catch((error) => {
    if (current === session) onError(error, t('page.error.timeline'));
  });
  current.changed.add(streamEvent.data.requestId);
  clearTimeout(current.refreshTimer);
  current.refreshTimer = setTimeout(() => void refreshOverview(current), OVERVIEW_REFRESH_DELAY_MS);
}

function onStreamState(current, state, refusal) {
  if (current !== session) return;
  element('live-state').textContent = t(LIVE_STATES[state]);
  if (state === 'refused') onError(new ApiError(401, refusal), t('page.live.stopped'));
  // Events may have happened while the connection was down: catch up once it is back.
  if (state === 'live' && current.wasLive) {
    void refreshOverview(current);
    reloadTimeline(current.api, t('page.live.reconnected')).catch((error) => onError(error, t('page.error.timeline')));
  }
  if (state === 'live') current.wasLive = true;
}

function route() {
  // An e-mail's link opened in a tab already open on the page.
  if (isSignInLink()) return void signInWithLink(signedIn);
  if (!session) return;
  const confirmation = CONFIRM_EMAIL_ROUTE.exec(location.hash);
  if (confirmation) {
    // Used once: a reload or a shared screen must not carry the code further.
    history.replaceState(null, '', location.pathname);
    void confirmFromLink(session, confirmation[1]);
    return;
  }
  const match = REQUEST_ROUTE.exec(location.hash);
  if (match) void openRequest(session.api, match[1].toLowerCase(), onError);
  else if (openRequestId() !== null) closeRequest();
}

async function confirmFromLink(current, code) {
  // After the address is shown, so that what GET /me said earlier cannot overwrite the confirmed one.
  await current.emailLoaded;
  if (current !== session) return;
  showCode(code);
  try {
    await confirmEmail(current.api, code);
  } catch (error) {
    if (current === session) onError(error, t('page.error.emailCode'));
  }
}

/**
 * The dashboard for whom GET /auth/session or a sign-in answered: `{ user, csrfToken }`. The CSRF token stays in
 * this page's memory, for the calls that change something; the session itself is the cookie.
 */
function start({ user, csrfToken }) {
  const controller = new AbortController();
  const api = createApiClient({ csrfToken, signal: controller.signal });
  const current = { api, user, controller, items: [], cursor: null, statistics: null, changed: new Set(), refreshTimer: null, wasLive: false, emailLoaded: null };
  session = current;
  element('sign-in').hidden = true;
  element('dashboard').hidden = false;
  element('account').hidden = false;
  element('signed-in-as').textContent = t('page.signIn.who', { name: user.name, role: roleLabel(user.role) });
  if (user.role === 'admin') showInviteForm();
  void loadOverview(current);
  void loadCoverage(current);
  current.emailLoaded = loadEmail(current.api).then(
    (me) => {
      if (current !== session) return;
      if (me.language && me.language !== language && !new URLSearchParams(location.search).has('lang')) {
        // The person chose a language (here or in another browser) that is not this page's: the page in theirs, once
        // (the address then names it, and the session cookie keeps them signed in). What was loading for this one stops.
        current.controller.abort();
        showPageIn(me.language, { replace: true });
        return;
      }
      const opened = (request) => {
        location.hash = `#request/${request.id}`;
        announce(t('page.newRequest.submitted'));
      };
      showSubmissionForm(current.api, me, opened, onError).catch((error) => onError(error, t('page.error.submissionForm')));
    },
    (error) => {
      if (current === session) onError(error, t('page.error.me'));
    },
  );
  void followEvents({
    signal: controller.signal,
    onEvent: (streamEvent) => onStreamEvent(current, streamEvent),
    onState: (state, refusal) => onStreamState(current, state, refusal),
  });
  route();
}

/** Signed in anew (a code, an e-mail's link): the dashboard, the focus on it. */
function signedIn(answer) {
  if (session) leave();
  clearError();
  start(answer);
  element('main').focus();
  announce(t('page.signIn.done'));
}

/** Back to the sign-in page; nothing of this person's data stays in the page for the next one. */
function leave() {
  if (!session) return;
  session.controller.abort();
  clearTimeout(session.refreshTimer);
  session = null;
  resetAttention();
  resetCoverage();
  resetEmail();
  resetCalendar();
  resetSessions();
  resetPasskeys();
  resetInvite();
  hideSubmissionForm();
  closeRequest();
  clearSearch();
  clearError();
  for (const parts of Object.values(views)) {
    parts.body.replaceChildren();
    showLoaded(parts);
  }
  element('search-q').value = '';
  element('sign-in-email').value = '';
  element('signed-in-as').textContent = '';
  element('live-state').textContent = t('page.live.connecting');
  element('dashboard').hidden = true;
  element('account').hidden = true;
  if (location.hash) history.replaceState(null, '', location.pathname);
  showSignIn();
}

/** Ends this browser's session (`POST /auth/sign-out`), or every one of the person's (`DELETE /me/sessions`). */
async function signOut(everywhere) {
  const current = session;
  if (!current) return;
  clearError();
  let ended = null;
  try {
    ended = everywhere ? (await current.api.del('/me/sessions')).ended : await current.api.post('/auth/sign-out');
  } catch (error) {
    // Already ended (elsewhere, or idle): signed out all the same. Anything else: still signed in, and told so.
    if (!(error instanceof ApiError && error.status === 401)) {
      if (current === session) showError(error, t('page.error.signOut'));
      return;
    }
  }
  if (current !== session) return;
  leave();
  announce(everywhere ? t('page.sessions.everywhereDone', { n: ended ?? 0 }) : t('page.signOut.done'));
}

element('sign-out').addEventListener('click', () => void signOut(false));
element('sign-out-everywhere').addEventListener('click', () => void signOut(true));
setUpSignIn(signedIn);

/** One setting of the person's (e-mail, calendar, sessions, an invitation) saved or shown on `eventName`; a refusal is shown with `context`, and the focus goes back to the field. */
function saveOn(id, eventName, save, context, fieldId) {
  element(id).addEventListener(eventName, async (event) => {
    event.preventDefault();
    if (!session) return;
    clearError();
    try {
      await save(session.api);
    } catch (error) {
      onError(error, context);
      element(fieldId).focus();
    }
  });
}
saveOn('email-form', 'submit', saveEmail, t('page.error.email'), 'email');
saveOn('email-code-form', 'submit', confirmEmail, t('page.error.emailCode'), 'email-code');
saveOn('email-language', 'change', saveLanguage, t('page.error.language'), 'email-language');
saveOn('calendar', 'toggle', showCalendar, t('page.error.calendar'), 'calendar-url');
saveOn('calendar-renew', 'click', renewCalendar, t('page.error.calendarRenewal'), 'calendar-url');
saveOn('sessions', 'toggle', (api) => showSessions(api, onError), t('page.error.sessions'), 'sign-out-everywhere');
saveOn('passkeys', 'toggle', (api) => showPasskeys(api, onError), t('page.error.passkeys'), 'passkey-name');
saveOn('passkey-form', 'submit', (api) => addPasskey(api, onError), t('page.error.passkeyAdd'), 'passkey-name');
saveOn('invite-details', 'toggle', loadCountries, t('page.error.countries'), 'invite-role');
saveOn('invite-form', 'submit', sendInvitation, t('page.invite.refused'), 'invite-name');
element('search-form').addEventListener('submit', (event) => {
  event.preventDefault();
  if (session) void search(session.api, element('search-q').value, onError);
});
window.addEventListener('hashchange', route);

// The page's language, and the other one on asking. Signed in, the choice is saved first (PUT /me/language): one
// preference for this page, the API's messages and the person's e-mails.
const pageLanguage = element('page-language');
pageLanguage.value = language;
pageLanguage.addEventListener('change', async () => {
  const chosen = pageLanguage.value;
  if (chosen === language) return;
  const current = session;
  if (current) {
    clearError();
    try {
      await current.api.put('/me/language', { language: chosen });
    } catch (error) {
      pageLanguage.value = language;
      if (current === session) onError(error, t('page.error.language'));
      pageLanguage.focus();
      return;
    }
  }
  showPageIn(chosen);
});

// Opened from an e-mail's link: signed in with it at once. Otherwise the session cookie, if any, says who is signed in
// (`user: null`: nobody; a session that ended meanwhile says so, as a 401).
if (isSignInLink()) void signInWithLink(signedIn);
else if (showSingleSignOnRefusal()) {
  // Sent back by the organisation's sign-in, refused: the reason is shown on the sign-in page.
} else {
  createApiClient()
    .get('/auth/session')
    .then((answer) => (answer.user ? start(answer) : showSignIn({ focus: false })), (error) => {
      showSignIn({ focus: false });
      if (error.code !== 'unauthenticated') showError(error, t('page.signIn.context'));
    });
}
