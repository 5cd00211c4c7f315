import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type, type TSchema } from '@sinclair/typebox';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { DialogueName } from '../../config/dialogue';
import type { MessageKey } from '../../i18n/messages';
import {
  addPasskey,
  findPasskey,
  keepChallenge,
  listPasskeys,
  recordPasskeyFailure,
  removePasskey,
  signInWithPasskey,
  takeChallenge,
  type StoredPasskey,
} from '../../db/passkeys-repository';
import type { SessionLifetime } from '../../db/sessions-repository';
import { ApiError } from '../api-error';
import { errorResponses, Nullable, Timestamp, Uuid } from '../schemas/common';
import { answerSignedIn, clientOf, SignedIn } from './sign-in';

/**
 * Passkeys (README, "Signing in"), with @simplewebauthn/server: a signed-in person adds passkeys to their account, and
 * then signs in with one alone — the passkey is discoverable, so the browser offers it without an address. The
 * relying party is this site: PUBLIC_URL's host (else the host a call came to), so a credential made for another
 * site is refused; each ceremony's challenge is kept in Postgres and works once, within five minutes.
 */

const Base64Url = (description: string) => Type.String({ pattern: '^[A-Za-z0-9_-]*$', maxLength: 16_384, description });
/** The browser's credential as JSON (its `toJSON()`; what @simplewebauthn/browser gives): fields of newer browsers are let through. */
const Credential = (response: Record<string, TSchema>, optional: Record<string, TSchema> = {}) =>
  Type.Object(
    {
      id: Base64Url('The credential’s ID'),
      rawId: Base64Url('The same, as the browser gives it'),
      type: Type.Literal('public-key'),
      response: Type.Object({ ...response, ...optional }, { additionalProperties: true }),
      clientExtensionResults: Type.Object({}, { additionalProperties: true }),
      authenticatorAttachment: Type.Optional(Type.String({ maxLength: 40 })),
    },
    { additionalProperties: true },
  );
const RegistrationResponse = Credential(
  { clientDataJSON: Base64Url('base64url'), attestationObject: Base64Url('base64url') },
  { transports: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 10 })) },
);
const AuthenticationResponse = Credential(
  { clientDataJSON: Base64Url('base64url'), authenticatorData: Base64Url('base64url'), signature: Base64Url('base64url') },
  { userHandle: Type.Optional(Base64Url('base64url')) },
);
/** The options the browser hands to navigator.credentials (create or get), as WebAuthn's JSON form gives them. */
const Options = Type.Object({ challenge: Type.String() }, { additionalProperties: true, description: 'PublicKeyCredential options in their JSON form' });

const PasskeyItem = Type.Object({
  passkeyId: Uuid,
  name: Type.String({ description: 'As the person named it; empty if they did not' }),
  transports: Type.Array(Type.String()),
  createdAt: Timestamp,
  lastUsedAt: Nullable(Timestamp),
});
const itemOf = (passkey: StoredPasskey) => ({
  passkeyId: passkey.id,
  name: passkey.name,
  transports: passkey.transports,
  createdAt: passkey.createdAt,
  lastUsedAt: passkey.lastUsedAt,
});

const refused = (code: string, key: MessageKey) => new ApiError(400, code, { key });

/** The challenge the browser signed, from its client data; the ceremony's check compares it too. */
function challengeOf(clientDataJSON: string): string {
  try {
    const challenge = (JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as { challenge?: unknown }).challenge;
    if (typeof challenge === 'string' && challenge.length > 0 && challenge.length <= 200) return challenge;
  } catch {
    // Not JSON: refused below.
  }
  throw refused('passkey_challenge_unknown', 'error.passkey.challenge');
}

/** A WebAuthn user handle: the person's ID as its sixteen bytes (no name, no address). */
const userHandleOf = (userId: string) => Buffer.from(userId.replaceAll('-', ''), 'hex');

