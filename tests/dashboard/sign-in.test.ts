import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { accessibilityProblems } from './accessibility-checks';
import { launchChromium, screenshotPath, signInContext, watch, type Chromium, type PageWatch } from './browser';
import { call, createCast, type Cast } from '../support/cast';
import { startMailReceiver, type ReceivedMail } from '../support/mail-receiver';
import { startTestSystem, type TestSystem } from '../support/test-system';
import { waitFor } from '../support/wait-for';
import { translate } from '../../i18n/messages';

/**
 * Signing in to the dashboard as people do (README, "Signing in"), in Chromium against the real system and a real mail
 * server: an administrator invites a person from the page and the invitation's link signs them in; a person asks for a
 * sign-in e-mail and opens its link, or types its code on another device; "Your sessions" shows each browser, and
 * signs the person out of the other one or everywhere — the other browser is signed out on its next call. In French
 * and in English, the e-mails read in the mailbox as the person reads them.
 */

const TEST_TIMEOUT = 120_000;
let mail: Awaited<ReturnType<typeof startMailReceiver>>;
let system: TestSystem;
let cast: Cast;
let browser: Chromium;
let baseUrl: string;
const watches: PageWatch[] = [];

beforeAll(async () => {
  mail = await startMailReceiver();
  // Every browser here is 127.0.0.1: the per-client limit would count them all as one network.
  system = await startTestSystem({ smtpUrl: mail.url, signInLimits: { windowMs: 60_000, perAddress: 20, perClient: 200 } });
  cast = await createCast(system);
  baseUrl = await system.app.listen({ host: '127.0.0.1', port: 0 });
  browser = await launchChromium();
}, 120_000);
// One hook, in order: no tab is left talking to a stopped server, no mail is sent to a stopped receiver.
afterAll(async () => {
  await browser?.close();
  await system?.stop();
  await mail?.stop();
});

interface Tab {
  context: BrowserContext;
  page: Page;
  seen: PageWatch;
}

/** A browser of its own (its own cookies: its own session), in `locale`, not yet on any page. */
async function newBrowser(locale = 'en-GB'): Promise<Tab> {
  const context = await browser.newContext({ locale });
  const page = await context.newPage();
  const seen = watch(page);
  watches.push(seen);
  return { context, page, seen };
}

/** The `after`+1-th e-mail `address` received (the relay sends what the API queued). */
async function mailTo(address: string, after = 0): Promise<ReceivedMail> {
  const received = await waitFor(async () => mail.to(address), (found) => found.length > after);
  return received[after]!;
}

/** The e-mail's link, as the person opens it: this server's dashboard, with the e-mail's fragment. */
function linkIn(message: ReceivedMail, fragment: 'invitation' | 'sign-in'): string {
  const secret = new RegExp(`/dashboard#${fragment}=([A-Za-z0-9_-]{43})`).exec(message.text)?.[1];
  expect(secret, message.text).toBeDefined();
  return `${baseUrl}/dashboard#${fragment}=${secret}`;
}
const codeIn = (message: ReceivedMail) => /\b(\d{6})\b/.exec(message.text)![1]!;

const sessionCookies = async (tab: Tab) => (await tab.context.cookies()).filter((cookie) => cookie.name === 'rbt_session');
const openSessions = async (userId: string) =>
  Number((await system.database.pool.query('select count(*) from sessions where user_id = $1 and ended_at is null', [userId])).rows[0].count);

/** Sends the address form of `tab`'s sign-in page, in the page's language. */
async function askForEmail(tab: Tab, address: string, language: 'en' | 'fr'): Promise<void> {
  const t = (key: Parameters<typeof translate>[1]) => translate(language, key);
  await tab.page.getByLabel(t('page.signIn.emailLabel'), { exact: true }).fill(address);
  await tab.page.getByRole('button', { name: t('page.signIn.send') }).click();
  // The API's answer, the same for any address, in the page's language.
  await tab.page.locator('#sign-in-check', { hasText: translate(language, 'signIn.sent', { minutes: 15 }) }).waitFor();
  expect(await tab.page.locator('#sign-in-check h3').textContent()).toBe(t('page.signIn.checkTitle'));
}

async function typeCode(tab: Tab, code: string, language: 'en' | 'fr'): Promise<void> {
  await tab.page.getByLabel(translate(language, 'page.signIn.codeLabel')).fill(code);
  await tab.page.getByRole('button', { name: translate(language, 'page.signIn.button'), exact: true }).click();
}

/** The page's top, where the sign-in form is (the rest of a 1280×900 window is empty). */
const SIGN_IN_CLIP = { x: 0, y: 0, width: 1280, height: 600 };

const AWA = 'awa.diop@interieur.example.sn';
const OFFICER = 'officer@secretariat.example.org';

