import { createApiClient } from './api-client.js';
import { byId, h } from './dom.js';
import { has, t } from './i18n.js';
import { announce, clearError, showError } from './messages.js';
import { signInWithPasskey } from './passkeys-view.js';

/**
 * Signing in as people do elsewhere (README, "Signing in"): the person gives their address and the API e-mails them a
 * single-use link and a six-digit code (`POST /auth/email`); the link opens this page, which signs in with it at
 * once, and the code is typed here, for mail read on another device. An administrator's invitation is such a link
 * too. Signed in, the browser holds a session cookie no script reads (HttpOnly): nothing is kept in the page's
 * storage. API tokens are for scripts and integrations; the page asks for none.
 */

const element = byId;
/** The links of the e-mails. The secret rides in the fragment, which browsers send to no server. */
const LINK_ROUTE = /^#(sign-in|invitation)=([\w-]{43})$/;
const CODE = /^\d{6}$/;

/** No session yet: the sign-in calls are public, and need no CSRF token. */
const anonymous = createApiClient();
/** The address the last e-mail was asked for: the code is checked against it. */
let address = '';

/** The sign-in page at its first step, the address field (focused, unless told otherwise). */
export function showSignIn({ focus = true } = {}) {
  element('sign-in').hidden = false;
  element('sign-in-check').hidden = true;
  element('sign-in-form').hidden = false;
  element('sign-in-code').value = '';
  if (focus) element('sign-in-email').focus();
}

/** A refused single sign-on comes back as its error's code alone (api/routes/single-sign-on.ts); the page words it. */
const SINGLE_SIGN_ON_REFUSAL = /^#sign-in-error=single_sign_on_([a-z_]{1,40})$/;

/** Whether the page's address is an e-mail's link (a sign-in link, an invitation). */
export const isSignInLink = () => LINK_ROUTE.test(location.hash);

/**
 * Signs in with the link the page was opened with: first out of the address bar and the history (a reload, a
 * shared screen or the back button must not carry it further), then `onSignedIn(answer)`. A link used or expired
 * says so, in the API's words, above the address form to ask for a new one.
 */
export async function signInWithLink(onSignedIn) {
  const [, kind, secret] = LINK_ROUTE.exec(location.hash) ?? [];
  if (!secret) return;
  history.replaceState(null, '', location.pathname + location.search);
  try {
    onSignedIn(kind === 'invitation' ? await anonymous.post('/auth/invitation', { invitation: secret }) : await anonymous.post('/auth/email/link', { link: secret }));
  } catch (error) {
    showSignIn();
    showError(error, t('page.signIn.refused'));
  }
}

/**
 * Shows why the organisation's sign-in was refused, when the page was sent back with its reason; true if it was. The
 * reason leaves the address bar, as an e-mail's link does.
 */
export function showSingleSignOnRefusal() {
  const reason = SINGLE_SIGN_ON_REFUSAL.exec(location.hash)?.[1];
  if (!reason) return false;
  history.replaceState(null, '', location.pathname + location.search);
  const key = has(`error.singleSignOn.${reason}`) ? `error.singleSignOn.${reason}` : 'error.singleSignOn.failed';
  showSignIn();
  showError(new Error(t(key)), t('page.signIn.refused'));
  return true;
}

/**
 * "Sign in with …", one link per single sign-on provider of the deployment (GET /auth/providers): a navigation, not
 * a call, since the provider's own page takes over. None configured: nothing shown.
 */
async function showProviders() {
  const { items } = await anonymous.get('/auth/providers');
  if (items.length === 0) return;
  element('sign-in-providers').replaceChildren(
    h('p', {}, t('page.signIn.orProvider')),
    h('ul', { class: 'providers' }, items.map((provider) => h('li', {}, h('a', { class: 'button', href: `/auth/oidc/${encodeURIComponent(provider.id)}` }, t('page.signIn.withProvider', { name: provider.name }))))),
  );
  element('sign-in-providers').hidden = false;
}

/** The two forms of the sign-in page: the address (an e-mail is sent), then the code; `onSignedIn(answer)`. */
export function setUpSignIn(onSignedIn) {
  showProviders().catch((error) => showError(error, t('page.signIn.noProviders')));
  let busy = false;
  /** One call at a time; a refusal is shown with `context`, the focus back in `fieldId`. */
  const onSubmit = (formId, send, context, fieldId) =>
    element(formId).addEventListener('submit', async (event) => {
      event.preventDefault();
      if (busy) return;
      busy = true;
      clearError();
      try {
        await send();
      } catch (error) {
        showError(error, context);
        element(fieldId).focus();
      } finally {
        busy = false;
      }
    });

  onSubmit(
    'sign-in-form',
    async () => {
      address = element('sign-in-email').value.trim();
      // The same answer for any address: the API does not say who has an account.
      const { message } = await anonymous.post('/auth/email', { email: address });
      element('sign-in-form').hidden = true;
      element('sign-in-check').hidden = false;
      element('sign-in-sent').textContent = message;
      element('sign-in-code').value = '';
      element('sign-in-code').focus();
      announce(message);
    },
    t('page.signIn.notSent'),
    'sign-in-email',
  );
  onSubmit(
    'sign-in-code-form',
    async () => {
      const code = element('sign-in-code').value.replace(/\s/g, '');
      if (!CODE.test(code)) throw new Error(t('page.signIn.codeShape'));
      onSignedIn(await anonymous.post('/auth/email/code', { email: address, code }));
    },
    t('page.signIn.refused'),
    'sign-in-code',
  );
  element('sign-in-passkey').addEventListener('click', async () => {
    if (busy) return;
    busy = true;
    clearError();
    try {
      onSignedIn(await signInWithPasskey(anonymous));
    } catch (error) {
      showError(error, t('page.signIn.passkeyFailed'));
    } finally {
      busy = false;
    }
  });
  element('sign-in-again').addEventListener('click', () => {
    clearError();
    showSignIn();
  });
}
