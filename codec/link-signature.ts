import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { Keyring } from './keyring';

/**
 * Links that act without a bearer token, because what follows them cannot send one: an e-mail's unsubscribe link, a
 * calendar program polling a feed. Each carries a MAC over what it claims, with a key of its own per purpose derived
 * (HKDF) from a payload key: no new secret to manage, and a signature reveals nothing of the payload key. The
 * signature names its key (`<keyId>.<mac>`), so links outlive a key rotation for as long as the old key is kept.
 */

const linkKey = (payloadKey: Buffer, purpose: string) =>
  Buffer.from(hkdfSync('sha256', payloadKey, Buffer.alloc(0), `rabat-capacity-requests/${purpose}`, 32));

const mac = (payloadKey: Buffer, purpose: string, claim: string) =>
  createHmac('sha256', linkKey(payloadKey, purpose)).update(claim).digest().subarray(0, 16).toString('base64url');

/** `<keyId>.<mac>`: `claim` signed for `purpose` with the keyring's current key. */
export function signLinkClaim(keyring: Keyring, purpose: string, claim: string): string {
  return `${keyring.currentKeyId}.${mac(keyring.keys.get(keyring.currentKeyId)!, purpose, claim)}`;
}

/** Whether `signature` (`<keyId>.<mac>`) signs `claim` for `purpose` under one of the keyring's keys. */
export function linkClaimSigned(keyring: Keyring, purpose: string, claim: string, signature: string): boolean {
  const dot = signature.lastIndexOf('.');
  const key = dot > 0 ? keyring.keys.get(signature.slice(0, dot)) : undefined;
  if (!key) return false;
  const expected = Buffer.from(mac(key, purpose, claim));
  const given = Buffer.from(signature.slice(dot + 1));
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** A key of its own for `purpose`, derived from the keyring's current key: what an HMAC elsewhere (CSRF tokens) keys with. */
export function purposeKey(keyring: Keyring, purpose: string): Buffer {
  return linkKey(keyring.keys.get(keyring.currentKeyId)!, purpose);
}
