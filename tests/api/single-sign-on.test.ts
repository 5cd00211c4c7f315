import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import type { Page } from 'playwright-core';
import { ATTEMPT_COOKIE, openAttempt, sealAttempt, type SignInAttempt } from '../../api/single-sign-on/attempt-cookie';
import { invitePerson } from '../../db/sign-in-repository';
import { translate } from '../../i18n/messages';
import { launchChromium, screenshotPath, type Chromium } from '../dashboard/browser';
import { startOpenIdProvider, type TestOpenIdProvider } from '../support/openid-provider';
import { startTestSystem, type TestSystem } from '../support/test-system';
import { waitFor } from '../support/wait-for';

/**
 * Single sign-on with OpenID Connect, against a real provider on the loopback (oidc-provider, its own login and
 * consent pages), the real API, Postgres, and Chromium: a person invited with an address signs in with their
 * organisation's account and lands on the dashboard with a session. Then the probes — a replayed callback, a forged
 * state, a state from another browser, a wrong nonce, an unverified address, an address no one was invited with, a
 * provider down — each refused, with no session opened, and no code, state or nonce in the log or the
 * administrators' log.
 */

const ACCOUNTS = {
  // The provider spells the address in capitals where the invitation did not: mail systems ignore case, so do we.
  amina: { email: 'Amina.Diallo@Interieur.Test', email_verified: true, name: 'Amina Diallo' },
  moussa: { email: 'moussa.sow@interieur.test', email_verified: false },
  stranger: { email: 'someone.else@interieur.test', email_verified: true },
};
const INVITED = [
  { name: 'Amina Diallo', email: 'amina.diallo@interieur.test' },
  { name: 'Moussa Sow', email: 'moussa.sow@interieur.test' },
];

let provider: TestOpenIdProvider;
let system: TestSystem;
let chromium: Chromium;
let baseUrl: string;
const logLines: string[] = [];
/** Every code, state, nonce and code verifier the run saw: none may be in a log. */
const secretsSeen: string[] = [];

beforeAll(async () => {
  provider = await startOpenIdProvider(ACCOUNTS);
  system = await startTestSystem({
    // The address each call came to: the browser's http://127.0.0.1:<port>, where cookies are not Secure.
    publicUrl: null,
    singleSignOn: [
      { id: 'ministry', name: 'Ministère de l’Intérieur', issuer: provider.issuer, clientId: provider.clientId, clientSecret: provider.clientSecret },
      // Nothing listens on port 1: a provider that is down.
      { id: 'down', name: 'Ministry of Foreign Affairs', issuer: 'http://127.0.0.1:1', clientId: 'x', clientSecret: 'y' },
    ],
    logStream: { write: (line: string) => void logLines.push(line) },
  });
  baseUrl = await system.app.listen({ host: '127.0.0.1', port: 0 });
  provider.allowRedirectTo(`${baseUrl}/auth/oidc/ministry/callback`);
  for (const person of INVITED) {
    await invitePerson(system.database.db, { ...person, role: 'partner', country: 'SN', language: null }, 'test admin', () => ({ subject: 'Invitation', body: '…' }));
  }
  chromium = await launchChromium();
  // Nothing beyond the loopback (the provider's pages import a web font).
  await chromium.context.route((url) => url.hostname !== '127.0.0.1', (route) => route.abort());
});
afterAll(async () => {
  await chromium?.close();
  await system?.stop();
  await provider?.stop();
});

const count = async (sql: string) => Number((await system.database.pool.query<{ n: string }>(`select count(*) as n from ${sql}`)).rows[0]!.n);
const sessionCount = () => count('sessions');
const lastFailure = async () =>
  (await system.database.pool.query<{ actor_name: string; payload: Record<string, unknown> }>(`select actor_name, payload from admin_events where type = 'sign_in_failed' order by id desc limit 1`)).rows[0];

/** Logs in at the provider's pages as `login` and consents; the browser then goes back to the API's callback. */
async function throughProvider(page: Page, login: string): Promise<void> {
  await page.goto(`${baseUrl}/auth/oidc/ministry`);
  await page.fill('input[name=login]', login);
  await page.fill('input[name=password]', 'any password');
  await page.click('button[type=submit]');
  await page.click('button:has-text("Continue")');
}

