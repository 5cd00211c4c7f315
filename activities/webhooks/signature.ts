import { createHmac, randomBytes } from 'node:crypto';

/**
 * Signatures as the Standard Webhooks specification has them (https://www.standardwebhooks.com): the secret is
 * `whsec_` + base64 key; the signature is `v1,` + base64 HMAC-SHA256 of `<id>.<timestamp>.<body>`, the timestamp
 * in Unix seconds. Receivers verify with any of that specification's libraries, and reject old timestamps to
 * stop replays.
 */

const PREFIX = 'whsec_';

export const newWebhookSecret = (): string => `${PREFIX}${randomBytes(32).toString('base64')}`;

/** What a sealed signing secret is for (codec/sealed-secret.ts): it opens as nothing else. */
export const WEBHOOK_SECRET_CONTEXT = 'webhook signing secret';

export function signWebhook(secret: string, message: { id: string; timestamp: number; body: string }): string {
  const key = Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64');
  const mac = createHmac('sha256', key).update(`${message.id}.${message.timestamp}.${message.body}`).digest('base64');
  return `v1,${mac}`;
}
