import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DialogueName } from '../../config/dialogue';
import { isLanguage, LANGUAGES, negotiateLanguage, type Language } from '../../i18n/languages';
import { pageCatalog, renderPage } from '../../i18n/page-catalog';
import { escapeHtml } from '../escape-html';

/**
 * The dashboard: a static page and its scripts, at /dashboard. The files are public (they hold no data); the
 * page then calls the API with its person's session cookie (README, "Signing in"), so it shows exactly what that
 * person may see.
 *
 * The page is in one language, chosen as people expect: `?lang=` (the switcher, or the person's saved choice the
 * page applies once signed in), else the browser's Accept-Language, else the deployment's DEFAULT_LANGUAGE. Its
 * markup is rendered in that language here, once per language at start; its scripts read their words from that
 * language's catalog alone (`/dashboard/catalog.<lang>.js`), and format with the vendored intl-messageformat.
 *
 * Not wrapped in fastify-plugin on purpose: `reply.sendFile` and the policy below stay inside this plugin.
 */

const ROOT = fileURLToPath(new URL('../../dashboard/', import.meta.url));
const PAGE_FILE = /^[\w-]+\.(?:js|css)$/;
const CATALOG_FILE = /^catalog\.([a-z]{2})\.js$/;
/** The ICU message formatter, as its package ships it for browsers: one ES module, no imports. */
// (The package's exports name only its entry point; the bundle sits beside it.)
const MESSAGE_FORMAT_PATH = join(dirname(createRequire(import.meta.url).resolve('intl-messageformat')), 'intl-messageformat.iife.js');
/**
 * The browser's half of WebAuthn (@simplewebauthn/browser), which ships for browsers as one UMD file without imports:
 * served as an ES module whose `exports` its CommonJS branch fills — no global. The page imports it when a passkey is
 * used, not at its first load.
 */
const WEBAUTHN_PATH = join(dirname(createRequire(import.meta.url).resolve('@simplewebauthn/browser')), '..', 'dist', 'bundle', 'index.umd.min.js');
const asModule = (umd: string) =>
  `const exports = {}, module = { exports };\n${umd}\nexport const { startRegistration, startAuthentication, browserSupportsWebAuthn } = exports;\n`;

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

const dashboardRoutes: FastifyPluginAsync<{ dialogue: DialogueName; defaultLanguage: Language }> = async (fastify, { dialogue, defaultLanguage }) => {
  // Only reply.sendFile: the routes are ours, so that they can be marked public and keep their CSP.
  await fastify.register(fastifyStatic, { root: ROOT, serve: false, dotfiles: 'deny' });
  const markup = await readFile(`${ROOT}index.html`, 'utf8');
  const pages = new Map(LANGUAGES.map((language) => [language, renderPage(markup, language, escapeHtml(dialogue[language]))]));
  const catalogs = new Map(LANGUAGES.map((language) => [language, `export default ${JSON.stringify(pageCatalog(language, dialogue[language]))};\n`]));
  const messageFormat = await readFile(MESSAGE_FORMAT_PATH, 'utf8');
  const webauthn = asModule(await readFile(WEBAUTHN_PATH, 'utf8'));

  const languageOf = (request: FastifyRequest): Language => {
    const asked = (request.query as { lang?: unknown }).lang;
    return isLanguage(asked) ? asked : negotiateLanguage(request.headers['accept-language'], defaultLanguage);
  };
  const sendPage = (request: FastifyRequest, reply: FastifyReply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      // The same address answers in the browser's language: caches must keep one copy per language.
      .header('vary', 'accept-language')
      .send(pages.get(languageOf(request)));
  const sendScript = (reply: FastifyReply, text: string) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(text);

  const pageOptions: RouteShorthandOptions = {
    // Not counted by the rate limit: the page's own files hold no data and cost nothing to send, and a page load asks
    // for some thirty of them — an office of people behind one address would otherwise run out of requests for the API.
    config: { public: true, rateLimit: false },
    // Static files, not API operations: kept out of the OpenAPI document.
    schema: { hide: true },
    helmet: { contentSecurityPolicy: CONTENT_SECURITY_POLICY },
  };
  /**
   * The page's scripts and styles: none of helmet's headers for documents (a policy, framing, an origin cluster…)
   * means anything on a script, and over a slow link the thirty files' headers were a quarter of the page's weight
   * (README, "Slow networks"). What does apply to them stays: no sniffing, same-origin only.
   */
  const assetOptions: RouteShorthandOptions = { ...pageOptions, helmet: false };
  const asAsset = (reply: FastifyReply) => reply.header('x-content-type-options', 'nosniff').header('cross-origin-resource-policy', 'same-origin');
  for (const path of ['/dashboard', '/dashboard/', '/dashboard/index.html']) fastify.get(path, pageOptions, (request, reply) => sendPage(request, reply));
  fastify.get<{ Params: { '*': string } }>('/dashboard/*', assetOptions, (request, reply) => {
    const file = request.params['*'];
    asAsset(reply);
    if (file === 'intl-messageformat.js') return sendScript(reply, messageFormat);
    if (file === 'simplewebauthn-browser.js') return sendScript(reply, webauthn);
    const catalog = CATALOG_FILE.exec(file)?.[1];
    if (catalog !== undefined) return isLanguage(catalog) ? sendScript(reply, catalogs.get(catalog)!) : reply.callNotFound();
    // What the page loads, nothing else of its folder (its type-check configuration and API types are not the page's).
    if (!PAGE_FILE.test(file)) return reply.callNotFound();
    return reply.sendFile(file);
  });
};

export default dashboardRoutes;