/** The sealed attempt this browser holds, as its cookie jar keeps it (HttpOnly: no script of a page reads it). */
async function attemptCookie(): Promise<string> {
  const cookie = (await chromium.context.cookies(`${baseUrl}/auth/oidc/ministry/callback`)).find((c) => c.name === ATTEMPT_COOKIE);
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/auth/oidc/' });
  return cookie!.value;
}

const opened = (cookie: string): SignInAttempt => openAttempt(system.keyring, decodeURIComponent(cookie))!;

function remember(callbackUrl: string, cookie: string) {
  const url = new URL(callbackUrl);
  const attempt = opened(cookie);
  secretsSeen.push(url.searchParams.get('code')!, url.searchParams.get('state')!, attempt.nonce, attempt.codeVerifier);
}

/**
 * A sign-in taken to the provider and back, stopped before the callback reaches the API: its address, and the cookie
 * the browser would have sent with it. The callback is a redirect of the provider's, which a page's route does not
 * see: the consent's answer and the provider's own redirects are followed here instead, with the browser's cookies.
 */
async function stoppedAtCallback(login: string): Promise<{ url: string; cookie: string }> {
  await chromium.context.clearCookies();
  const page = await chromium.context.newPage();
  let url = '';
  await page.route(
    (address) => address.origin === provider.issuer && address.pathname.startsWith('/interaction/'),
    async (route) => {
      if (!/prompt=consent/.test(route.request().postData() ?? '')) return route.continue();
      let location = (await route.fetch({ maxRedirects: 0 })).headers().location;
      while (location !== undefined && !location.startsWith(`${baseUrl}/`)) {
        location = (await chromium.context.request.get(new URL(location, provider.issuer).href, { maxRedirects: 0 })).headers().location;
      }
      url = location ?? '';
      await route.abort();
    },
  );
  try {
    await throughProvider(page, login);
    await waitFor(async () => url, Boolean);
    const cookie = await attemptCookie();
    remember(url, cookie);
    return { url, cookie };
  } finally {
    await page.close();
  }
}

