import { createHash, createPrivateKey, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { signInMessage, strongSignInOnlyMessage } from '../../activities/notifications/sign-in-messages';
import { RABAT_PROCESS } from '../../config/dialogue';
import { inviteAgain, invitePerson, requestSignInEmail, type SignInMail } from '../../db/sign-in-repository';
import { translate } from '../../i18n/messages';
import { launchChromium, signInContext, type Chromium } from '../dashboard/browser';
import { call } from '../support/cast';
import { startTestSystem, type TestSystem } from '../support/test-system';

/**
 * Passkeys (README, "Signing in"), in Chromium with its virtual authenticator against the real API and Postgres: a
 * person adds one from the header’s "Passkeys", then signs in with it alone in another browser holding the same credential.
 * Then, with that credential's key, answers made by hand: one for another site (its relying party, its origin) is
 * refused, a challenge works once, and the same answer for this site signs in — so the refusals are the site's, not
 * a wrong signature. And STRONG_SIGN_IN_ROLES: a chair asking for a sign-in e-mail is told how to sign in instead, a
 * chair's e-mail link is refused, their first invitation is not.
 */

/** What Chromium's DevTools protocol says of a credential (base64, not base64url). */
interface VirtualCredential {
  credentialId: string;
  isResidentCredential: boolean;
  rpId: string;
  privateKey: string;
  userHandle: string;
  signCount: number;
}

let system: TestSystem;
let chromium: Chromium;
/** localhost, not 127.0.0.1: a relying party's ID is a host name, and http://localhost is a secure context. */
let baseUrl: string;
let person: Awaited<ReturnType<TestSystem['user']>>;
let credential: VirtualCredential;
const MAIL = { dialogue: RABAT_PROCESS, publicUrl: 'https://capacity.rabat.test' };

beforeAll(async () => {
  system = await startTestSystem({ publicUrl: null, strongSignInRoles: ['chair'] });
  const listening = await system.app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = listening.replace('127.0.0.1', 'localhost');
  person = await system.user('secretariat');
  chromium = await launchChromium();
}, 120_000);
afterAll(async () => {
  await chromium?.close();
  await system?.stop();
});

const query = async <T extends Record<string, unknown>>(sql: string, values: unknown[] = []) => (await system.database.pool.query<T>(sql, values)).rows;

/** A page of its own browser with a virtual authenticator (resident keys, user verification), and the authenticator's ID. */
async function pageWithAuthenticator(context: BrowserContext): Promise<{ page: Page; cdp: CDPSession; authenticatorId: string }> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return { page, cdp, authenticatorId };
}

