import { createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { Keyring } from '../../codec/keyring';

/**
 * The one-click unsubscribe link of every notification (RFC 8058: the `List-Unsubscribe` header, which mail
 * programs show as an "Unsubscribe" button). Whoever holds the link may do one thing: stop e-mails to the address it
 * was sent to. It names the person and a digest of that address, signed with a key derived from the payload keyring
 * (so no new secret to manage); once the person's address is another, the link changes nothing.
 *
 * The address itself is not in the link: links end up in proxy and server logs.
 */

export interface UnsubscribeClaim {
  userId: string;
  /** SHA-256 of the address, base64url, first 16 bytes: enough to tell addresses apart, not to read one. */
  addressDigest: string;
}

const digestOf = (email: string) => createHash('sha256').update(email.trim().toLowerCase()).digest().subarray(0, 16).toString('base64url');

/** A key of its own for these links, derived from a payload key, so that a link's signature reveals nothing of it. */
const linkKey = (payloadKey: Buffer) => Buffer.from(hkdfSync('sha256', payloadKey, Buffer.alloc(0), 'rabat-capacity-requests/unsubscribe-link', 32));

const mac = (key: Buffer, userId: string, addressDigest: string) =>
  createHmac('sha256', linkKey(key)).update(`${userId}\n${addressDigest}`).digest().subarray(0, 16).toString('base64url');

/** The path of the link for this person and address: /unsubscribe/{userId}/{token}. */
export function unsubscribePath(keyring: Keyring, userId: string, email: string): string {
  const addressDigest = digestOf(email);
  const key = keyring.keys.get(keyring.currentKeyId)!;
  return `/unsubscribe/${userId}/${addressDigest}.${keyring.currentKeyId}.${mac(key, userId, addressDigest)}`;
}

/**
 * What a link's token claims, if its signature holds under one of the keyring's keys (a link outlives key rotation as
 * long as its key is kept); null for anything else.
 */
export function verifyUnsubscribeToken(keyring: Keyring, userId: string, token: string): UnsubscribeClaim | null {
  const first = token.indexOf('.');
  const last = token.lastIndexOf('.');
  if (first < 1 || last <= first + 1 || last === token.length - 1) return null;
  const addressDigest = token.slice(0, first);
  const keyId = token.slice(first + 1, last);
  const signature = Buffer.from(token.slice(last + 1));
  const key = keyring.keys.get(keyId);
  if (!key) return null;
  const expected = Buffer.from(mac(key, userId, addressDigest));
  return expected.length === signature.length && timingSafeEqual(expected, signature) ? { userId, addressDigest } : null;
}

/** Whether a claim is about this address. */
export const claimIsFor = (claim: UnsubscribeClaim, email: string | null) => email !== null && digestOf(email) === claim.addressDigest;
