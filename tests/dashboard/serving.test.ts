import { readdir, readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { call } from '../support/cast';
import { useTestSystem } from '../support/use-test-system';

/** How the API serves the dashboard: public static files under a strict CSP of their own; data stays behind tokens. */
const ctx = useTestSystem();
const DASHBOARD_DIR = fileURLToPath(new URL('../../dashboard/', import.meta.url));

const get = (url: string) => ctx.system.app.inject({ method: 'GET', url });
/** Modules the page preloads that the API makes rather than serves from the folder (api/routes/dashboard.ts). */
const SERVED_BY_THE_API = ['intl-messageformat.js', 'catalog.{{lang}}.js'];

describe('serving the dashboard', () => {
  it('serves the page and its assets without a token, with their content types', async () => {
    for (const url of ['/dashboard', '/dashboard/']) {
      const page = await get(url);
      expect({ url, status: page.statusCode }).toEqual({ url, status: 200 });
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.body).toContain('<script type="module" src="/dashboard/main.js"></script>');
    }
    expect((await get('/dashboard/main.js')).headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect((await get('/dashboard/dashboard.css')).headers['content-type']).toMatch(/^text\/css/);
  });

  it('gives the dashboard a strict Content-Security-Policy, and only the dashboard', async () => {
    const policy = String((await get('/dashboard')).headers['content-security-policy']);
    for (const directive of ["default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"]) {
      expect(policy).toContain(directive);
    }
    expect(policy).not.toContain('unsafe-inline');
    for (const page of ['/dashboard/', '/dashboard/index.html']) expect((await get(page)).headers['content-security-policy']).toBe(policy);
    // A script is no document: the policy and the other document headers would only weigh on a slow link. What does
    // apply to a script stays.
    const script = (await get('/dashboard/main.js')).headers;
    expect({ csp: script['content-security-policy'], frame: script['x-frame-options'], nosniff: script['x-content-type-options'], corp: script['cross-origin-resource-policy'] }).toEqual({
      csp: undefined,
      frame: undefined,
      nosniff: 'nosniff',
      corp: 'same-origin',
    });
    // Swagger UI needs its inline bootstrap script: the rest of the API keeps helmet's CSP off, as before.
    expect((await get('/health')).headers['content-security-policy']).toBeUndefined();
  });

  it('has no inline script or style to be refused', async () => {
    const html = await readFile(`${DASHBOARD_DIR}index.html`, 'utf8');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    const scripts = await Promise.all((await readdir(DASHBOARD_DIR)).filter((f) => f.endsWith('.js')).map((f) => readFile(`${DASHBOARD_DIR}${f}`, 'utf8')));
    for (const script of scripts) expect(script).not.toMatch(/innerHTML|insertAdjacentHTML|document\.write|eval\(|new Function|setAttribute\('style'/);
  });

  it('preloads every module it loads, and stays small', async () => {
    const files = await readdir(DASHBOARD_DIR);
    const html = await readFile(`${DASHBOARD_DIR}index.html`, 'utf8');
    const preloaded = [...html.matchAll(/<link rel="modulepreload" href="\/dashboard\/([^"]+)">/g)].map((m) => m[1]);
    // The folder's modules, and two the API makes: the message formatter (the package's) and the page's catalog in its
    // language (`{{lang}}`, filled in as the page is rendered).
    expect(preloaded.sort()).toEqual([...files.filter((f) => f.endsWith('.js') && f !== 'main.js'), ...SERVED_BY_THE_API].sort());
    // What the page is sent: its markup, scripts and styles (the folder's type-check files are not served).
    const served = files.filter((f) => /\.(?:html|js|css)$/.test(f));
    const sizes = await Promise.all(served.map(async (f) => (await stat(`${DASHBOARD_DIR}${f}`)).size));
    // A budget, raised on purpose when a feature needs it (96 KiB since people attach and remove documents and fill in
    // lists of items in it; 128 KiB since the page speaks French and English, its forms' labels and hints included;
    // 144 KiB since people sign in by e-mail, see and end their sessions, and administrators invite people from it;
    // 152 KiB since people add passkeys and sign in with them — WebAuthn's browser library is loaded only then; 156 KiB
    // since a refusal is said in its form, under its field, and numbers are read as each language writes them).
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBeLessThan(156 * 1024);
    // On top of that, what the API makes: the formatter (~16 KB gzipped) and the page's words in one language.
    for (const language of ['en', 'fr']) {
      const extra = await Promise.all(['intl-messageformat.js', `catalog.${language}.js`].map(async (file) => (await get(`/dashboard/${file}`)).rawPayload.length));
      expect({ language, total: extra.reduce((sum, size) => sum + size, 0) < 112 * 1024 }).toEqual({ language, total: true });
    }
  });

  it('serves the page in the language asked (?lang=), else the browser’s, with its words for the scripts', async () => {
    const french = await get('/dashboard?lang=fr');
    expect(french.statusCode).toBe(200);
    expect(french.body).toContain('<html lang="fr" data-locale="fr-FR">');
    expect(french.body).toContain('<h2 id="pipeline-title">Portefeuille par phase</h2>');
    // Each language named in itself in the menus, whatever the page's language.
    expect(french.body).toContain('<select id="page-language"><option value="en" lang="en">English</option><option value="fr" lang="fr">Français</option></select>');
    expect(french.body).toContain('<link rel="modulepreload" href="/dashboard/catalog.fr.js">');
    expect(french.body).not.toMatch(/\{\{[\w.]+\}\}/);
    const english = await get('/dashboard?lang=en');
    expect(english.body).toContain('<html lang="en" data-locale="en-GB">');
    expect(english.body).toContain('<h2 id="pipeline-title">Pipeline by phase</h2>');
    // Without ?lang=, the browser's Accept-Language chooses; a cache keeps one copy per language.
    const fromBrowser = await ctx.system.app.inject({ method: 'GET', url: '/dashboard', headers: { 'accept-language': 'fr-SN,fr;q=0.9,en;q=0.5' } });
    expect(fromBrowser.body).toContain('<html lang="fr" ');
    expect(String(fromBrowser.headers.vary)).toMatch(/accept-language/i);
    // The scripts' words: the catalog's page share in that language, an ES module; the formatter too.
    for (const file of ['intl-messageformat.js', 'catalog.en.js', 'catalog.fr.js']) {
      const script = await get(`/dashboard/${file}`);
      expect({ file, status: script.statusCode, type: script.headers['content-type'] }).toEqual({ file, status: 200, type: expect.stringMatching(/^text\/javascript/) });
    }
    const catalog = (await get('/dashboard/catalog.fr.js')).body;
    expect(catalog).toMatch(/^export default \{/);
    expect(catalog).toContain('"page.pipeline.none":"Aucune"');
    // Only the page's messages: nothing of the API's own (its validation messages, its e-mails).
    expect(catalog).not.toContain('"validation.');
    expect((await get('/dashboard/catalog.de.js')).statusCode).toBe(404);
  });

  it('serves nothing outside its folder and nothing it does not have', async () => {
    expect((await get('/dashboard/nothing-here.js')).statusCode).toBe(404);
    // The folder also holds what type-checks the page; that is not the page's to serve.
    for (const file of ['tsconfig.json', 'api-types.ts']) expect((await get(`/dashboard/${file}`)).statusCode, file).toBe(404);
    // Dot segments are resolved before routing (outside /dashboard: an unknown route, 401 without a token) or
    // refused by the file server: either way, never a file from elsewhere.
    for (const url of ['/dashboard/%2e%2e/package.json', '/dashboard/..%2f..%2fpackage.json', '/dashboard/%2e%2e%2f%2e%2e%2fpackage.json', '/dashboard/../package.json']) {
      const response = await get(url);
      expect({ url, refused: [401, 403, 404].includes(response.statusCode) }).toEqual({ url, refused: true });
      expect(response.body).not.toContain('"dependencies"');
    }
  });

  it('leaves every data call authenticated, and stays out of the OpenAPI document', async () => {
    expect((await call(ctx.system, 'GET', '/requests')).status).toBe(401);
    expect((await call(ctx.system, 'GET', '/statistics')).status).toBe(401);
    const spec = (await call(ctx.system, 'GET', '/openapi.json')).body;
    expect(Object.keys(spec.paths).filter((path) => path.startsWith('/dashboard'))).toEqual([]);
  });
});