/** The callback as a caller other than a browser makes it: the error, not a redirect. */
const callback = (url: string, cookie: string | null, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> => {
  const { pathname, search } = new URL(url);
  return system.app.inject({ method: 'GET', url: pathname + search, headers: { ...headers, ...(cookie === null ? {} : { cookie: `${ATTEMPT_COOKIE}=${cookie}` }) } });
};

describe('single sign-on', () => {
  it('lists the providers for the sign-in page, which offers each in the page’s language', async () => {
    const answer = await system.app.inject({ method: 'GET', url: '/auth/providers' });
    expect(answer.json()).toEqual({ items: [{ id: 'ministry', name: 'Ministère de l’Intérieur' }, { id: 'down', name: 'Ministry of Foreign Affairs' }] });
    // The sign-in page of a deployment with single sign-on, as the README shows it: every way in, in each language.
    for (const language of ['en', 'fr'] as const) {
      const context = await chromium.newContext({ locale: language === 'fr' ? 'fr-FR' : 'en-GB' });
      const page = await context.newPage();
      await page.goto(`${baseUrl}/dashboard`);
      await page.getByRole('link', { name: translate(language, 'page.signIn.withProvider', { name: 'Ministère de l’Intérieur' }) }).waitFor();
      await page.getByRole('button', { name: translate(language, 'page.signIn.passkey') }).waitFor();
      await page.screenshot({ path: screenshotPath(`sign-in-sso-${language}`), clip: { x: 0, y: 0, width: 1280, height: 640 } });
      await context.close();
    }
  });

  let replay: { url: string; cookie: string };

  it('signs an invited person in: their address, verified by the provider, in any case; a session cookie; the dashboard', async () => {
    await chromium.context.clearCookies();
    const page = await chromium.context.newPage();
    const seen: string[] = [];
    page.on('request', (request) => void seen.push(request.url()));
    const sessionsBefore = await sessionCount();

    // From the dashboard's sign-in page: one link per provider, in the page's words.
    await page.goto(`${baseUrl}/dashboard`);
    await page.getByRole('link', { name: translate('en', 'page.signIn.withProvider', { name: 'Ministère de l’Intérieur' }) }).click();
    await page.waitForURL(new RegExp(`^${provider.issuer}/interaction/`));
    // At the provider's login page, with the attempt's cookie; sent there with an authorization request for a code,
    // with PKCE (S256), the attempt's state and nonce.
    expect(page.url()).toMatch(new RegExp(`^${provider.issuer}/interaction/`));
    const authorization = new URL(seen.find((url) => url.startsWith(`${provider.issuer}/auth?`))!);
    const cookie = await attemptCookie();
    const attempt = opened(cookie);
    expect(Object.fromEntries(['response_type', 'scope', 'code_challenge_method', 'redirect_uri', 'state', 'nonce'].map((name) => [name, authorization.searchParams.get(name)]))).toEqual({
      response_type: 'code',
      scope: 'openid email profile',
      code_challenge_method: 'S256',
      redirect_uri: `${baseUrl}/auth/oidc/ministry/callback`,
      state: attempt.state,
      nonce: attempt.nonce,
    });
    await page.fill('input[name=login]', 'amina');
    await page.fill('input[name=password]', 'any password');
    await page.click('button[type=submit]');
    await page.click('button:has-text("Continue")');
    await page.waitForURL(`${baseUrl}/dashboard`, { waitUntil: 'commit' });
    // Signed in: the dashboard itself, not the sign-in page.
    await page.locator('#dashboard').waitFor({ state: 'visible' });

    const session = (await chromium.context.cookies(baseUrl)).find((c) => c.name === 'rbt_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect((await chromium.context.cookies(`${baseUrl}/auth/oidc/ministry/callback`)).map((c) => c.name)).not.toContain(ATTEMPT_COOKIE);
    const signedIn = await page.evaluate(async () => {
      const who = (await (await fetch('/auth/session')).json()) as { user: { name: string } };
      const sessions = (await (await fetch('/me/sessions')).json()) as { items: { current: boolean; method: string }[] };
      return { name: who.user.name, method: sessions.items.find((s) => s.current)?.method };
    });
    expect(signedIn).toEqual({ name: 'Amina Diallo', method: 'oidc' });
    expect(await sessionCount()).toBe(sessionsBefore + 1);
    const [signedInEvent] = (await system.database.pool.query(`select actor_name, payload from admin_events where type = 'signed_in' order by id desc limit 1`)).rows;
    expect(signedInEvent).toMatchObject({ actor_name: 'Amina Diallo', payload: { method: 'oidc' } });

    const callbacks = seen.filter((url) => url.startsWith(`${baseUrl}/auth/oidc/ministry/callback?`));
    expect(callbacks).toHaveLength(1);
    replay = { url: callbacks[0]!, cookie };
    remember(replay.url, cookie);
    await page.close();
  });

  it('refuses the callback replayed: by the browser (its attempt is gone), and with a copy of its cookie', async () => {
    const sessionsBefore = await sessionCount();
    const page = await chromium.context.newPage();
    await page.goto(replay.url, { waitUntil: 'commit' });
    expect(new URL(page.url()).hash).toBe('#sign-in-error=single_sign_on_failed');
    // The page says why, in its words, and takes the reason out of the address bar.
    await page.locator('#alert', { hasText: translate('en', 'error.singleSignOn.failed') }).waitFor();
    expect(new URL(page.url()).hash).toBe('');
    expect((await lastFailure())!.payload).toMatchObject({ reason: 'no_attempt', provider: 'ministry', from: '127.0.0.1' });
    await page.close();

    const copied = await callback(replay.url, replay.cookie);
    expect(copied.statusCode).toBe(400);
    expect(copied.json()).toMatchObject({ code: 'single_sign_on_failed' });
    expect((await lastFailure())!.payload).toMatchObject({ reason: 'replayed' });
    expect(copied.cookies.map((c) => c.name)).not.toContain('rbt_session');
    expect(await sessionCount()).toBe(sessionsBefore);
  });

  it('refuses a forged state, and a callback from a browser that did not start the sign-in', async () => {
    const { url, cookie } = await stoppedAtCallback('amina');
    const sessionsBefore = await sessionCount();
    const forged = new URL(url);
    forged.searchParams.set('state', 'Y3ViZXJzdGF0ZS1mb3JnZWQtYnktc29tZW9uZS1lbHNl');
    expect((await callback(forged.href, cookie)).json()).toMatchObject({ code: 'single_sign_on_failed' });
    expect((await lastFailure())!.payload).toMatchObject({ reason: 'state_mismatch' });
    // The real callback, without the cookie: another browser's (a sign-in someone else started and sent as a link).
    const elsewhere = await callback(url, null, { 'accept-language': 'fr' });
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.json<{ message: string }>().message).toMatch(/n’a pas abouti.*Réessayez/);
    expect((await lastFailure())!.payload).toMatchObject({ reason: 'no_attempt' });
    expect(await sessionCount()).toBe(sessionsBefore);
  });

  it('refuses an ID token whose nonce is not the one sent (openid-client checks it)', async () => {
    const { url, cookie } = await stoppedAtCallback('amina');
    const sessionsBefore = await sessionCount();
    const tampered = encodeURIComponent(sealAttempt(system.keyring, { ...opened(cookie), nonce: 'bm90LXRoZS1ub25jZS10aGF0LXdhcy1zZW50LXRvLWl0' }));
    const answer = await callback(url, tampered, { accept: 'text/html' });
    expect(answer.statusCode).toBe(302);
    expect(answer.headers.location).toBe('/dashboard#sign-in-error=single_sign_on_failed');
    expect((await lastFailure())!.payload).toMatchObject({ reason: 'answer_rejected' });
    expect(logLines.filter((line) => /single sign-on refused/.test(line)).at(-1)).toMatch(/"reason":"answer_rejected".*unexpected ID Token \\"nonce\\" claim value/);
    expect(await sessionCount()).toBe(sessionsBefore);
  });

  it('refuses an address the provider has not verified, though someone was invited with it', async () => {
    const sessionsBefore = await sessionCount();
    await chromium.context.clearCookies();
    const page = await chromium.context.newPage();
    await throughProvider(page, 'moussa');
    await page.waitForURL(/sign-in-error=/, { waitUntil: 'commit' });
    expect(new URL(page.url()).hash).toBe('#sign-in-error=single_sign_on_unverified');
    expect((await lastFailure())!.payload).toMatchObject({ reason: 'unverified_email', provider: 'ministry' });
    expect(await sessionCount()).toBe(sessionsBefore);
    await page.close();
  });

  it('refuses a verified address no one was invited with, and says to ask the Secretariat for an invitation', async () => {
    const sessionsBefore = await sessionCount();
    await chromium.context.clearCookies();
    const page = await chromium.context.newPage();
    await throughProvider(page, 'stranger');
    await page.waitForURL(/sign-in-error=/, { waitUntil: 'commit' });
    expect(new URL(page.url()).hash).toBe('#sign-in-error=single_sign_on_uninvited');
    await page.locator('#alert', { hasText: translate('en', 'error.singleSignOn.uninvited') }).waitFor();
    expect(await lastFailure()).toMatchObject({ actor_name: 'anonymous', payload: { reason: 'unknown_address', provider: 'ministry', from: '127.0.0.1' } });
    await page.close();

    // A caller other than a browser gets the error itself, worded in its language; the page words the code alike.
    const { url, cookie } = await stoppedAtCallback('stranger');
    const answer = await callback(url, cookie, { 'accept-language': 'fr' });
    expect(answer.statusCode).toBe(403);
    expect(answer.json()).toMatchObject({ code: 'single_sign_on_uninvited', message: expect.stringMatching(/Demandez au Secrétariat une invitation/) });
    expect(translate('en', 'error.singleSignOn.uninvited')).toMatch(/Ask the Secretariat for an invitation/);
    expect(await sessionCount()).toBe(sessionsBefore);
  });

  it('sends a browser back to the sign-in page when the provider is unknown or cannot be reached', async () => {
    const html = { accept: 'text/html,application/xhtml+xml' };
    const unknown = await system.app.inject({ method: 'GET', url: '/auth/oidc/nowhere', headers: html });
    expect([unknown.statusCode, unknown.headers.location]).toEqual([302, '/dashboard#sign-in-error=single_sign_on_unknown']);
    expect((await system.app.inject({ method: 'GET', url: '/auth/oidc/nowhere' })).json()).toMatchObject({ statusCode: 404, code: 'single_sign_on_unknown' });
    const down = await system.app.inject({ method: 'GET', url: '/auth/oidc/down', headers: html });
    expect([down.statusCode, down.headers.location]).toEqual([302, '/dashboard#sign-in-error=single_sign_on_unavailable']);
  });

  it('wrote no code, state, nonce or code verifier in the log or the administrators’ log', async () => {
    const events = JSON.stringify((await system.database.pool.query(`select * from admin_events`)).rows);
    expect(secretsSeen.length).toBeGreaterThanOrEqual(16);
    const everything = `${events}\n${logLines.join('\n')}`;
    expect(secretsSeen.filter((secret) => everything.includes(secret))).toEqual([]);
  });
});