const passkeyRoutes: FastifyPluginAsyncTypebox<{ dialogue: DialogueName; publicUrl: string | null; lifetime: SessionLifetime; secureCookies: boolean }> = async (
  fastify,
  { dialogue, publicUrl, lifetime, secureCookies },
) => {
  /** This site as WebAuthn names it: the origin the browser must have been on, and its host, the relying party's ID. */
  const relyingParty = (request: FastifyRequest) => {
    try {
      const origin = new URL(publicUrl ?? `${request.protocol}://${request.host}`).origin;
      return { origin, rpID: new URL(origin).hostname };
    } catch {
      throw refused('passkey_bad_host', 'error.passkey.badHost');
    }
  };

  fastify.post(
    '/me/passkeys/options',
    {
      schema: {
        summary: 'Begin adding a passkey: the options for the browser’s navigator.credentials.create()',
        description: 'A discoverable credential (sign-in needs no address), user verification preferred; the challenge works once, within five minutes (POST /me/passkeys).',
        tags: ['signing in'],
        response: { 200: Options, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { userId, name } = request.actor;
      const { rpID } = relyingParty(request);
      const existing = await listPasskeys(fastify.db, userId);
      const options = await generateRegistrationOptions({
        rpName: dialogue[request.language],
        rpID,
        userName: name,
        userDisplayName: name,
        userID: userHandleOf(userId),
        attestationType: 'none',
        excludeCredentials: existing.map((passkey) => ({ id: passkey.credentialId, transports: passkey.transports })),
        authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'preferred' },
      });
      await keepChallenge(fastify.db, { challenge: options.challenge, purpose: 'registration', userId });
      return options;
    },
  );

  fastify.post(
    '/me/passkeys',
    {
      schema: {
        summary: 'Add the passkey the browser made with the options of POST /me/passkeys/options',
        tags: ['signing in'],
        body: Type.Object(
          { response: RegistrationResponse, name: Type.Optional(Type.String({ maxLength: 60, description: 'What to call it ("laptop", "phone")' })) },
          { additionalProperties: false },
        ),
        response: { 201: PasskeyItem, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const { userId, name: userName } = request.actor;
      const response = request.body.response as unknown as RegistrationResponseJSON;
      const challenge = challengeOf(response.response.clientDataJSON);
      if (!(await takeChallenge(fastify.db, { challenge, purpose: 'registration', userId }))) throw refused('passkey_challenge_unknown', 'error.passkey.challenge');
      const { origin, rpID } = relyingParty(request);
      const verification = await verifyRegistrationResponse({ response, expectedChallenge: challenge, expectedOrigin: origin, expectedRPID: rpID, requireUserVerification: false }).catch(
        () => null,
      );
      if (!verification?.verified) throw refused('passkey_refused', 'error.passkey.refused');
      const { credential } = verification.registrationInfo;
      const added = await addPasskey(fastify.db, {
        userId,
        userName,
        credentialId: credential.id,
        publicKey: Buffer.from(credential.publicKey).toString('base64url'),
        counter: credential.counter,
        transports: credential.transports ?? [],
        name: request.body.name?.trim() ?? '',
      });
      if (!added) throw new ApiError(409, 'passkey_known', { key: 'error.passkey.known' });
      return reply.status(201).send(itemOf(added));
    },
  );

  fastify.get(
    '/me/passkeys',
    {
      schema: {
        summary: 'Your passkeys: their names, when each was added and last used',
        tags: ['signing in'],
        response: { 200: Type.Object({ items: Type.Array(PasskeyItem) }), ...errorResponses(401) },
      },
    },
    async (request) => ({ items: (await listPasskeys(fastify.db, request.actor.userId)).map(itemOf) }),
  );

  fastify.delete(
    '/me/passkeys/:passkeyId',
    {
      schema: {
        summary: 'Remove one of your passkeys: it signs nobody in any more',
        tags: ['signing in'],
        params: Type.Object({ passkeyId: Uuid }),
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const removed = await removePasskey(fastify.db, { userId: request.actor.userId, userName: request.actor.name, passkeyId: request.params.passkeyId });
      if (!removed) throw new ApiError(404, 'passkey_not_found', { key: 'error.passkey.notFound' });
      return reply.status(204).send(null);
    },
  );

  fastify.post(
    '/auth/passkey/options',
    {
      config: { public: true },
      schema: {
        summary: 'Begin signing in with a passkey: the options for the browser’s navigator.credentials.get()',
        description: 'No address asked: the browser offers the passkeys it has for this site. The challenge works once, within five minutes (POST /auth/passkey).',
        tags: ['signing in'],
        response: { 200: Options, ...errorResponses(400) },
      },
    },
    async (request) => {
      const { rpID } = relyingParty(request);
      const options = await generateAuthenticationOptions({ rpID, userVerification: 'preferred', allowCredentials: [] });
      await keepChallenge(fastify.db, { challenge: options.challenge, purpose: 'authentication', userId: null });
      return options;
    },
  );

  fastify.post(
    '/auth/passkey',
    {
      config: { public: true },
      schema: {
        summary: 'Sign in with a passkey: the browser’s answer to the options of POST /auth/passkey/options',
        description: 'Checked against the stored passkey (this site’s origin and relying party, the challenge, the signature, the counter); then a session, as every way in gives.',
        tags: ['signing in'],
        body: Type.Object({ response: AuthenticationResponse }, { additionalProperties: false }),
        response: { 200: SignedIn, ...errorResponses(400) },
      },
    },
    async (request, reply) => {
      const response = request.body.response as unknown as AuthenticationResponseJSON;
      const client = clientOf(request);
      const refuse = async (reason: string, key: MessageKey) => {
        await recordPasskeyFailure(fastify.db, reason, client);
        return refused(`passkey_${reason}`, key);
      };
      const challenge = challengeOf(response.response.clientDataJSON);
      if (!(await takeChallenge(fastify.db, { challenge, purpose: 'authentication', userId: null }))) throw await refuse('challenge_unknown', 'error.passkey.challenge');
      const passkey = await findPasskey(fastify.db, response.id);
      if (!passkey) throw await refuse('unknown', 'error.passkey.unknown');
      // The authenticator says whose passkey it holds: it must be the person the credential was added for.
      if (response.response.userHandle !== undefined && response.response.userHandle !== userHandleOf(passkey.userId).toString('base64url')) {
        throw await refuse('refused', 'error.passkey.refused');
      }
      const { origin, rpID } = relyingParty(request);
      const verification = await verifyAuthenticationResponse({
        response,
        expectedChallenge: challenge,
        expectedOrigin: origin,
        expectedRPID: rpID,
        credential: { id: passkey.credentialId, publicKey: new Uint8Array(Buffer.from(passkey.publicKey, 'base64url')), counter: passkey.counter, transports: passkey.transports },
        requireUserVerification: false,
      }).catch(() => null);
      if (!verification?.verified) throw await refuse('refused', 'error.passkey.refused');
      const session = await signInWithPasskey(fastify.db, { passkey, newCounter: verification.authenticationInfo.newCounter, client, lifetime });
      if (!session) throw await refuse('refused', 'error.passkey.refused');
      return answerSignedIn(fastify, request, reply, session, secureCookies);
    },
  );
};

export default passkeyRoutes;
