import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply, RouteShorthandOptions } from 'fastify';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { DialogueName } from '../../config/dialogue';
import { escapeHtml } from '../escape-html';

/**
 * The dashboard: a static page and its scripts, at /dashboard. The files are public (they hold no data); the
 * page then calls the API with the token its user pastes, so it shows exactly what that person may see.
 *
 * Not wrapped in fastify-plugin on purpose: `reply.sendFile` and the policy below stay inside this plugin.
 */

const ROOT = fileURLToPath(new URL('../../dashboard/', import.meta.url));
const PAGE_FILE = /^[\w-]+\.(?:js|css)$/;

/**
 * helmet's CSP is off for the whole API because Swagger UI (/docs) needs inline scripts. The dashboard needs
 * nothing inline and nothing from elsewhere, so its pages carry a strict policy of their own: its own scripts
 * and styles, calls to this origin only, no framing. `data:` images only for the empty favicon.
 */
const CONTENT_SECURITY_POLICY = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
};

const dashboardRoutes: FastifyPluginAsync<{ dialogue: DialogueName }> = async (fastify, { dialogue }) => {
  // Only reply.sendFile: the routes are ours, so that they can be marked public and keep their CSP.
  await fastify.register(fastifyStatic, { root: ROOT, serve: false, dotfiles: 'deny' });
  // The page names the dialogue this deployment serves (%DIALOGUE% in the file), once, at start.
  const page = (await readFile(`${ROOT}index.html`, 'utf8')).replaceAll('%DIALOGUE%', escapeHtml(dialogue.en));
  const sendPage = (reply: FastifyReply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(page);

  const options: RouteShorthandOptions = {
    config: { public: true },
    // Static files, not API operations: kept out of the OpenAPI document.
    schema: { hide: true },
    helmet: { contentSecurityPolicy: CONTENT_SECURITY_POLICY },
  };
  fastify.get('/dashboard', options, (_request, reply) => sendPage(reply));
  fastify.get<{ Params: { '*': string } }>('/dashboard/*', options, (request, reply) => {
    const file = request.params['*'];
    if (['', 'index.html'].includes(file)) return sendPage(reply);
    // What the page loads, nothing else of its folder (its type-check configuration and API types are not the page's).
    if (!PAGE_FILE.test(file)) return reply.callNotFound();
    return reply.sendFile(file);
  });
};

export default dashboardRoutes;
