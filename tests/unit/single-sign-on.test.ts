import { describe, expect, it } from 'vitest';
import { ATTEMPT_VALID_MS, openAttempt, sealAttempt, type SignInAttempt } from '../../api/single-sign-on/attempt-cookie';
import { keyringFromList } from '../../codec/keyring';
import { sealSecret } from '../../codec/sealed-secret';
import { loadConfig } from '../../config/env';
import { parseSingleSignOnProviders } from '../../config/single-sign-on';

/** Single sign-on's pieces that need no provider: its setting, checked at start, and the attempt a browser keeps. */

const ministry = { id: 'ministry', name: 'Ministère de l’Intérieur', issuer: 'https://login.interieur.example', clientId: 'capacity', clientSecret: 's3cret' };
const setting = (providers: unknown) => ({ OIDC_PROVIDERS: JSON.stringify(providers) });

describe('OIDC_PROVIDERS', () => {
  it('lists none unless set, and the providers it names', () => {
    expect(parseSingleSignOnProviders(loadConfig({}).OIDC_PROVIDERS)).toEqual([]);
    expect(parseSingleSignOnProviders(loadConfig(setting([ministry])).OIDC_PROVIDERS)).toEqual([ministry]);
  });

  it('stops the start with what is wrong: not JSON, a field missing or unknown, an id twice, an issuer over plain HTTP', () => {
    expect(() => loadConfig({ OIDC_PROVIDERS: '{id: ministry}' })).toThrow(/OIDC_PROVIDERS must be JSON/);
    expect(() => loadConfig(setting([{ ...ministry, clientSecret: undefined }]))).toThrow(/OIDC_PROVIDERS\[0\]: .*clientSecret|OIDC_PROVIDERS\[0\]\.clientSecret/);
    expect(() => loadConfig(setting([{ ...ministry, secret: 'x' }]))).toThrow(/OIDC_PROVIDERS\[0\]\.secret/);
    expect(() => loadConfig(setting([{ ...ministry, id: 'Ministry of the Interior' }]))).toThrow(/OIDC_PROVIDERS\[0\]\.id/);
    expect(() => loadConfig(setting([ministry, { ...ministry, name: 'Again' }]))).toThrow(/names the provider "ministry" twice/);
    expect(() => loadConfig(setting([{ ...ministry, issuer: 'http://login.interieur.example' }]))).toThrow(/must be https:\/\//);
    // Plain HTTP on the loopback only: a test's provider, or one on this machine.
    expect(parseSingleSignOnProviders(setting([{ ...ministry, issuer: 'http://127.0.0.1:8080' }]).OIDC_PROVIDERS)).toHaveLength(1);
    // The secret is not repeated in the message, as no setting's value is.
    expect(() => loadConfig(setting([{ ...ministry, issuer: 'login' }]))).toThrow(expect.objectContaining({ message: expect.not.stringContaining('s3cret') }));
  });
});

describe('the attempt a browser keeps between the API and the provider', () => {
  const keyring = keyringFromList(`k1:${Buffer.alloc(32, 7).toString('base64')}`);
  const attempt: SignInAttempt = { provider: 'ministry', state: 'st', nonce: 'no', codeVerifier: 'cv', redirectUri: 'https://x/auth/oidc/ministry/callback', expiresAt: Date.now() + ATTEMPT_VALID_MS };

  it('opens sealed and unexpired only: not altered, not written by anyone without the key, not after 10 minutes', () => {
    const sealed = sealAttempt(keyring, attempt);
    expect(openAttempt(keyring, sealed)).toEqual(attempt);
    expect(sealed).not.toContain(attempt.redirectUri);
    expect(openAttempt(keyring, `${sealed.slice(0, -4)}AAAA`)).toBeNull();
    expect(openAttempt(keyring, JSON.stringify(attempt))).toBeNull();
    expect(openAttempt(keyring, sealSecret(keyring, JSON.stringify(attempt), 'webhook signing secret'))).toBeNull();
    expect(openAttempt(keyringFromList(`k1:${Buffer.alloc(32, 8).toString('base64')}`), sealed)).toBeNull();
    expect(openAttempt(keyring, sealed, attempt.expiresAt)).toBeNull();
    expect(openAttempt(keyring, undefined)).toBeNull();
  });
});
