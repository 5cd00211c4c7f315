import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../api/app';
import { keyringFromList } from '../codec/keyring';
import { loadConfig, policyFrom, webhookRetryFrom } from '../config/env';
import { handOverChair } from '../db/chair-terms-repository';
import { issueToken } from '../db/users-repository';
import type { Database } from '../db/client';
import type { Role } from '../workflows/request-model';

/** One payload key for a benchmark run; nothing it encrypts outlives the run. */
export const benchKeyring = () => keyringFromList(`bench:${randomBytes(32).toString('base64')}`);

/** The HTTP API as `npm start` serves it (default configuration), listening on a free loopback port. */
export async function startApi(options: { databaseUrl: string; temporalAddress: string; taskQueue: string; keyring: ReturnType<typeof benchKeyring> }) {
  // The Chair decides after the committee's vote: the lifecycle the issue names (with no_objection, the default,
  // a unanimous vote would approve by itself and skip the Chair's decision).
  const config = loadConfig({ REVIEW_PROCEDURE: 'chair_decides' });
  const app = await buildApp({
    ...options,
    temporalNamespace: 'default',
    policy: policyFrom(config),
    webhookRetry: webhookRetryFrom(config),
    // A benchmark is many calls from few tokens: the per-token limit would measure itself.
    hardening: { rateLimitMax: 1_000_000_000 },
    logger: false,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}` };
}

/** A user of the role and a token for them; a chair also holds the office for a year. */
export async function benchUser(db: Database, role: Role, country: string | null = null): Promise<string> {
  const name = `bench-${role}-${country ?? 'x'}-${randomBytes(3).toString('hex')}`;
  const { token } = await issueToken(db, { name, role, country });
  if (role === 'chair') {
    await handOverChair(db, { holder: name, startsAt: new Date(Date.now() - 86_400_000), endsAt: new Date(Date.now() + 365 * 86_400_000), by: 'bench' });
  }
  return token;
}

/** A GET that must answer 200, with the token if given (a calendar feed needs none); returns the body as text. */
export async function getText(url: string, token?: string): Promise<string> {
  const response = await fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}: ${text.slice(0, 300)}`);
  return text;
}

/** A GET that must answer 200; returns the parsed body. */
export async function getJson(url: string, token: string): Promise<unknown> {
  return JSON.parse(await getText(url, token));
}
