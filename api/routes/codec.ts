import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { restrictRoutes } from '../plugins/app/authorization';
import { Type } from '@sinclair/typebox';
import type { Payload } from '@temporalio/common';
import { AesGcmPayloadCodec } from '../../codec/aes-gcm-payload-codec';
import type { Keyring } from '../../codec/keyring';
import { ApiError } from '../api-error';
import { errorResponses } from '../schemas/common';

/**
 * The remote codec endpoint of the Temporal Web UI and CLI (`--codec-endpoint`): it decrypts payloads for
 * someone allowed to read them (the Secretariat and administrators, who may see personal data) and encrypts
 * for them. Payloads travel as in Temporal's JSON: metadata values and data base64-encoded.
 */

const WirePayload = Type.Object({
  metadata: Type.Optional(Type.Record(Type.String(), Type.String({ maxLength: 1_000 }))),
  data: Type.Optional(Type.String({ maxLength: 4_000_000 })),
});
const WirePayloads = Type.Object({ payloads: Type.Array(WirePayload, { maxItems: 1000 }) });
// The Temporal CLI sends `{}` for an empty list: so `payloads` may be left out, and is then empty.
const WirePayloadsBody = Type.Object({ payloads: Type.Optional(Type.Array(WirePayload, { maxItems: 1000, default: [] })) });
type Wire = { metadata?: Record<string, string>; data?: string };

const fromWire = (payload: Wire): Payload => ({
  metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(payload.data ?? '', 'base64'),
});
const toWire = (payload: Payload): Wire => ({
  metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')])),
  data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
});

const codecRoutes: FastifyPluginAsyncTypebox<{ keyring: Keyring }> = async (fastify, options) => {
  const codec = new AesGcmPayloadCodec(options.keyring);
  restrictRoutes(fastify, ['secretariat', 'admin'], { key: 'error.onlyCodec' });
  const schema = (summary: string) => ({
    summary,
    tags: ['operations'],
    body: WirePayloadsBody,
    response: { 200: WirePayloads, ...errorResponses(400, 401, 403) },
  });
  fastify.post('/codec/decode', { schema: schema('Decrypt Temporal payloads (for the Web UI’s codec endpoint setting)') }, async (request) => {
    try {
      return { payloads: (await codec.decode((request.body.payloads ?? []).map(fromWire))).map(toWire) };
    } catch (error) {
      // The cipher's own words (an authentication tag that fails, a key not in the keyring) are no catalog's.
      throw new ApiError(400, 'undecodable_payload', { key: 'error.undecodablePayload', values: { problem: (error as Error).message } });
    }
  });
  fastify.post('/codec/encode', { schema: schema('Encrypt Temporal payloads') }, async (request) => ({
    payloads: (await codec.encode((request.body.payloads ?? []).map(fromWire))).map(toWire),
  }));
};

export default codecRoutes;