describe('signing in to the dashboard', () => {
  it('an administrator invites a person from the page; the French invitation signs them in once; then they sign in with a code, in French', async () => {
    // The administrator, already signed in, invites from the dashboard.
    const admin = await newBrowser();
    await signInContext(admin.context, system, baseUrl, cast.admin);
    await admin.page.goto(`${baseUrl}/dashboard`);
    await admin.page.locator('#invite summary').click();
    const form = admin.page.locator('#invite-form');
    await form.getByLabel('Full name').fill('Awa Diop');
    await form.getByLabel('Their e-mail address').fill(AWA);
    // The country is asked only of the roles that speak for one.
    await form.getByLabel('Role').selectOption('monitor');
    expect(await form.getByLabel('Country or organisation they speak for').isHidden()).toBe(true);
    await form.getByLabel('Role').selectOption('partner');
    await form.getByLabel('Country or organisation they speak for').selectOption('SN');
    expect(await form.getByLabel('Country or organisation they speak for').locator('option:checked').textContent()).toBe('Senegal (SN)');
    await form.getByLabel('Language of their e-mails and pages').selectOption('fr');
    await form.getByRole('button', { name: 'Send the invitation' }).click();
    await admin.page.locator('#invite-status', { hasText: `An invitation was e-mailed to Awa Diop at ${AWA}; its link works until ` }).waitFor();
    // The same address again: the API's refusal, word for word.
    await form.getByLabel('Full name').fill('Awa Diop again');
    await form.getByLabel('Their e-mail address').fill(AWA);
    await form.getByLabel('Role').selectOption('monitor');
    await form.getByRole('button', { name: 'Send the invitation' }).click();
    await admin.page.locator('#alert', { hasText: 'The invitation was not sent: This address is already that of Awa Diop. An address signs in one person only.' }).waitFor();
    await admin.page.locator('#invite').screenshot({ path: screenshotPath('invite-en') });
    await admin.context.close();

    // The invitation, in French, opened in a French browser: signed in at once, the secret gone from the address bar.
    const invitation = await mailTo(AWA);
    expect(invitation.subject).toBe('[Processus de Rabat] Votre invitation aux demandes de renforcement des capacités du Processus de Rabat');
    const link = linkIn(invitation, 'invitation');
    const awa = await newBrowser('fr-FR');
    await awa.page.goto(link);
    await awa.page.locator('#dashboard').waitFor({ state: 'visible' });
    expect(await awa.page.getAttribute('html', 'lang')).toBe('fr');
    expect(awa.page.url()).toBe(`${baseUrl}/dashboard`);
    expect(await awa.page.evaluate('history.length')).toBe(2); // about:blank, then the dashboard: the link left no entry
    await awa.page.locator('#announcer', { hasText: 'Connexion établie.' }).waitFor();
    await awa.page.getByText('Vos sessions', { exact: true }).click();
    await awa.page.locator('#sessions li[data-current]', { hasText: 'ce navigateur' }).waitFor();
    expect(await awa.page.locator('#signed-in-as').textContent()).toBe('Session de Awa Diop (point focal)');
    expect(await awa.page.evaluate('sessionStorage.length + localStorage.length')).toBe(0);
    expect((await sessionCookies(awa))[0]).toMatchObject({ httpOnly: true, sameSite: 'Lax' });

    // The link works once: opened again, it says so in French, above the form to ask for a link.
    const later = await newBrowser('fr-FR');
    await later.page.goto(`${baseUrl}/dashboard`);
    await later.page.locator('#sign-in').waitFor();
    expect(await accessibilityProblems(later.page)).toEqual([]);
    await later.page.screenshot({ path: screenshotPath('sign-in-fr'), clip: SIGN_IN_CLIP });
    await later.page.goto(link);
    await later.page.locator('#alert', { hasText: 'Connexion refusée : Cette invitation a déjà été acceptée. Connectez-vous avec votre adresse.' }).waitFor();
    expect(new URL(later.page.url()).hash).toBe('');
    expect(await later.page.evaluate('document.activeElement.id')).toBe('sign-in-email');
    await later.page.screenshot({ path: screenshotPath('sign-in-fr-refused'), clip: SIGN_IN_CLIP });
    // She asks for a sign-in e-mail, reads it on her phone, and types its code here.
    await askForEmail(later, AWA, 'fr');
    await later.page.screenshot({ path: screenshotPath('sign-in-fr-check'), clip: SIGN_IN_CLIP });
    const signIn = await mailTo(AWA, 1);
    expect(signIn.subject).toBe('[Processus de Rabat] Votre lien de connexion');
    expect(signIn.text).toContain('Ou, si vous lisez ceci sur un autre appareil');
    await typeCode(later, '000000' === codeIn(signIn) ? '000001' : '000000', 'fr');
    await later.page.locator('#alert', { hasText: "Ce code n'est pas celui que nous avons envoyé" }).waitFor();
    await typeCode(later, codeIn(signIn), 'fr');
    await later.page.locator('#dashboard').waitFor({ state: 'visible' });
    expect(await later.page.locator('#pipeline-title').textContent()).toBe('Portefeuille par phase');

    for (const tab of [admin, awa, later]) {
      expect(tab.seen.consoleErrors.filter((line) => /catalog has no message/.test(line))).toEqual([]);
      expect(tab.seen.pageErrors).toEqual([]);
    }
    await awa.context.close();
    await later.context.close();
  }, TEST_TIMEOUT);

  let laptop: Tab;
  let phone: Tab;
  let officer: { actor: { userId: string; name: string } };

  it('a person asks for a link on the sign-in page and opens it from the e-mail; on another device they type its code', async () => {
    const invited = await call(system, 'POST', '/admin/invitations', cast.admin, { name: 'Officer Jones', email: OFFICER, role: 'secretariat', language: 'en' });
    expect(invited.status).toBe(201);
    officer = { actor: { userId: invited.body.userId, name: 'Officer Jones' } };
    await mailTo(OFFICER); // the invitation, left unopened: the address signs in all the same

    laptop = await newBrowser();
    await laptop.page.goto(`${baseUrl}/dashboard`);
    await laptop.page.locator('#sign-in').waitFor();
    expect(await laptop.page.locator('#sign-in .tokens').textContent()).toMatch(/^Scripts and integrations use API tokens/);
    await laptop.page.screenshot({ path: screenshotPath('sign-in-en'), clip: SIGN_IN_CLIP });
    await askForEmail(laptop, OFFICER, 'en');
    // The code's field has the focus, for a person who reads the mail on another device.
    expect(await laptop.page.evaluate('document.activeElement.id')).toBe('sign-in-code');
    await laptop.page.screenshot({ path: screenshotPath('sign-in-en-check'), clip: SIGN_IN_CLIP });
    const message = await mailTo(OFFICER, 1);
    expect(message.subject).toBe('[Rabat Process] Your sign-in link');
    // The link opened in the same tab (the page is open already): signed in, and the link gone from the address bar.
    await laptop.page.goto(linkIn(message, 'sign-in'));
    await laptop.page.locator('#dashboard').waitFor({ state: 'visible' });
    expect(laptop.page.url()).toBe(`${baseUrl}/dashboard`);
    expect(await laptop.page.locator('#alert').textContent()).toBe('');

    phone = await newBrowser();
    await phone.page.goto(`${baseUrl}/dashboard`);
    await askForEmail(phone, OFFICER, 'en');
    await typeCode(phone, codeIn(await mailTo(OFFICER, 2)), 'en');
    await phone.page.locator('#dashboard').waitFor({ state: 'visible' });
    expect(await openSessions(officer.actor.userId)).toBe(2);
  }, TEST_TIMEOUT);

  it('"Your sessions" shows each browser, where and when; signing out of the other one, then everywhere, signs them out on their next call', async () => {
    const { page } = laptop;
    await page.getByText('Your sessions', { exact: true }).click();
    const items = page.locator('#sessions li');
    await items.nth(1).waitFor();
    expect(await items.count()).toBe(2);
    const mine = page.locator('#sessions li[data-current]');
    expect(await mine.textContent()).toMatch(/^Chrome \d+ on Linux this browserfrom 127\.0\.0\.1opened \d{1,2} \w{3} \d{4}, \d\d:\d\d \S+, last used /);
    expect(await mine.getByRole('button').count()).toBe(0);
    await page.locator('#sessions .notify-form').screenshot({ path: screenshotPath('sessions-en') });
    expect(await accessibilityProblems(page)).toEqual([]);

    // Out of the phone's session, from the laptop: the phone is signed out on its next call, with the API's reason.
    const other = page.locator('#sessions li:not([data-current])');
    await other.getByRole('button', { name: /^Sign out there: Chrome \d+ on Linux, from 127\.0\.0\.1$/ }).click();
    await page.locator('#announcer', { hasText: /^Chrome \d+ on Linux, from 127\.0\.0\.1, is signed out\.$/ }).waitFor();
    await other.waitFor({ state: 'detached' });
    const searchOn = async (tab: Tab) => {
      await tab.page.getByLabel('Search requests').fill('anything');
      await tab.page.getByRole('button', { name: 'Search' }).click();
    };
    await searchOn(phone);
    await phone.page.locator('#alert', { hasText: 'You were signed out: Your session was ended (you signed out, or your access changed). Sign in again.' }).waitFor();
    expect(await phone.page.locator('#sign-in').isVisible()).toBe(true);
    expect(await sessionCookies(phone)).toEqual([]);

    // Signed in on the phone again; then out everywhere, from the laptop: this one first, the phone on its next call.
    await signInContext(phone.context, system, baseUrl, officer);
    await phone.page.reload();
    await phone.page.locator('#dashboard').waitFor({ state: 'visible' });
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await page.locator('#announcer', { hasText: 'Signed out everywhere: 2 sessions ended.' }).waitFor();
    expect(await page.locator('#sign-in').isVisible()).toBe(true);
    expect(await sessionCookies(laptop)).toEqual([]);
    await searchOn(phone);
    await phone.page.locator('#alert', { hasText: 'Your session was ended' }).waitFor();
    expect(await openSessions(officer.actor.userId)).toBe(0);

    for (const tab of [laptop, phone]) {
      expect(tab.seen.consoleErrors.filter((line) => /catalog has no message/.test(line))).toEqual([]);
      expect(tab.seen.pageErrors).toEqual([]);
    }
    expect(watches.flatMap((seen) => seen.cspViolations())).toEqual([]);
  }, TEST_TIMEOUT);
});
