import { describe, expect, it } from 'vitest';
import { keyringFromList } from '../../codec/keyring';
import { isSealed, openSecret, sealSecret, SealedSecretError } from '../../codec/sealed-secret';

const key = (byte: number) => Buffer.alloc(32, byte).toString('base64');
const CONTEXT = 'webhook signing secret';
const SECRET = 'whsec_c2VjcmV0LXNpZ25pbmcta2V5LWZvci10ZXN0cw==';

describe('secrets sealed with the payload keyring', () => {
  it('opens what it sealed, and the stored form holds neither the secret nor its key', () => {
    const keyring = keyringFromList(`k2026:${key(1)}`);
    const stored = sealSecret(keyring, SECRET, CONTEXT);
    expect(stored).toMatch(/^sealed:k2026:[\w-]+$/);
    expect(stored).not.toContain(SECRET.slice(6, 20));
    expect(isSealed(stored)).toBe(true);
    expect(openSecret(keyring, stored, CONTEXT)).toBe(SECRET);
    // A fresh IV each time: the same secret never seals to the same text.
    expect(sealSecret(keyring, SECRET, CONTEXT)).not.toBe(stored);
  });

  it('opens older secrets after a key rotation, and says which key is missing when it cannot', () => {
    const old = keyringFromList(`k2025:${key(2)}`);
    const stored = sealSecret(old, SECRET, CONTEXT);
    expect(openSecret(keyringFromList(`k2026:${key(1)},k2025:${key(2)}`), stored, CONTEXT)).toBe(SECRET);
    expect(() => openSecret(keyringFromList(`k2026:${key(1)}`), stored, CONTEXT)).toThrow(/sealed with key 'k2025'.*PAYLOAD_KEYS/);
  });

  it('refuses an altered secret, one sealed for something else, and a key ID that now names another key', () => {
    const keyring = keyringFromList(`k2026:${key(1)}`);
    const stored = sealSecret(keyring, SECRET, CONTEXT);
    const last = stored.at(-2) === 'A' ? 'B' : 'A';
    expect(() => openSecret(keyring, `${stored.slice(0, -2)}${last}${stored.at(-1)}`, CONTEXT)).toThrow(SealedSecretError);
    expect(() => openSecret(keyring, stored, 'another secret')).toThrow(/does not open/);
    expect(() => openSecret(keyringFromList(`k2026:${key(3)}`), stored, CONTEXT)).toThrow(/does not open with key 'k2026'/);
  });

  it('returns a secret stored before sealing existed as it is', () => {
    expect(isSealed(SECRET)).toBe(false);
    expect(openSecret(keyringFromList(`k2026:${key(1)}`), SECRET, CONTEXT)).toBe(SECRET);
  });
});
