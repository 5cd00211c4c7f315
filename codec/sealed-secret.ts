import { open, seal } from './aes-gcm';
import type { Keyring } from './keyring';

/**
 * Secrets the system must read back (webhook signing secrets) are stored sealed with the payload keyring:
 * `sealed:<key ID>:<base64url of IV, ciphertext, tag>`. A copy of the database alone then signs nothing. The key
 * ID says which key opens it, so a rotated keyring (new key in front, old ones kept) still opens older secrets.
 * A stored value without the prefix is a secret written before sealing existed, and is returned as it is.
 */
const PREFIX = 'sealed:';

export class SealedSecretError extends Error {}

export function sealSecret(keyring: Keyring, secret: string, context: string): string {
  const key = keyring.keys.get(keyring.currentKeyId)!;
  return `${PREFIX}${keyring.currentKeyId}:${seal(key, Buffer.from(secret, 'utf8'), context).toString('base64url')}`;
}

export const isSealed = (stored: string): boolean => stored.startsWith(PREFIX);

export function openSecret(keyring: Keyring, stored: string, context: string): string {
  if (!isSealed(stored)) return stored;
  const separator = stored.indexOf(':', PREFIX.length);
  const keyId = stored.slice(PREFIX.length, separator);
  const key = keyring.keys.get(keyId);
  if (separator < 0 || !key) {
    throw new SealedSecretError(`A ${context} was sealed with key '${keyId}', which is not in the keyring: add it to PAYLOAD_KEYS (keep retired keys).`);
  }
  try {
    return open(key, Buffer.from(stored.slice(separator + 1), 'base64url'), context).toString('utf8');
  } catch {
    throw new SealedSecretError(`A ${context} does not open with key '${keyId}': it was altered, or that key ID now names another key.`);
  }
}
