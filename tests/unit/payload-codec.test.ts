import { defaultPayloadConverter } from '@temporalio/common';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING } from '../../codec/aes-gcm-payload-codec';
import { keyringFromList, KeyringError } from '../../codec/keyring';

const key = () => randomBytes(32).toString('base64');
const SECRET = { contact: { email: 'awa.diop@interieur.gouv.sn' }, title: 'Training on document fraud' };
const plain = () => defaultPayloadConverter.toPayload(SECRET);
const decodeText = (bytes: Uint8Array | null | undefined) => new TextDecoder().decode(bytes ?? new Uint8Array());

describe('AES-256-GCM payload codec', () => {
  it('encrypts so that nothing readable remains, names the key, and decrypts back exactly', async () => {
    const codec = new AesGcmPayloadCodec(keyringFromList(`k1:${key()}`));
    const [encrypted] = await codec.encode([plain()]);
    expect(decodeText(encrypted!.metadata!.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(decodeText(encrypted!.metadata!['encryption-key-id'])).toBe('k1');
    expect(Buffer.from(encrypted!.data!).toString('latin1')).not.toContain('awa.diop');
    const [decrypted] = await codec.decode([encrypted!]);
    expect(defaultPayloadConverter.fromPayload(decrypted!)).toEqual(SECRET);
  });

  it('uses a fresh IV each time: the same payload never encrypts to the same bytes', async () => {
    const codec = new AesGcmPayloadCodec(keyringFromList(`k1:${key()}`));
    const [a, b] = await codec.encode([plain(), plain()]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });

  it('after a rotation, new payloads use the new key and old ones still decrypt', async () => {
    const oldKey = key();
    const before = new AesGcmPayloadCodec(keyringFromList(`2025:${oldKey}`));
    const [old] = await before.encode([plain()]);
    const after = new AesGcmPayloadCodec(keyringFromList(`2026:${key()},2025:${oldKey}`));
    const [fresh] = await after.encode([plain()]);
    expect(decodeText(fresh!.metadata!['encryption-key-id'])).toBe('2026');
    const decoded = await after.decode([old!, fresh!]);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([SECRET, SECRET]);
  });

  it('refuses, with the key ID, a payload whose key was dropped from the keyring', async () => {
    const [old] = await new AesGcmPayloadCodec(keyringFromList(`gone:${key()}`)).encode([plain()]);
    const codec = new AesGcmPayloadCodec(keyringFromList(`k2:${key()}`));
    await expect(codec.decode([old!])).rejects.toThrow(/key 'gone'.*not in the keyring/);
  });

  it('detects tampering (GCM authentication)', async () => {
    const codec = new AesGcmPayloadCodec(keyringFromList(`k1:${key()}`));
    const [encrypted] = await codec.encode([plain()]);
    const data = Buffer.from(encrypted!.data!);
    data[20] = data[20]! ^ 0xff;
    await expect(codec.decode([{ ...encrypted!, data }])).rejects.toThrow();
  });

  it('passes through payloads written before encryption (old histories stay readable)', async () => {
    const codec = new AesGcmPayloadCodec(keyringFromList(`k1:${key()}`));
    const [unchanged] = await codec.decode([plain()]);
    expect(defaultPayloadConverter.fromPayload(unchanged!)).toEqual(SECRET);
  });
});

describe('keyring configuration', () => {
  it('takes the first key as current unless one is named', () => {
    const [a, b] = [key(), key()];
    expect(keyringFromList(`a:${a},b:${b}`).currentKeyId).toBe('a');
    expect(keyringFromList(`a:${a}, b:${b}`, 'b').currentKeyId).toBe('b');
  });

  it.each([
    ['', /holds no key/],
    ['nokey', /<id>:<base64 key>/],
    [`k1:${Buffer.alloc(16).toString('base64')}`, /must be 32 bytes/],
    [`bad id!:${Buffer.alloc(32).toString('base64')}`, /letters, digits/],
  ])('refuses %j with a clear message', (list, message) => {
    expect(() => keyringFromList(list)).toThrow(KeyringError);
    expect(() => keyringFromList(list)).toThrow(message);
  });

  it('refuses a current key ID that is not in the list', () => {
    expect(() => keyringFromList(`a:${key()}`, 'zz')).toThrow(/PAYLOAD_KEY_ID 'zz' is not among/);
  });
});
