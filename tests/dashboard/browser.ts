import { access, constants, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_PATH } from '../../launcher/chromium';

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

export interface Chromium {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * A browser with a fresh profile of its own; close() removes the profile too. `locale`: the language it asks pages for
 * (Accept-Language) and formats in; the browser's own, which a page's extra headers do not override for navigations.
 */
export async function launchChromium({ locale = 'en-GB' }: { locale?: string } = {}): Promise<Chromium> {
  try {
    await access(CHROMIUM_PATH, constants.X_OK);
  } catch {
    throw new Error(`Chromium is missing at ${CHROMIUM_PATH}. Run \`node --import tsx launcher/ensure-chromium.ts\` (npm test does it first).`);
  }
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const userDataDir = await mkdtemp(join(tmpdir(), 'rabat-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
    locale,
    timezoneId: 'UTC',
  });
  // Generous: the whole suite runs many files in parallel on two cores.
  context.setDefaultTimeout(60_000);
  return {
    context,
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
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
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  return { pageErrors, consoleErrors, cspViolations: () => consoleErrors.filter((line) => /Content Security Policy/i.test(line)) };
}

/** Signs in through the form, as a person would, and waits for the dashboard to show. */
export async function signIn(page: Page, baseUrl: string, token: string): Promise<void> {
  await page.goto(`${baseUrl}/dashboard`);
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#dashboard').waitFor({ state: 'visible' });
}

/** Waits until every view has finished loading (none is aria-busy). */
export async function waitForViews(page: Page): Promise<void> {
  for (const view of ['pipeline', 'attention', 'coverage', 'charts']) {
    await page.locator(`#${view}:not([aria-busy]) .view-body > *`).first().waitFor();
  }
}

export const screenshotPath = (name: string) => join(ARTIFACTS_DIR, `${name}.png`);
