import { access, constants, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_PATH } from '../../launcher/chromium';
import { DEFAULT_SESSION_LIFETIME, openSession } from '../../db/sessions-repository';
import type { TestSystem } from '../support/test-system';

/** Headless Chromium (Debian's package) for the dashboard's end-to-end tests, and what they watch in a page. */

/** No network beyond the API under test: no updates, sync, QUIC or first-run calls home. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const ARTIFACTS_DIR = fileURLToPath(new URL('./artifacts/', import.meta.url));

export interface ContextOptions {
  /** The language it asks pages for (Accept-Language) and formats in; the browser's default unless given. */
  locale?: string;
  viewport?: { width: number; height: number };
}

export interface Chromium {
  browser: Browser;
  /** A first context, in the browser's locale (tabs that need no session of their own). */
  context: BrowserContext;
  /**
   * A context of its own: its own cookies, so its own session — as another person's browser, or the same person's on
   * another device. Contexts are cheap (one browser process serves them all); close them when done.
   */
  newContext(options?: ContextOptions): Promise<BrowserContext>;
  close(): Promise<void>;
}

/**
 * One browser for a test file; its contexts start with nothing stored (no cookie, no storage). `locale`: what its
 * contexts ask pages for (Accept-Language) and format in, unless a context says otherwise.
 */
export async function launchChromium({ locale = 'en-GB' }: { locale?: string } = {}): Promise<Chromium> {
  try {
    await access(CHROMIUM_PATH, constants.X_OK);
  } catch {
    throw new Error(`Chromium is missing at ${CHROMIUM_PATH}. Run \`node --import tsx launcher/ensure-chromium.ts\` (npm test does it first).`);
  }
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  const newContext = async (options: ContextOptions = {}) => {
    const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 900 }, locale: options.locale ?? locale, timezoneId: 'UTC' });
    // Generous: the whole suite runs many files in parallel on two cores.
    context.setDefaultTimeout(60_000);
    return context;
  };
  const context = await newContext();
  return { browser, context, newContext, close: () => browser.close() };
}

/** Who a session is opened for: a person of the cast, or one a test invited. */
export interface SessionHolder {
  actor: { userId: string; name: string };
}

/**
 * Signs `context` in as `person`: opens a session for them as a sign-in would (db/sessions-repository.ts, the
 * browser's address and User-Agent recorded as the API records them) and gives the context its cookie, as the API's
 * answer to a sign-in does. Its pages then open the dashboard signed in. Returns the session's ID.
 */
export async function signInContext(context: BrowserContext, system: TestSystem, baseUrl: string, person: SessionHolder): Promise<string> {
  const userAgent = context.browser() ? await userAgentOf(context.browser()!) : '';
  const { secret, sessionId } = await openSession(system.database.db, {
    userId: person.actor.userId,
    userName: person.actor.name,
    method: 'email_link',
    client: { clientAddress: '127.0.0.1', userAgent },
    lifetime: DEFAULT_SESSION_LIFETIME,
  });
  await context.addCookies([{ name: 'rbt_session', value: secret, url: baseUrl, httpOnly: true, sameSite: 'Lax' }]);
  return sessionId;
}

const userAgents = new WeakMap<Browser, Promise<string>>();
/** The User-Agent the browser's pages send (asked once per browser). */
function userAgentOf(browser: Browser): Promise<string> {
  let known = userAgents.get(browser);
  if (!known) {
    known = (async () => {
      const page = await browser.newPage();
      try {
        return String(await page.evaluate('navigator.userAgent'));
      } finally {
        await page.close();
      }
    })();
    userAgents.set(browser, known);
  }
  return known;
}

/**
 * A tab in a context of its own, signed in as `person` (null: signed out); closing the tab closes its context. Not
 * yet navigated: the test opens the page it means to (a request's link, say). Returns the session's ID too.
 */
export async function openTab(
  chromium: Chromium,
  at: { system: TestSystem; baseUrl: string },
  person: SessionHolder | null,
  options: ContextOptions = {},
): Promise<{ page: Page; sessionId: string | null }> {
  const context = await chromium.newContext(options);
  const sessionId = person ? await signInContext(context, at.system, at.baseUrl, person) : null;
  const page = await context.newPage();
  // The browser may be closing already (the file's afterAll): nothing more to close then.
  page.on('close', () => void context.close().catch(() => undefined));
  return { page, sessionId };
}

export interface PageWatch {
  /** Uncaught exceptions in the page's scripts. */
  pageErrors: string[];
  /** console.error lines, including the browser's own (a refused request, a CSP violation). */
  consoleErrors: string[];
  cspViolations(): string[];
}

export function watch(page: Page): PageWatch {
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    consoleErrors.push(message.text());
  });
  return { pageErrors, consoleErrors, cspViolations: () => consoleErrors.filter((line) => /Content Security Policy/i.test(line)) };
}

/** Opens the dashboard in `page` (signed in by its context's cookie) and waits for it to show. */
export async function openDashboard(page: Page, baseUrl: string, path = ''): Promise<void> {
  await page.goto(`${baseUrl}/dashboard${path}`);
  await page.locator('#dashboard').waitFor({ state: 'visible' });
}

/** Waits until every view has finished loading (none is aria-busy). */
export async function waitForViews(page: Page): Promise<void> {
  for (const view of ['pipeline', 'attention', 'coverage', 'charts']) {
    await page.locator(`#${view}:not([aria-busy]) .view-body > *`).first().waitFor();
  }
}

export const screenshotPath = (name: string) => join(ARTIFACTS_DIR, `${name}.png`);
