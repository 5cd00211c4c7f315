import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { claimIsFor, verifyUnsubscribeToken, type UnsubscribeClaim } from '../../activities/notifications/unsubscribe-link';
import type { Keyring } from '../../codec/keyring';
import type { DialogueName } from '../../config/dialogue';
import { removeUserEmail } from '../../db/notifications-repository';
import { findUserById } from '../../db/users-repository';
import { errorResponses, Uuid } from '../schemas/common';
import { escapeHtml } from '../escape-html';

/**
 * The one-click unsubscribe link of every notification (the List-Unsubscribe header, RFC 8058): without a token,
 * since it is followed from a mailbox, and able to do one thing only, stop e-mails to the address it was sent to.
 * GET shows a page with a button (mail programs and scanners fetch links on their own: a GET changes nothing);
 * POST, from that button or from the mail program's "Unsubscribe", removes the address. Answers are small HTML
 * pages in English and French, like the e-mails.
 */

/** A fresh object at each use: @fastify/swagger rewrites a response object it meets twice as JSON. */
const htmlPage = () => ({ schema: Type.String({ description: 'A small HTML page saying what happened, in English and French' }) });
const html = () => ({ content: { 'text/html': htmlPage() } });
// A link that is not valid gets the page. A path that is not a link at all (`/unsubscribe/../x` is `/x`) is answered as
// any unknown path: the router's JSON 404, or 401 without a token.
const notFound = () => ({ content: { 'text/html': htmlPage(), 'application/json': { schema: Type.Ref('Error') } } });
const Params = Type.Object({
  userId: Uuid,
  token: Type.String({ maxLength: 100, pattern: '^[A-Za-z0-9_-]+\\.[\\w.-]+\\.[A-Za-z0-9_-]+$', description: 'From the e-mail’s List-Unsubscribe link' }),
});

// The page has no scripts, styles or images: it forbids them all, and may only post its own form.
const CONTENT_SECURITY_POLICY = "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** The address as the page shows it: enough for its owner to recognise, not for someone looking over a shoulder. */
const masked = (email: string) => email.replace(/^(.)[^@]*(@.*)$/, '$1•••$2');

function page(reply: FastifyReply, dialogue: DialogueName, status: number, paragraphs: string[], form = false) {
  const body = paragraphs.map((text) => `<p>${escapeHtml(text)}</p>`).join('\n');
  const button = form
    ? '<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Stop these e-mails · Ne plus recevoir ces courriels</button></form>'
    : '';
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .header('content-security-policy', CONTENT_SECURITY_POLICY)
    .header('cache-control', 'no-store')
    .send(
      `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
        `<title>${escapeHtml(dialogue.en)} e-mail notifications</title></head>` +
        `<body><h1>${escapeHtml(dialogue.en)} · ${escapeHtml(dialogue.fr)}</h1>\n${body}\n${button}</body></html>\n`,
    );
}

const NOT_VALID = [
  'This unsubscribe link is not valid: it may have been cut when it was copied. You can also stop e-mails in the dashboard ("E-mail notifications").',
  'Ce lien de désinscription n’est pas valide : il a peut-être été coupé lors de la copie. Vous pouvez aussi arrêter les courriels dans le tableau de bord (« E-mail notifications »).',
];
const NOTHING_GOES_THERE = [
  'No notifications go to the address this link was sent to any more.',
  'Plus aucune notification n’est envoyée à l’adresse à laquelle ce lien a été envoyé.',
];

const unsubscribeRoutes: FastifyPluginAsyncTypebox<{ keyring: Keyring; dialogue: DialogueName }> = async (fastify, { keyring, dialogue }) => {
  // RFC 8058's POST body is a form (List-Unsubscribe=One-Click); nothing in it is needed beyond the link itself.
  for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data']) {
    fastify.addContentTypeParser(type, { parseAs: 'string', bodyLimit: 4096 }, (_request, _body, done) => done(null, null));
  }

  /** The claim of a link and the person's address, if the link is genuine. */
  const resolve = async (userId: string, token: string): Promise<{ claim: UnsubscribeClaim; email: string | null } | null> => {
    const claim = verifyUnsubscribeToken(keyring, userId, token);
    if (!claim) return null;
    const user = await findUserById(fastify.db, userId);
    return user ? { claim, email: user.email } : null;
  };

  const schema = () => ({
    tags: ['notifications'],
    params: Params,
    security: [],
    produces: ['text/html'],
    response: { 200: html(), 404: notFound(), ...errorResponses(400, 401) },
  });

  fastify.get(
    '/unsubscribe/:userId/:token',
    {
      config: { public: true },
      schema: { ...schema(), summary: 'The page of an e-mail’s unsubscribe link: a button that stops e-mails to that address (this GET changes nothing)' },
    },
    async (request, reply) => {
      const found = await resolve(request.params.userId, request.params.token);
      if (!found) return page(reply, dialogue, 404, NOT_VALID);
      if (!claimIsFor(found.claim, found.email)) return page(reply, dialogue, 200, NOTHING_GOES_THERE);
      return page(
        reply,
        dialogue,
        200,
        [
          `Stop the ${dialogue.en} notifications to ${masked(found.email!)}? You can give an address again at any time in the dashboard.`,
          `Ne plus envoyer à ${masked(found.email!)} les notifications « ${dialogue.fr} » ? Vous pourrez redonner une adresse à tout moment dans le tableau de bord.`,
        ],
        true,
      );
    },
  );

  fastify.post(
    '/unsubscribe/:userId/:token',
    {
      config: { public: true },
      schema: {
        ...schema(),
        summary: 'One-click unsubscribe (RFC 8058): stops e-mails to the address the link was sent to; repeating it is harmless',
        consumes: ['application/x-www-form-urlencoded', 'multipart/form-data'],
      },
    },
    async (request, reply) => {
      const { userId, token } = request.params;
      const found = await resolve(userId, token);
      if (!found) return page(reply, dialogue, 404, NOT_VALID);
      if (!claimIsFor(found.claim, found.email) || !(await removeUserEmail(fastify.db, userId, found.email!, 'unsubscribe link'))) {
        return page(reply, dialogue, 200, NOTHING_GOES_THERE);
      }
      request.log.info({ userId }, 'E-mail notifications stopped by the unsubscribe link');
      return page(reply, dialogue, 200, [
        `Done: no more notifications go to ${masked(found.email!)}. To receive them again, give an address in the dashboard ("E-mail notifications").`,
        `C’est fait : plus aucune notification n’est envoyée à ${masked(found.email!)}. Pour en recevoir de nouveau, donnez une adresse dans le tableau de bord (« E-mail notifications »).`,
      ]);
    },
  );
};

export default unsubscribeRoutes;