describe('in the dashboard', () => {
  it('a person adds a passkey in the header’s "Passkeys"', async () => {
    const context = await chromium.newContext();
    await signInContext(context, system, baseUrl, person);
    const { page, cdp, authenticatorId } = await pageWithAuthenticator(context);
    await page.goto(`${baseUrl}/dashboard`);
    await page.click('#passkeys summary');
    await page.waitForSelector('#passkeys-list li.meta');
    await page.fill('#passkey-name', 'Laptop');
    await page.click('#passkey-form button[type=submit]');
    await page.waitForSelector('#passkeys-list li[data-passkey-id] >> text=Laptop');

    const [stored] = await query<{ user_id: string; name: string; rp: string }>('select user_id, name, public_key as rp from passkeys');
    expect(stored).toMatchObject({ user_id: person.actor.userId, name: 'Laptop' });
    const credentials = (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials as VirtualCredential[];
    expect(credentials).toHaveLength(1);
    credential = credentials[0]!;
    expect(credential).toMatchObject({ isResidentCredential: true, rpId: 'localhost' });
    // The log names the passkey; nothing of its key.
    const [event] = await query<{ actor_name: string; payload: Record<string, unknown> }>(`select actor_name, payload from admin_events where type = 'passkey_added'`);
    expect(event).toMatchObject({ actor_name: person.actor.name, payload: { user: person.actor.name, name: 'Laptop' } });
    expect(JSON.stringify(event)).not.toContain(stored!.rp);
    await context.close();
  });

  it('signs in with the passkey alone, in another browser with the same credential', async () => {
    const context = await chromium.newContext();
    const { page, cdp, authenticatorId } = await pageWithAuthenticator(context);
    await cdp.send('WebAuthn.addCredential', { authenticatorId, credential });
    await page.goto(`${baseUrl}/dashboard`);
    await page.click('#sign-in-passkey');
    await page.waitForSelector('#account', { state: 'visible' });
    expect(await page.textContent('#signed-in-as')).toContain(person.actor.name);

    const [session] = await query<{ method: string }>('select method from sessions where user_id = $1 order by created_at desc limit 1', [person.actor.userId]);
    expect(session!.method).toBe('passkey');
    const [stored] = await query<{ counter: string; last_used_at: string | null }>('select counter, last_used_at from passkeys');
    expect(Number(stored!.counter)).toBeGreaterThan(credential.signCount);
    expect(stored!.last_used_at).not.toBeNull();
    await context.close();
  });
});

describe('answers made by hand with the credential’s key', () => {
  const b64url = (bytes: Buffer) => bytes.toString('base64url');
  const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest();

  /** An assertion as an authenticator makes it: authenticator data for `rpId`, client data for `origin`, signed. */
  function assertion(at: { challenge: string; rpId: string; origin: string; signCount: number }) {
    const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge: at.challenge, origin: at.origin, crossOrigin: false }));
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(at.signCount);
    // User present and verified.
    const authenticatorData = Buffer.concat([sha256(at.rpId), Buffer.from([0x05]), counter]);
    const key = createPrivateKey({ key: Buffer.from(credential.privateKey, 'base64'), format: 'der', type: 'pkcs8' });
    // The authenticator chose from the API's algorithms: Ed25519 signs the data itself, ECDSA and RSA its SHA-256.
    const signature = sign(key.asymmetricKeyType === 'ed25519' ? null : 'sha256', Buffer.concat([authenticatorData, sha256(clientDataJSON)]), key);
    const id = b64url(Buffer.from(credential.credentialId, 'base64'));
    return {
      id,
      rawId: id,
      type: 'public-key',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authenticatorData),
        signature: b64url(signature),
        userHandle: b64url(Buffer.from(credential.userHandle, 'base64')),
      },
    };
  }
  const challenge = async () => (await call(system, 'POST', '/auth/passkey/options', undefined, undefined, { host: new URL(baseUrl).host })).body.challenge as string;
  const signIn = (response: unknown) => call(system, 'POST', '/auth/passkey', undefined, { response }, { host: new URL(baseUrl).host });
  const sessions = async () => Number((await query<{ n: string }>('select count(*) as n from sessions'))[0]!.n);

  it('refuses a credential’s answer for another site, and a challenge used twice; signs in with the right one', async () => {
    expect(credential, 'the first test adds the passkey').toBeDefined();
    const before = await sessions();
    const otherSite = await signIn(assertion({ challenge: await challenge(), rpId: 'elsewhere.test', origin: 'https://elsewhere.test', signCount: 1_000 }));
    expect({ status: otherSite.status, code: otherSite.body.code }).toEqual({ status: 400, code: 'passkey_refused' });
    const otherOrigin = await signIn(assertion({ challenge: await challenge(), rpId: 'localhost', origin: 'https://elsewhere.test', signCount: 1_001 }));
    expect(otherOrigin.body.code).toBe('passkey_refused');
    const unknownChallenge = await signIn(assertion({ challenge: b64url(Buffer.alloc(32, 7)), rpId: 'localhost', origin: baseUrl, signCount: 1_002 }));
    expect(unknownChallenge.body.code).toBe('passkey_challenge_unknown');
    expect(await sessions()).toBe(before);
    const failures = await query<{ payload: { reason: string } }>(`select payload from admin_events where type = 'sign_in_failed' order by id`);
    expect(failures.map((row) => row.payload.reason)).toEqual(['passkey_refused', 'passkey_refused', 'passkey_challenge_unknown']);

    const once = await challenge();
    const right = await signIn(assertion({ challenge: once, rpId: 'localhost', origin: baseUrl, signCount: 1_003 }));
    expect(right.status, JSON.stringify(right.body)).toBe(200);
    expect(right.body.user.userId).toBe(person.actor.userId);
    const replayed = await signIn(assertion({ challenge: once, rpId: 'localhost', origin: baseUrl, signCount: 1_004 }));
    expect(replayed.body.code).toBe('passkey_challenge_unknown');
    // A counter that goes back betrays a copied authenticator.
    const behind = await signIn(assertion({ challenge: await challenge(), rpId: 'localhost', origin: baseUrl, signCount: 5 }));
    expect(behind.body.code).toBe('passkey_refused');
    expect(await sessions()).toBe(before + 1);
  });
});

