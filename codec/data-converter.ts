import type { DataConverter } from '@temporalio/common';
import { AesGcmPayloadCodec } from './aes-gcm-payload-codec';
import type { Keyring } from './keyring';

/** The one data converter every Temporal client and worker of this project uses. */
export function encryptingDataConverter(keyring: Keyring): DataConverter {
  return { payloadCodecs: [new AesGcmPayloadCodec(keyring)] };
}
