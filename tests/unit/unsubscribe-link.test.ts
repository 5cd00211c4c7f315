import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { claimIsFor, unsubscribePath, verifyUnsubscribeToken } from '../../activities/notifications/unsubscribe-link';
import { keyringFromList } from '../../codec/keyring';

const key = () => randomBytes(32).toString('base64');
const tokenOf = (path: string) => path.split('/').at(-1)!;

describe('one-click unsubscribe links', () => {
  const keyring = keyringFromList(`2026a:${key()}`);
  const userId = randomUUID();
  const path = unsubscribePath(keyring, userId, 'nfp@senegal.example.org');

  it('name the person and a digest of the address, never the address itself', () => {
    expect(path).toMatch(new RegExp(`^/unsubscribe/${userId}/[A-Za-z0-9_-]+\\.2026a\\.[A-Za-z0-9_-]+$`));
    expect(path).not.toContain('senegal');
  });

  it('hold for the person and address they were made for, whatever the case of the address', () => {
    const claim = verifyUnsubscribeToken(keyring, userId, tokenOf(path));
    expect(claim).not.toBeNull();
    expect(claimIsFor(claim!, 'nfp@senegal.example.org')).toBe(true);
    expect(claimIsFor(claim!, 'NFP@Senegal.example.org')).toBe(true);
    expect(claimIsFor(claim!, 'new.nfp@senegal.example.org')).toBe(false);
    expect(claimIsFor(claim!, null)).toBe(false);
  });

  it('are refused when changed in any part, or used for another person', () => {
    const token = tokenOf(path);
    const [digest, keyId, mac] = [token.split('.')[0]!, '2026a', token.split('.').at(-1)!];
    const flip = (text: string) => (text[0] === 'A' ? 'B' : 'A') + text.slice(1);
    expect(verifyUnsubscribeToken(keyring, randomUUID(), token)).toBeNull();
    expect(verifyUnsubscribeToken(keyring, userId, `${flip(digest)}.${keyId}.${mac}`)).toBeNull();
    expect(verifyUnsubscribeToken(keyring, userId, `${digest}.${keyId}.${flip(mac)}`)).toBeNull();
    expect(verifyUnsubscribeToken(keyring, userId, `${digest}.other.${mac}`)).toBeNull();
    for (const malformed of ['', '.', '..', `${digest}..${mac}`, `${digest}.${keyId}.`, `.${keyId}.${mac}`, digest]) {
      expect(verifyUnsubscribeToken(keyring, userId, malformed)).toBeNull();
    }
  });

  it('outlive a key rotation while their key is kept in the keyring, and no longer', () => {
    const old = `2026a:${[...keyring.keys.values()][0]!.toString('base64')}`;
    const rotated = keyringFromList(`2027a:${key()},${old}`);
    expect(verifyUnsubscribeToken(rotated, userId, tokenOf(path))).not.toBeNull();
    expect(verifyUnsubscribeToken(keyringFromList(`2027a:${key()}`), userId, tokenOf(path))).toBeNull();
    // Links made after the rotation are signed with the new current key.
    expect(unsubscribePath(rotated, userId, 'nfp@senegal.example.org')).toContain('.2027a.');
  });
});