describe('STRONG_SIGN_IN_ROLES', () => {
  it('refuses a chair’s e-mail link, and lets their first invitation in to add a passkey', async () => {
    let invitation = '';
    const email = 'chair.person@interieur.test';
    await invitePerson(system.database.db, { name: 'Chair Person', email, role: 'chair', country: null, language: null }, 'test admin', ({ secret }) => {
      invitation = secret;
      return { subject: 'Invitation', body: '…' };
    });
    const client = { clientAddress: '127.0.0.1', userAgent: 'test' };
    const limits = { windowMs: 60_000, perAddress: 10, perClient: 100 };
    const mail: SignInMail = {
      link: (secret) => signInMessage({ ...secret, context: MAIL }),
      strongSignInOnly: (person) => strongSignInOnlyMessage({ ...person, context: MAIL }),
    };
    // Asking for a sign-in e-mail, a chair receives how they sign in, and nothing they could not use.
    const secretsBefore = (await query(`select id from sign_in_secrets`)).length;
    await requestSignInEmail(system.database.db, { email, client, limits, strongRoles: ['chair'] }, mail);
    const [told] = await query<{ subject: string; body: string }>(`select subject, body from notifications where address = $1 and reason = 'sign_in'`, [email]);
    expect(told!.subject).toContain(translate('en', 'mail.strongSignIn.lead'));
    expect(told!.body).toContain(translate('fr', 'mail.strongSignIn.lost'));
    expect(told!.body).not.toMatch(/#sign-in=|\b\d{6}\b/);
    expect((await query(`select id from sign_in_secrets`)).length).toBe(secretsBefore);
    const [refusal] = await query<{ payload: Record<string, unknown> }>(`select payload from admin_events where type = 'sign_in_failed' order by id desc limit 1`);
    expect(refusal!.payload).toMatchObject({ reason: 'strong_sign_in_required', method: 'email' });

    // A link sent before the role signed in strongly (here: asked for without the setting) is refused when opened.
    let link = '';
    await requestSignInEmail(system.database.db, { email, client, limits }, { ...mail, link: ({ secret }) => ((link = secret), { subject: 'Sign in', body: '…' }) });
    const byLink = await call(system, 'POST', '/auth/email/link', undefined, { link });
    expect({ status: byLink.status, code: byLink.body.code }).toEqual({ status: 403, code: 'strong_sign_in_required' });
    const invited = await call(system, 'POST', '/auth/invitation', undefined, { invitation });
    expect(invited.status, JSON.stringify(invited.body)).toBe(200);
    expect(invited.body.user.role).toBe('chair');

    // Invited again (a lost passkey, say): the newest invitation lets them in once, an earlier one no more.
    const chairId = invited.body.user.userId as string;
    const again = async () => {
      let secret = '';
      expect(await inviteAgain(system.database.db, chairId, 'test admin', ({ secret: given }) => ((secret = given), { subject: 'Invitation', body: '…' }))).toMatchObject({ userId: chairId });
      return secret;
    };
    const earlier = await again();
    const latest = await again();
    expect((await call(system, 'POST', '/auth/invitation', undefined, { invitation: earlier })).body.code).toBe('invitation_used');
    expect((await call(system, 'POST', '/auth/invitation', undefined, { invitation: latest })).status).toBe(200);
  });

  it('an administrator removes the passkeys of a person who lost theirs: each is refused from then on, and on record', async () => {
    const admin = await system.user('admin');
    expect((await call(system, 'GET', '/me/passkeys', person.token)).body.items.length).toBeGreaterThan(0);
    const removed = await call(system, 'DELETE', `/admin/users/${person.actor.userId}/passkeys`, admin.token);
    expect(removed.body.removed).toBeGreaterThan(0);
    expect((await call(system, 'GET', '/me/passkeys', person.token)).body.items).toEqual([]);
    expect((await call(system, 'DELETE', `/admin/users/${person.actor.userId}/passkeys`, person.token)).status).toBe(403);
    const [logged] = await query<{ actor_name: string }>(`select actor_name from admin_events where type = 'passkey_removed' order by id desc limit 1`);
    expect(logged).toEqual({ actor_name: admin.actor.name });
  });
});
