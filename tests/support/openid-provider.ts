import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/**
 * A real OpenID provider on the loopback for the tests of single sign-on: oidc-provider (the certified Node
 * implementation) with its development login and consent pages, where any login names an account and any password
 * passes. Each account's claims are the test's; an unknown login has a subject and nothing else.
 */

export interface TestAccountClaims {
  email?: string;
  email_verified?: boolean;
  name?: string;
}

export interface TestOpenIdProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Registers the API's callback as the client's only redirect URI: the provider answers from then on. */
  allowRedirectTo(redirectUri: string): void;
  stop(): Promise<void>;
}

/**
 * Listens at once, so that the API can be configured with the issuer before either knows the other's port; until
 * `allowRedirectTo`, every request is answered 503.
 */
export async function startOpenIdProvider(accounts: Record<string, TestAccountClaims>): Promise<TestOpenIdProvider> {
  let handle: ((request: IncomingMessage, response: ServerResponse) => void) | null = null;
  const server = createServer((request, response) => {
    if (handle) return handle(request, response);
    response.writeHead(503).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'capacity-requests';
  const clientSecret = 'test-only-client-secret';
  // The signing key of this run's ID tokens (RS256, what a client expects unless registered otherwise).
  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });

  return {
    issuer,
    clientId,
    clientSecret,
    allowRedirectTo(redirectUri) {
      const provider = new Provider(issuer, {
        clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri], response_types: ['code'], grant_types: ['authorization_code'] }],
        jwks: { keys: [{ ...signingKey, kid: 'test', use: 'sig', alg: 'RS256' }] },
        claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
        findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub, ...accounts[sub] }) }),
        features: { devInteractions: { enabled: true } },
        cookies: { keys: ['test-only-cookie-key'] },
        // Seconds; set, so that the provider does not note each default it falls back to.
        ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
      });
      const serve = provider.callback();
      handle = (request, response) => void serve(request, response);
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
