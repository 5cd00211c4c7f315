import type { Keyring } from '../../codec/keyring';
import { linkClaimSigned, signLinkClaim } from '../../codec/link-signature';

/**
 * The address of a person's calendar feed. Calendar programs poll it without a token, so the address itself is the
 * credential: it names the person and is signed (codec/link-signature.ts) over their calendar version, which they
 * raise to retire an address that went where it should not (POST /me/calendar/renewal).
 */

const PURPOSE = 'calendar-feed';
const claimOf = (userId: string, version: number) => `${userId}\n${version}`;

/** /calendar/{userId}/{keyId}.{mac} */
export function calendarFeedPath(keyring: Keyring, userId: string, version: number): string {
  return `/calendar/${userId}/${signLinkClaim(keyring, PURPOSE, claimOf(userId, version))}`;
}

/** Whether `token` is the person's current calendar address (under any key the keyring still holds). */
export function isCalendarToken(keyring: Keyring, userId: string, version: number, token: string): boolean {
  return linkClaimSigned(keyring, PURPOSE, claimOf(userId, version), token);
}
