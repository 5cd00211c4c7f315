import { createHash } from 'node:crypto';
import type { Keyring } from '../../codec/keyring';
import { linkClaimSigned, signLinkClaim } from '../../codec/link-signature';

/**
 * The one-click unsubscribe link of every notification (RFC 8058: the `List-Unsubscribe` header, which mail
 * programs show as an "Unsubscribe" button). Whoever holds the link may do one thing: stop e-mails to the address it
 * was sent to. It names the person and a digest of that address, signed (codec/link-signature.ts); once the person's
 * address is another, the link changes nothing.
 *
 * The address itself is not in the link: links end up in proxy and server logs.
 */

export interface UnsubscribeClaim {
  userId: string;
  /** SHA-256 of the address, base64url, first 16 bytes: enough to tell addresses apart, not to read one. */
  addressDigest: string;
}

const digestOf = (email: string) => createHash('sha256').update(email.trim().toLowerCase()).digest().subarray(0, 16).toString('base64url');

const PURPOSE = 'unsubscribe-link';
const claimOf = (userId: string, addressDigest: string) => `${userId}\n${addressDigest}`;

/** The path of the link for this person and address: /unsubscribe/{userId}/{addressDigest}.{keyId}.{mac}. */
export function unsubscribePath(keyring: Keyring, userId: string, email: string): string {
  const addressDigest = digestOf(email);
  return `/unsubscribe/${userId}/${addressDigest}.${signLinkClaim(keyring, PURPOSE, claimOf(userId, addressDigest))}`;
}

/** What a link's token claims, if it is signed with one of the keyring's keys; null for anything else. */
export function verifyUnsubscribeToken(keyring: Keyring, userId: string, token: string): UnsubscribeClaim | null {
  const dot = token.indexOf('.');
  if (dot < 1) return null;
  const addressDigest = token.slice(0, dot);
  return linkClaimSigned(keyring, PURPOSE, claimOf(userId, addressDigest), token.slice(dot + 1)) ? { userId, addressDigest } : null;
}

/** Whether a claim is about this address. */
export const claimIsFor = (claim: UnsubscribeClaim, email: string | null) => email !== null && digestOf(email) === claim.addressDigest;
