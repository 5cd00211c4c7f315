import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/**
 * The OpenID Connect providers people may sign in with (OIDC_PROVIDERS, README "Signing in"): a JSON array, each
 * provider registered with this deployment as a confidential client whose redirect URI is
 * `<PUBLIC_URL>/auth/oidc/<id>/callback`. Checked at start, so that a typo stops the API rather than a person at
 * the sign-in page.
 */

const ProviderSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,39}$', description: 'Its part of the addresses, e.g. "ministry"' }),
    name: Type.String({ minLength: 1, maxLength: 100, description: 'What the sign-in button names, e.g. "Ministère de l’Intérieur"' }),
    issuer: Type.String({ pattern: '^https?://', description: 'The issuer: its discovery document is <issuer>/.well-known/openid-configuration' }),
    clientId: Type.String({ minLength: 1 }),
    clientSecret: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);

export type SingleSignOnProvider = Static<typeof ProviderSchema>;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Whether the issuer may be reached over plain HTTP: only on this machine's loopback (a test's provider). Anywhere
 * else a network between could forge the provider's keys and answers.
 */
export const isLoopbackIssuer = (issuer: string): boolean => {
  const url = new URL(issuer);
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
};

/** The providers OIDC_PROVIDERS lists (none when unset); throws an Error that says what is wrong. */
export function parseSingleSignOnProviders(text: string | undefined): SingleSignOnProvider[] {
  if (text === undefined) return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error('OIDC_PROVIDERS must be JSON: [{"id":"ministry","name":"…","issuer":"https://…","clientId":"…","clientSecret":"…"}]');
  }
  const list = Type.Array(ProviderSchema);
  const [problem] = Value.Errors(list, value);
  if (problem) throw new Error(`OIDC_PROVIDERS${problem.path.replaceAll('/', '.').replace(/\.(\d+)/g, '[$1]')}: ${problem.message}`);
  const providers = value as SingleSignOnProvider[];
  const ids = new Set<string>();
  for (const provider of providers) {
    if (ids.has(provider.id)) throw new Error(`OIDC_PROVIDERS names the provider "${provider.id}" twice`);
    ids.add(provider.id);
    if (!URL.canParse(provider.issuer)) throw new Error(`OIDC_PROVIDERS: the issuer of "${provider.id}" is not a URL`);
    if (provider.issuer.startsWith('http://') && !isLoopbackIssuer(provider.issuer)) {
      throw new Error(`OIDC_PROVIDERS: the issuer of "${provider.id}" must be https:// (plain http only on 127.0.0.1 or localhost)`);
    }
  }
  return providers;
}
