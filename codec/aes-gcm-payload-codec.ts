import type { Payload, PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';
import { open, seal } from './aes-gcm';
import type { Keyring } from './keyring';

/**
 * Encrypts every payload Temporal stores (workflow inputs, update arguments and results, activity inputs,
 * query answers in flight) with AES-256-GCM, so that Temporal's database holds no readable request content
 * or personal data. The key ID travels in the payload's metadata: after a key rotation, old histories still
 * decrypt with the key they were written with. Payloads without our encoding (histories written before
 * encryption was switched on) pass through unchanged.
 */

export const ENCRYPTED_ENCODING = 'binary/encrypted';
const ENCODING_KEY = 'encoding';
const KEY_ID_KEY = 'encryption-key-id';
// @temporalio/proto is CommonJS: Node's ESM loader sees only its default export.
const { Payload: PayloadMessage } = proto.temporal.api.common.v1;

const text = (value: string): Uint8Array => new TextEncoder().encode(value);
const readText = (bytes: Uint8Array | null | undefined): string => new TextDecoder().decode(bytes ?? new Uint8Array());

export class AesGcmPayloadCodec implements PayloadCodec {
  constructor(private readonly keyring: Keyring) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const { currentKeyId, keys } = this.keyring;
    const key = keys.get(currentKeyId)!;
    return payloads.map((payload) => {
      return {
        metadata: { [ENCODING_KEY]: text(ENCRYPTED_ENCODING), [KEY_ID_KEY]: text(currentKeyId) },
        data: seal(key, PayloadMessage.encode(payload).finish()),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (readText(payload.metadata?.[ENCODING_KEY]) !== ENCRYPTED_ENCODING) return payload;
      const keyId = readText(payload.metadata?.[KEY_ID_KEY]);
      const key = this.keyring.keys.get(keyId);
      if (!key) {
        throw new Error(`Payload encrypted with key '${keyId}', which is not in the keyring: add it to PAYLOAD_KEYS (keep retired keys for old histories).`);
      }
      return PayloadMessage.decode(open(key, Buffer.from(payload.data ?? new Uint8Array())));
    });
  }
}
