import * as oidc from 'openid-client';
import { isLoopbackIssuer, type SingleSignOnProvider } from '../../config/single-sign-on';
import { ATTEMPT_VALID_MS, type SignInAttempt } from './attempt-cookie';

/**
 * The configured OpenID Connect providers, through openid-client: the authorization request (code flow, PKCE S256,
 * state, nonce) and the checks of the answer — state, the ID token's signature, issuer, audience and nonce — which the
 * library makes. Each provider's discovery document is read at its first use and kept: a provider down when the API
 * starts does not stop it, and is asked again at the next sign-in.
 */

/** The person a provider vouches for: their address, and whether the provider checked that it is theirs. */
export interface VouchedIdentity {
  email: string | null;
  emailVerified: boolean;
}

/** The provider could not be asked (discovery, network): nothing the person did. */
export class ProviderUnreachable extends Error {}

const SCOPE = 'openid email profile';
/** Seconds to wait for a provider's answer. */
const TIMEOUT_SECONDS = 10;

export class OpenIdProviders {
  private readonly byId: Map<string, SingleSignOnProvider>;
  private readonly configurations = new Map<string, Promise<oidc.Configuration>>();

  constructor(providers: SingleSignOnProvider[]) {
    this.byId = new Map(providers.map((provider) => [provider.id, provider]));
  }

  /** The sign-in page's buttons. */
  list(): { id: string; name: string }[] {
    return [...this.byId.values()].map(({ id, name }) => ({ id, name }));
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** Where to send the browser, and the attempt it must bring back (its cookie). */
  async start(id: string, redirectUri: string, now = Date.now()): Promise<{ url: URL; attempt: SignInAttempt }> {
    const configuration = await this.configurationOf(id);
    const attempt: SignInAttempt = {
      provider: id,
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      codeVerifier: oidc.randomPKCECodeVerifier(),
      redirectUri,
      expiresAt: now + ATTEMPT_VALID_MS,
    };
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: SCOPE,
      state: attempt.state,
      nonce: attempt.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(attempt.codeVerifier),
      code_challenge_method: 'S256',
    });
    return { url, attempt };
  }

  /**
   * Exchanges the code the browser brought back (`query`, the callback's query string) and reads who the provider
   * vouches for: from the ID token, or from its userinfo endpoint when the token does not carry the address (many
   * providers keep scope claims there). Throws openid-client's errors for an answer that fails a check.
   */
  async finish(attempt: SignInAttempt, query: string): Promise<VouchedIdentity> {
    const configuration = await this.configurationOf(attempt.provider);
    const currentUrl = new URL(attempt.redirectUri);
    currentUrl.search = query;
    const tokens = await oidc.authorizationCodeGrant(configuration, currentUrl, {
      expectedState: attempt.state,
      expectedNonce: attempt.nonce,
      pkceCodeVerifier: attempt.codeVerifier,
      idTokenExpected: true,
    });
    const claims = tokens.claims()!; // idTokenExpected: the library has checked there is one
    // The address and its verification from one source, never one from each.
    const source = typeof claims.email === 'string' ? claims : await oidc.fetchUserInfo(configuration, tokens.access_token, claims.sub);
    return { email: typeof source.email === 'string' ? source.email : null, emailVerified: source.email_verified === true };
  }

  private configurationOf(id: string): Promise<oidc.Configuration> {
    let configuration = this.configurations.get(id);
    if (!configuration) {
      const provider = this.byId.get(id)!;
      configuration = oidc
        // client_secret_basic: what OpenID Connect registers a client with when it names no other method.
        .discovery(new URL(provider.issuer), provider.clientId, provider.clientSecret, oidc.ClientSecretBasic(provider.clientSecret), {
          timeout: TIMEOUT_SECONDS,
          // Plain HTTP only to a provider on the loopback (config/single-sign-on.ts refuses it anywhere else).
          ...(isLoopbackIssuer(provider.issuer) ? { execute: [oidc.allowInsecureRequests] } : {}),
        })
        .catch((error: unknown) => {
          this.configurations.delete(id); // asked again next time
          throw new ProviderUnreachable(`The discovery of "${id}" failed: ${(error as Error).message}`);
        });
      this.configurations.set(id, configuration);
    }
    return configuration;
  }
}
