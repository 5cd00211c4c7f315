import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { accessibilityProblems } from './accessibility-checks';
import { launchChromium, openDashboard, openTab, screenshotPath, signInContext, waitForViews, watch, type Chromium, type ContextOptions, type PageWatch, type SessionHolder } from './browser';
import { advanceTo, call, sampleSubmission, submit, type Person } from '../support/cast';
import { startMailReceiver } from '../support/mail-receiver';
import { useTestSystem } from '../support/use-test-system';
import { waitFor } from '../support/wait-for';

/**
 * The dashboard in a real browser against the real system: headless Chromium, the API on a real socket,
 * Temporal and Postgres. Each tab has a browser context of its own, so its own cookies: its own session, opened for
 * its person as a sign-in opens one (browser.ts, signInContext), or through the sign-in page with an e-mailed code.
 */

// A real mail server, for the codes that confirm the addresses people give themselves and those that sign them in. Its
// afterAll, registered first, runs last.
let mail: Awaited<ReturnType<typeof startMailReceiver>>;
beforeAll(async () => {
  mail = await startMailReceiver();
});
afterAll(async () => mail?.stop());
// Screening falls due within seconds, so that "overdue" is real and the Chair's escalation is on the timeline.
const ctx = useTestSystem(() => ({ smtpUrl: mail.url, policy: { screeningPeriod: 'PT3S', screeningReminderLead: 'PT1S' } }));
const TEST_TIMEOUT = 180_000;

let browser: Chromium;
let baseUrl: string;
const watches: PageWatch[] = [];
const portfolio = { overdue: '', inReview: '', completed: '', otherCountry: '' };

beforeAll(async () => {
  const { system, cast } = ctx;
  baseUrl = await system.app.listen({ host: '127.0.0.1', port: 0 });
  browser = await launchChromium();
  // Addresses for those who sign in on the page, with the code the sign-in e-mail carries.
  for (const [person, address] of [
    [cast.monitor, MONITOR_ADDRESS],
    [cast.scMember, MEMBER_ADDRESS],
  ] as const) {
    await system.database.pool.query('update users set email = $2 where id = $1', [person.actor.userId, address]);
  }

  // An action plan of the test's own, in force from today: the request details name its area and objective.
  const plan = await call(system, 'PUT', '/action-plans/dashboard-plan', cast.admin, {
    title: 'Test Action Plan',
    startsOn: new Date().toISOString().slice(0, 10),
    endsOn: '2100-12-31',
    areas: [1, 2, 3, 4, 5].map((area) => ({ area, title: `Area ${area} of the test plan` })),
    objectives: [{ code: 'L1', area: 1, title: 'Livelihoods where people return' }],
  });
  if (plan.status !== 201) throw new Error(`loading the test's action plan: ${plan.status} ${JSON.stringify(plan.body)}`);

  portfolio.completed = await submit(system, cast, { estimatedBudgetEur: 45000 });
  await advanceTo(system, cast, portfolio.completed, 'completed');
  portfolio.inReview = await submit(system, cast, { title: 'Workshop on labour mobility schemes', domain: 2, activityType: 'workshop', estimatedBudgetEur: 30000 });
  await advanceTo(system, cast, portfolio.inReview, 'review');
  portfolio.overdue = await submit(system, cast, { title: 'Mangrove livelihoods for returnees', domain: 1, objective: 'L1', activityType: 'study', estimatedBudgetEur: 20000 });
  const other = await call(system, 'POST', '/requests', cast.otherPartner, sampleSubmission({ title: 'Study on diaspora remittances', country: 'ML', domain: 1, activityType: 'study' }));
  portfolio.otherCountry = other.body.id;
  for (const id of [portfolio.overdue, portfolio.otherCountry]) {
    await waitFor(async () => (await call(system, 'GET', `/requests/${id}`, cast.monitor)).body, (request) => request.screeningClock?.expired === true, 30_000);
  }
}, 240_000);

// Registered after useTestSystem, so it runs before the system stops: no tab is left talking to a closed server.
afterAll(async () => {
  await browser?.close();
});

const MONITOR_ADDRESS = 'monitor@observatory.example.org';
const MEMBER_ADDRESS = 'member@interior.example.es';

/** A tab of its own context, signed in as `person` (null: signed out). */
async function newTab(person: SessionHolder | null = null, options: ContextOptions = {}): Promise<{ page: Page; seen: PageWatch; sessionId: string | null }> {
  const { page, sessionId } = await openTab(browser, { system: ctx.system, baseUrl }, person, options);
  const seen = watch(page);
  watches.push(seen);
  return { page, seen, sessionId };
}

/** A tab signed in as `person`, showing the dashboard (at `path`: a request's link, say). */
async function signedIn(person: Person, path = '', options: ContextOptions = {}): Promise<{ page: Page; seen: PageWatch; sessionId: string | null }> {
  const tab = await newTab(person, options);
  await openDashboard(tab.page, baseUrl, path);
  return tab;
}

/**
 * Signs in on the sign-in page as a person does, with the code of the e-mail sent to `address` (read, say, on another
 * device); the page is at its sign-in step.
 */
async function signInWithCode(page: Page, address: string): Promise<void> {
  const before = mail.to(address).length;
  await page.getByLabel('E-mail address', { exact: true }).fill(address);
  await page.getByRole('button', { name: 'Send me a sign-in link' }).click();
  const code = await codeSentTo(address, before);
  await page.getByLabel('The 6-digit code from the e-mail').fill(code);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.locator('#dashboard').waitFor({ state: 'visible' });
}

/** The code of the sign-in e-mail `address` received after its `before` first ones. */
async function codeSentTo(address: string, before: number): Promise<string> {
  const received = await waitFor(async () => mail.to(address), (found) => found.length > before);
  return /\b(\d{6})\b/.exec(received.at(-1)!.text)![1]!;
}

const sessionCookies = async (page: Page) => (await page.context().cookies()).filter((cookie) => cookie.name === 'rbt_session');
const storedItems = (page: Page) => page.evaluate('sessionStorage.length + localStorage.length');

/** What a person reads must never show a programming value where a word belongs. */
const leakedValues = async (page: Page) => (await page.locator('body').innerText()).match(/\b(null|undefined|NaN)\b|\[object \w+\]/g) ?? [];

const cardTitles = (page: Page, phase: string) => page.locator(`#pipeline [data-phase="${phase}"] .card a`).allTextContents();

describe('the dashboard, signed in as a monitor', () => {
  it('shows the pipeline, who must act, finds a request, and updates its timeline live when a step is taken', async () => {
    const { system, cast } = ctx;
    const { page, seen, sessionId } = await newTab(cast.monitor);
    const calls: string[] = [];
    page.on('request', (request) => calls.push(new URL(request.url()).pathname));
    await openDashboard(page, baseUrl);
    await waitForViews(page);

    // (1) The pipeline by phase: counts as the API gives them, each card with its age.
    const statistics = (await call(system, 'GET', '/statistics', cast.monitor)).body;
    for (const { key, count } of statistics.counts.byPhase) {
      expect(await page.locator(`#pipeline [data-phase="${key}"] .count`).textContent()).toBe(String(count));
    }
    expect((await cardTitles(page, 'screening')).sort()).toEqual(['Mangrove livelihoods for returnees', 'Study on diaspora remittances']);
    expect(await cardTitles(page, 'review')).toEqual(['Workshop on labour mobility schemes']);
    expect(await cardTitles(page, 'completed')).toEqual(['Training on document fraud detection']);
    const age = page.locator(`#pipeline [data-request-id="${portfolio.overdue}"] .age time`);
    expect(await age.getAttribute('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    await page.locator('#pipeline').screenshot({ path: screenshotPath('pipeline') });

    // (2) Who must act, and by when: screening is overdue with the Secretariat; the review waits for the SC.
    const overdueRow = page.locator(`#attention tr[data-request-id="${portfolio.overdue}"]`);
    expect(await overdueRow.textContent()).toMatch(/Secretariat.*Overdue by/);
    expect(await page.locator(`#attention tr[data-request-id="${portfolio.inReview}"]`).textContent()).toMatch(/Steering Committee.*Due in/);
    expect(await page.locator(`#attention tr[data-request-id="${portfolio.completed}"]`).count()).toBe(0);
    expect(await page.locator('#attention .status').textContent()).toContain('2 of 3 open requests are overdue');
    // Most urgent first, from one list call: no request's details were fetched to build the overview.
    const order = await page.locator('#attention tbody tr').evaluateAll((rows) => rows.map((row: any) => row.dataset.requestId));
    expect(order.indexOf(portfolio.overdue)).toBeLessThan(order.indexOf(portfolio.inReview));
    expect(calls.filter((path) => /^\/requests\/[0-9a-f-]{36}$/.test(path))).toEqual([]);
    await page.locator('#attention').screenshot({ path: screenshotPath('who-must-act') });

    // Search, then open the request from the results.
    await page.getByLabel('Search requests').fill('mangrove');
    await page.getByRole('button', { name: 'Search' }).click();
    const results = page.locator('#search-results .result-list a');
    await results.first().waitFor();
    expect(await results.allTextContents()).toEqual(['Mangrove livelihoods for returnees']);
    await results.first().click();

    // (3) The timeline: every event with its actor, time and reason.
    await page.locator('#request-title', { hasText: 'Mangrove livelihoods for returnees' }).waitFor();
    const timeline = page.locator('#request ol.timeline > li');
    await timeline.first().waitFor();
    expect(await timeline.evaluateAll((items) => items.map((item: any) => item.dataset.eventType))).toEqual(['submitted', 'screening_reminder', 'screening_escalated']);
    expect(await timeline.first().textContent()).toContain(cast.partner.actor.name);
    // No person took it: the event says what did (which deadline passed).
    expect(await timeline.nth(2).textContent()).toContain('Why: the screening deadline passed');
    expect(await timeline.locator('time[datetime]').count()).toBe(3);
    expect(await page.locator('#request .request-summary').textContent()).toMatch(/Who must act.*Secretariat.*overdue by/);
    const facts = await page.locator('#request .request-summary').evaluate((dl) =>
      Object.fromEntries([...dl.querySelectorAll('dt')].map((dt) => [dt.textContent, dt.nextElementSibling?.textContent])),
    );
    expect(facts).toMatchObject({ 'Action area': '1 — Area 1 of the test plan', 'Action plan': 'Test Action Plan', Objective: 'L1 — Livelihoods where people return' });

    // A step taken elsewhere arrives through the live stream, without reloading the page.
    await page.evaluate('window.sameDocument = true');
    const screened = await call(system, 'POST', `/requests/${portfolio.overdue}/screening`, cast.secretariat, { outcome: 'accept', note: 'Complete and eligible, though late.' });
    expect(screened.status).toBe(200);
    const accepted = page.locator('#request ol.timeline > li[data-event-type="screening_accepted"]');
    await accepted.waitFor({ timeout: 45_000 });
    expect(await accepted.textContent()).toContain(cast.secretariat.actor.name);
    expect(await accepted.textContent()).toContain('Complete and eligible, though late.');
    expect(await page.locator('#request .live-status').textContent()).toMatch(/Accepted for review by/);
    expect(await page.locator('#request .request-summary').textContent()).toContain('Steering Committee review');
    expect(await page.evaluate('window.sameDocument')).toBe(true);
    // A document attached elsewhere appears too, and downloads as the signed-in person.
    expect(await page.locator('#request p.documents').textContent()).toBe('No documents are attached to this request.');
    const bytes = Buffer.from('%PDF-1.7\nTerms of reference of the mangrove study\n%%EOF\n');
    const attached = await system.app.inject({
      method: 'POST',
      url: `/requests/${portfolio.overdue}/documents?name=terms-of-reference.pdf&description=${encodeURIComponent('Terms of reference agreed with the Secretariat')}`,
      headers: { authorization: `Bearer ${cast.partner.token}`, 'content-type': 'application/pdf' },
      payload: bytes,
    });
    expect(attached.statusCode).toBe(201);
    const listed = page.locator('#request ul.documents li');
    await listed.waitFor({ timeout: 45_000 });
    expect(await listed.textContent()).toMatch(new RegExp(`terms-of-reference\\.pdf.*attached .* by ${cast.partner.actor.name} \\(focal point\\)Terms of reference agreed with the Secretariat`));
    const [download] = await Promise.all([page.waitForEvent('download'), listed.getByRole('button', { name: 'Download terms-of-reference.pdf' }).click()]);
    expect(download.suggestedFilename()).toBe('terms-of-reference.pdf');
    expect((await readFile(await download.path())).equals(bytes)).toBe(true);
    // Removed, it stays listed with who removed it and why, and can no longer be downloaded.
    const documentId = (attached.json() as { document: { documentId: string } }).document.documentId;
    await call(system, 'POST', `/requests/${portfolio.overdue}/documents/${documentId}/removal`, cast.secretariat, { reason: 'Superseded by the signed version.' });
    await listed.locator('.removed-document').waitFor({ timeout: 45_000 });
    expect(await listed.getByRole('button').count()).toBe(0);
    expect(await listed.textContent()).toMatch(new RegExp(`removed .* by ${cast.secretariat.actor.name} \\(Secretariat\\)Why removed: Superseded by the signed version\\.`));
    await page.locator('#request').screenshot({ path: screenshotPath('timeline') });

    // The overview follows shortly after: the request moved to the review column.
    await page.locator(`#pipeline [data-phase="review"] [data-request-id="${portfolio.overdue}"]`).waitFor({ timeout: 45_000 });
    await page.locator('#pipeline [data-phase="review"] .count', { hasText: '2' }).waitFor();
    // …and who must act on it: now the Steering Committee, no longer the Secretariat.
    await page.locator(`#attention tr[data-request-id="${portfolio.overdue}"]`, { hasText: 'Steering Committee' }).waitFor({ timeout: 45_000 });

    // (4) The coverage heatmap: counts and budgets per country and action area, gaps marked in words.
    const coverage = (await call(system, 'GET', '/statistics/coverage', cast.monitor)).body;
    const byArea = page.locator('#coverage table[data-dimension="area"]');
    // Every member, by name (its code beside it), in the page's language's order: the API lists them by code.
    expect((await byArea.locator('tbody tr').evaluateAll((rows) => rows.map((row: any) => row.dataset.country))).sort()).toEqual([...coverage.countries].sort());
    const rowNames = await byArea.locator('tbody th').allTextContents();
    expect(rowNames).toContain('Senegal (SN)');
    expect(rowNames).toEqual([...rowNames].sort((a, b) => a.localeCompare(b, 'en-GB')));
    const snArea4 = byArea.locator('tr[data-country="SN"] td').nth(3);
    expect(await snArea4.textContent()).toBe('1 request €45,000');
    expect(await byArea.locator('td.gap').count()).toBe(coverage.gaps.length);
    expect(await byArea.locator('tr[data-country="SN"] td').nth(2).textContent()).toBe('Gap');
    // One level down, the objectives of the plan in force (none of these requests names one: all gaps).
    const byObjective = page.locator('#coverage table[data-dimension="objective"]');
    expect(await byObjective.locator('thead th').count()).toBe(1 + (coverage.byObjective?.objectives.length ?? -1));
    expect(await byObjective.locator('td.gap').count()).toBe(coverage.byObjective?.gaps.length ?? 0);
    // A cell opens the requests behind it, in the caller's scope, as the list API has them.
    await snArea4.locator('button').click();
    const behind = (await call(system, 'GET', '/requests?country=SN&domain=4', cast.monitor)).body.items;
    await page.locator('#coverage-requests h3', { hasText: 'from Senegal (SN) in action area 4' }).waitFor();
    expect(await page.locator('#coverage-requests li').evaluateAll((items) => items.map((li: any) => li.dataset.requestId))).toEqual(
      behind.map((item: { id: string }) => item.id),
    );
    await page.locator('#coverage').screenshot({ path: screenshotPath('coverage-heatmap') });

    // (5) Charts: SVG bars whose accessible name carries the numbers, and the same numbers as a table.
    const charts = page.locator('#charts figure');
    expect(await charts.count()).toBe(3);
    const durations = await charts.nth(0).locator('svg').getAttribute('aria-label');
    expect(durations).toMatch(/^Time spent in each phase.*Screening/);
    const budget = await charts.nth(1).locator('svg').getAttribute('aria-label');
    expect(budget).toContain('4 — Irregular migration, smuggling, trafficking: Requested €45,000, Approved €45,000, Spent €37,250');
    // Each country by its name, its code beside it.
    const names: Record<string, string> = { ML: 'Mali (ML)', SN: 'Senegal (SN)' };
    expect(await charts.nth(2).locator('tbody th').allTextContents()).toEqual(statistics.budget.byCountry.map((row: { key: string }) => names[row.key] ?? row.key));
    expect(await charts.nth(0).locator('rect.bar').count()).toBe(2 * statistics.phaseDurations.filter((d: { count: number }) => d.count > 0).length);
    await page.locator('#charts').screenshot({ path: screenshotPath('charts') });
    await page.screenshot({ path: screenshotPath('dashboard-full'), fullPage: true });
    expect(await leakedValues(page)).toEqual([]);

    expect(seen.consoleErrors).toEqual([]);
    expect(seen.pageErrors).toEqual([]);

    // Signing out ends the session — its cookie signs nobody in any more — and forgets every figure shown.
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByLabel('E-mail address', { exact: true }).waitFor();
    await page.locator('#announcer', { hasText: 'Signed out.' }).waitFor();
    expect(await sessionCookies(page)).toEqual([]);
    expect(await storedItems(page)).toBe(0);
    expect((await system.database.pool.query('select end_reason from sessions where id = $1', [sessionId])).rows).toEqual([{ end_reason: 'signed_out' }]);
    expect(await page.locator('#dashboard').isHidden()).toBe(true);
    expect(await page.locator('#pipeline .card').count()).toBe(0);
    await page.close();
  }, TEST_TIMEOUT);

  it('passes basic accessibility checks: labels, text alternatives, table headers, headings, contrast', async () => {
    const { page, seen } = await newTab();
    await page.goto(`${baseUrl}/dashboard`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.locator('#sign-in').waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);

    await signInContext(page.context(), ctx.system, baseUrl, ctx.cast.secretariat);
    await openDashboard(page, baseUrl);
    await waitForViews(page);
    // The administrators' panels too: the invitation form, opened.
    const admin = await signedIn(ctx.cast.admin);
    await admin.page.locator('#invite summary').click();
    await admin.page.locator('#sessions summary').click();
    await admin.page.locator('#sessions li').first().waitFor();
    expect(await accessibilityProblems(admin.page)).toEqual([]);
    await admin.page.close();
    await page.getByLabel('Search requests').fill('workshop');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('#search-results .result-list a').first().click();
    await page.locator('#request ol.timeline > li').first().waitFor();
    // The chart tables too: opened, as a screen reader user or a keyboard user would.
    for (const summary of await page.locator('#charts summary').all()) await summary.click();

    expect(await accessibilityProblems(page)).toEqual([]);
    expect(await page.locator('#alert').getAttribute('role')).toBe('alert');
    expect(await page.locator('#request .live-status').getAttribute('aria-live')).toBe('polite');
    expect(await page.locator('#pipeline .status').getAttribute('aria-live')).toBe('polite');
    expect(seen.pageErrors).toEqual([]);
    expect(seen.consoleErrors).toEqual([]);
    await page.close();
  }, TEST_TIMEOUT);

  it('is usable with the keyboard alone: every main control is reached, with a visible focus', async () => {
    const { page, seen } = await newTab();
    await page.goto(`${baseUrl}/dashboard`);
    await page.locator('#sign-in').waitFor();
    // What has the focus, as a person would name it. A string, because the DOM's types are not in this project's lib.
    const focused = (): Promise<{ description: string; href: string | null; outline: string }> =>
      page.evaluate(`(() => {
        const element = document.activeElement;
        const name = (element.textContent || element.getAttribute('aria-label') || element.labels?.[0]?.textContent || '').trim().slice(0, 50);
        return {
          description: element.tagName.toLowerCase() + (element.id ? '#' + element.id : '') + ' ' + name,
          href: element.getAttribute('href'),
          outline: getComputedStyle(element).outlineStyle,
        };
      })()`);

    await page.keyboard.press('Tab');
    expect((await focused()).description).toBe('a Skip to content');
    // The language switcher, in the header: before sign-in too.
    await page.keyboard.press('Tab');
    expect((await focused()).description).toBe('select#page-language EnglishFrançais');
    await page.keyboard.press('Tab');
    expect((await focused()).description).toBe('input#sign-in-email E-mail address');
    const before = mail.to(MONITOR_ADDRESS).length;
    await page.keyboard.type(MONITOR_ADDRESS);
    await page.keyboard.press('Enter');
    // The e-mail is on its way: the focus waits in the code's field.
    await page.locator('#sign-in-check').waitFor();
    expect((await focused()).description).toBe('input#sign-in-code The 6-digit code from the e-mail');
    await page.keyboard.type(await codeSentTo(MONITOR_ADDRESS, before));
    await page.keyboard.press('Enter');
    await page.locator('#dashboard').waitFor({ state: 'visible' });
    await waitForViews(page);

    // From the top of the page again (the session stays for this browser): tab through everything once.
    await page.reload();
    await waitForViews(page);
    const reached: Array<{ description: string; href: string | null; outline: string }> = [];
    for (let i = 0; i < 80; i++) {
      await page.keyboard.press('Tab');
      const now = await focused();
      // Once round: past the last control the focus leaves the page, then comes back to the first.
      if (reached.length > 0 && (now.description === reached[0]!.description || now.description.startsWith('body'))) break;
      reached.push(now);
    }
    const descriptions = reached.map((r) => r.description);
    for (const control of ['a Skip to content', 'select#page-language EnglishFrançais', 'summary Your sessions', 'button#sign-out Sign out', 'a Pipeline', 'a Who must act', 'a Coverage', 'a Durations and budgets', 'input#search-q Search requests', 'button Search']) {
      expect(descriptions).toContain(control);
    }
    expect(reached.some((r) => r.href?.startsWith('#request/'))).toBe(true);
    expect(reached.filter((r) => r.outline === 'none').map((r) => r.description)).toEqual([]);

    // Search and open a request with the keyboard only; the focus lands on the request's title.
    await page.getByLabel('Search requests').focus();
    await page.keyboard.type('remittances');
    await page.keyboard.press('Enter');
    await page.locator('#search-results .result-list a').first().waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect((await focused()).description).toBe('a Study on diaspora remittances');
    await page.keyboard.press('Enter');
    await page.locator('#request ol.timeline > li').first().waitFor();
    expect((await focused()).description).toBe('h2#request-title Study on diaspora remittances');
    await page.keyboard.press('Tab');
    expect((await focused()).description).toBe('a Back to the pipeline');
    expect(seen.pageErrors).toEqual([]);
    await page.close();
  }, TEST_TIMEOUT);
});

describe('what each person sees', () => {
  it('a focal point sees only their own country’s requests, and another country’s request is not found', async () => {
    const { page, seen } = await signedIn(ctx.cast.partner);
    await waitForViews(page);

    const titles = await page.locator('#pipeline .card a').allTextContents();
    expect(titles).toContain('Mangrove livelihoods for returnees');
    expect(titles).not.toContain('Study on diaspora remittances');
    expect(await page.locator('#coverage table[data-dimension="area"] tbody tr').evaluateAll((rows) => rows.map((row: any) => row.dataset.country))).toEqual(['SN']);
    expect(await page.locator(`#attention tr[data-request-id="${portfolio.otherCountry}"]`).count()).toBe(0);

    await page.getByLabel('Search requests').fill('remittances');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('#search-results .status', { hasText: 'No request found' }).waitFor();
    expect(await leakedValues(page)).toEqual([]);

    // Typed into the address bar: the API's 404, word for word, as for an ID that does not exist.
    await page.goto(`${baseUrl}/dashboard#request/${portfolio.otherCountry}`);
    await page.locator('#alert', { hasText: 'not visible to you' }).waitFor();
    expect(await page.locator('#alert').textContent()).toContain(`No request with ID ${portfolio.otherCountry} exists, or it is not visible to you.`);
    expect(await page.locator('#request ol.timeline').count()).toBe(0);
    expect(seen.cspViolations()).toEqual([]);
    expect(seen.pageErrors).toEqual([]);
    await page.close();
  }, TEST_TIMEOUT);

  it('a wrong sign-in link, invitation or code is refused with the API’s message, and nothing is kept', async () => {
    const { page, seen } = await newTab();
    const refusal = async () => {
      await page.locator('#alert .alert-box').waitFor();
      return (await page.locator('#alert').textContent()) ?? '';
    };
    // The e-mail's link signs in at once, and leaves the address bar at once: a wrong one says what to do, above the form.
    await page.goto(`${baseUrl}/dashboard#sign-in=${'A'.repeat(43)}`);
    expect(await refusal()).toContain('Sign-in refused: This sign-in link is not valid. Ask for a new one with your address.');
    expect(await page.locator('#alert').textContent()).toContain('HTTP 400');
    expect(new URL(page.url()).hash).toBe('');
    expect(await page.evaluate('document.activeElement.id')).toBe('sign-in-email');
    await page.goto(`${baseUrl}/dashboard#invitation=${'B'.repeat(43)}`);
    await page.locator('#alert', { hasText: 'This invitation is not valid. Ask the Secretariat for a new one.' }).waitFor();
    expect(new URL(page.url()).hash).toBe('');

    // An address with no account is answered as any other (nobody learns who has one), and its code is refused as a wrong one.
    await page.getByLabel('E-mail address', { exact: true }).fill('nobody@example.org');
    await page.getByRole('button', { name: 'Send me a sign-in link' }).click();
    await page.locator('#sign-in-check', { hasText: 'If this address is that of a person of the dialogue' }).waitFor();
    const code = page.getByLabel('The 6-digit code from the e-mail');
    await code.fill('12 34');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    expect(await refusal()).toContain('Sign-in refused: Type the six digits of the code the e-mail gives.');
    await code.fill('123456');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.locator('#alert', { hasText: 'This code is not the one we sent' }).waitFor();
    expect(await page.locator('#alert').textContent()).toContain('HTTP 400');
    expect(await page.locator('#dashboard').isHidden()).toBe(true);
    expect(await sessionCookies(page)).toEqual([]);
    expect(await storedItems(page)).toBe(0);
    await page.screenshot({ path: screenshotPath('sign-in-refused') });
    // Back to the address, to ask again.
    await page.getByRole('button', { name: 'Use another address' }).click();
    expect(await page.getByLabel('E-mail address', { exact: true }).inputValue()).toBe('nobody@example.org');
    expect(seen.cspViolations()).toEqual([]);
    expect(seen.pageErrors).toEqual([]);
    await page.close();
  }, TEST_TIMEOUT);

  it('the link in an e-mail opens its request once the person has signed in', async () => {
    const { page, seen } = await newTab();
    await page.goto(`${baseUrl}/dashboard#request/${portfolio.inReview}`);
    await page.locator('#sign-in').waitFor();
    await signInWithCode(page, MEMBER_ADDRESS);
    await page.locator('#request h2', { hasText: 'Workshop on labour mobility schemes' }).waitFor();
    await page.locator('#request ol.timeline > li').first().waitFor();
    expect(seen.pageErrors).toEqual([]);
    await page.close();
  }, TEST_TIMEOUT);

  it('a person gives, confirms (typed or by the e-mail\'s link), corrects and removes their own e-mail address', async () => {
    const { system } = ctx;
    const person = await system.user('secretariat');
    const { page, seen } = await signedIn(person);
    await waitForViews(page);
    const me = async () => (await call(system, 'GET', '/me', person.token)).body;
    const codeSentTo = async (address: string) => {
      const [received] = await waitFor(async () => mail.to(address), (found) => found.length > 0);
      return /Your confirmation code is (\d{6})\./.exec(received!.text)![1]!;
    };

    await page.getByText('E-mail notifications', { exact: true }).click();
    const field = page.getByLabel('Your e-mail address');
    await field.fill('officer@secretariat.example.org');
    await page.locator('#email-form').getByRole('button', { name: 'Save' }).click();
    await page.locator('#announcer', { hasText: 'A code was e-mailed to officer@secretariat.example.org.' }).waitFor();
    expect(await me()).toMatchObject({ email: null, pendingEmail: { address: 'officer@secretariat.example.org' } });
    await page.getByLabel('The code e-mailed to officer@secretariat.example.org').fill(await codeSentTo('officer@secretariat.example.org'));
    await page.locator('#email-code-form').getByRole('button', { name: 'Confirm' }).click();
    await page.locator('#announcer', { hasText: 'Confirmed. Notifications go to officer@secretariat.example.org.' }).waitFor();
    expect(await me()).toMatchObject({ email: 'officer@secretariat.example.org', pendingEmail: null });
    expect(await page.locator('#email-code-form').isHidden()).toBe(true);

    // A wrong address is refused with the API's message and the saved one stays.
    await field.fill('officer@secretariat.example.org; boss@example.org');
    await page.locator('#email-form').getByRole('button', { name: 'Save' }).click();
    await page.locator('#alert .alert-box').waitFor();
    expect(await page.locator('#alert').textContent()).toContain('is not one e-mail address');
    expect((await me()).email).toBe('officer@secretariat.example.org');

    // The link in the e-mail confirms once the page is open with the person signed in, and leaves no code in the address bar.
    await field.fill('desk@secretariat.example.org');
    await page.locator('#email-form').getByRole('button', { name: 'Save' }).click();
    await page.locator('#email-status', { hasText: 'Type the code sent to desk@secretariat.example.org' }).waitFor();
    await page.goto(`${baseUrl}/dashboard#confirm-email/${await codeSentTo('desk@secretariat.example.org')}`);
    await page.locator('#announcer', { hasText: 'Confirmed. Notifications go to desk@secretariat.example.org.' }).waitFor();
    expect(await me()).toMatchObject({ email: 'desk@secretariat.example.org', pendingEmail: null });
    expect(new URL(page.url()).hash).toBe('');

    // The person's language (this page's and their e-mails') is saved as soon as it is chosen; another language than the
    // page's also opens the page in it (see 'in French and in English' below).
    await page.getByLabel('Your language (this page and your e-mails)').selectOption('en');
    await waitFor(me, (body) => body.language === 'en');
    await page.locator('#announcer', { hasText: 'This page and your e-mails are in English.' }).waitFor();

    // After a reload the field shows what is in use; emptying it stops the e-mails at once.
    await page.reload();
    await waitForViews(page);
    await page.getByText('E-mail notifications', { exact: true }).click();
    expect(await field.inputValue()).toBe('desk@secretariat.example.org');
    expect(await page.getByLabel('Your language (this page and your e-mails)').inputValue()).toBe('en');
    await field.fill('');
    await page.locator('#email-form').getByRole('button', { name: 'Save' }).click();
    await waitFor(me, (body) => body.email === null);
    expect(seen.cspViolations()).toEqual([]);
    expect(seen.pageErrors).toEqual([]);
    await page.close();
  }, TEST_TIMEOUT);

  it('a person finds the address of their calendar feed, and replaces it with a new one', async () => {
    const { system, cast } = ctx;
    const { page, seen } = await signedIn(cast.monitor);
    await page.locator('#calendar summary').click();
    const address = page.getByLabel('Your calendar address');
    const first = await waitFor(() => address.inputValue(), (value) => value !== '');
    expect(first).toBe((await call(system, 'GET', '/me/calendar', cast.monitor)).body.url);
    expect((await system.app.inject({ method: 'GET', url: new URL(first).pathname })).statusCode).toBe(200);

    await page.getByRole('button', { name: 'Use a new address' }).click();
    await page.locator('#announcer', { hasText: 'Your calendar has a new address' }).waitFor();
    const second = await address.inputValue();
    expect(second).not.toBe(first);
    expect((await system.app.inject({ method: 'GET', url: new URL(first).pathname })).statusCode).toBe(404);
    expect((await system.app.inject({ method: 'GET', url: new URL(second).pathname })).statusCode).toBe(200);
    expect(await accessibilityProblems(page)).toEqual([]);
    expect(seen.pageErrors).toEqual([]);
    await page.close();
  }, TEST_TIMEOUT);

  it('people take the steps open to them from the request’s page, on the request or one item of it; a refused one shows the API’s message', async () => {
    const { system, cast } = ctx;
    const id = await submit(system, cast, { title: 'Voting from the dashboard' });
    await advanceTo(system, cast, id, 'review');
    const read = async () => (await call(system, 'GET', `/requests/${id}`, cast.monitor)).body;

    // A committee member, from the link an e-mail carries: the vote is one of their steps, and only theirs.
    const { page, seen } = await signedIn(cast.scMember, `#request/${id}`);
    const steps = page.locator('#request .steps');
    await steps.locator('summary', { hasText: 'Vote' }).click();
    await steps.getByLabel('Vote', { exact: true }).selectOption('objection');
    await steps.getByLabel('Comment').fill('The budget for interpretation is missing.');
    await steps.getByRole('button', { name: 'Vote' }).click();
    await page.locator('#announcer', { hasText: 'Vote: done.' }).waitFor();
    const votes = (await read()).review.votes;
    expect(votes).toEqual([expect.objectContaining({ vote: 'objection', comment: 'The budget for interpretation is missing.', by: expect.objectContaining({ userId: cast.scMember.actor.userId }) })]);
    // The only member who may vote has voted: the review closed, and the objection went to the Chair. The member has
    // nothing more to do here, and the timeline shows the vote.
    await steps.locator('[data-action="vote"]').waitFor({ state: 'detached' });
    await page.locator('#request ol.timeline li[data-event-type="vote_recorded"]').waitFor();
    await page.close();

    // The Chair decides. Sent without what it needs, the decision is refused with the API's words and changes nothing.
    const chair = await signedIn(cast.chair, `#request/${id}`);
    const chairSteps = chair.page.locator('#request .steps');
    await chairSteps.locator('summary', { hasText: 'Decide' }).click();
    const before = await read();
    expect(before.phase).toBe('approval');
    await chairSteps.getByRole('button', { name: 'Decide' }).click();
    // Said beside the button just pressed (not in the alert at the top of a long page), the field by its label.
    const refusal = chairSteps.locator('[data-action="decide"] .form-error .alert-box', { hasText: 'Decide: not done' });
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('Decision: is required.');
    expect(await refusal.textContent()).not.toContain('body.');
    expect(await refusal.textContent()).toContain('HTTP 400');
    expect(await chairSteps.getByLabel('Decision', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await chair.page.evaluate('document.activeElement.id')).toBe(await chairSteps.getByLabel('Decision', { exact: true }).getAttribute('id'));
    expect(await chair.page.locator('#alert .alert-box').count()).toBe(0);
    expect(await read()).toMatchObject({ version: before.version, phase: 'approval' });
    // Approved with two conditions (one per line) and a budget.
    await chairSteps.getByLabel('Decision', { exact: true }).selectOption('approve');
    await chairSteps.getByLabel('Rationale').fill('Sound, once interpretation is budgeted.');
    await chairSteps.getByLabel('Conditions').fill('Budget interpretation\nName the trainers');
    await chairSteps.getByLabel('Approved budget (EUR)').fill('40000');
    await chairSteps.getByRole('button', { name: 'Decide' }).click();
    await chair.page.locator('#announcer', { hasText: 'Decide: done.' }).waitFor();
    // Done: no refusal is left on the page to say otherwise.
    expect(await chair.page.locator('.form-error .alert-box, #alert .alert-box').count()).toBe(0);
    const approved = await read();
    expect(approved.phase).toBe('implementation');
    expect(approved.decisions.at(-1)).toMatchObject({ decision: 'approve', approvedBudgetEur: 40000 });
    expect(approved.conditions.map((c: { text: string }) => c.text)).toEqual(['Budget interpretation', 'Name the trainers']);
    await chair.page.close();

    // The Secretariat's steps on one item each: a condition met, an activity planned, then moved on.
    const officer = await signedIn(cast.secretariat, `#request/${id}`);
    const officerSteps = officer.page.locator('#request .steps');
    const meet = officerSteps.locator('details', { hasText: 'Mark met: Budget interpretation' });
    await meet.locator('summary').click();
    await meet.getByLabel('Note').fill('Interpretation budgeted at €3,000.');
    await meet.getByRole('button', { name: 'Mark met: Budget interpretation' }).click();
    await officer.page.locator('#announcer', { hasText: 'Mark met: Budget interpretation: done.' }).waitFor();
    expect((await read()).conditions[0].met).toMatchObject({ note: 'Interpretation budgeted at €3,000.' });
    await officerSteps.locator('details', { hasText: 'Mark met: Budget interpretation' }).waitFor({ state: 'detached' });

    const plan = officerSteps.locator('details', { hasText: 'Plan an activity' });
    await plan.locator('summary').click();
    await plan.getByLabel('Type', { exact: true }).selectOption('training');
    await plan.getByLabel('Title', { exact: true }).fill('Training in Dakar');
    await plan.getByLabel('Start date').fill('2027-05-10');
    await plan.getByLabel('End date').fill('2027-05-12');
    await plan.getByLabel('Location').fill('Dakar, SN');
    await plan.getByLabel('Budget (EUR)', { exact: true }).fill('12000');
    // A list of objects: one row to start with, more on asking; a row left empty is not sent.
    await plan.locator('[id$="-budgetLines-0-label"]').fill('Venue and interpretation');
    await plan.locator('[id$="-budgetLines-0-amountEur"]').fill('7000');
    await plan.getByRole('button', { name: 'Add to budget lines' }).click();
    await plan.locator('[id$="-budgetLines-1-label"]').fill('Travel');
    await plan.locator('[id$="-budgetLines-1-amountEur"]').fill('5000');
    await plan.getByRole('button', { name: 'Add to budget lines' }).click();
    await plan.getByRole('button', { name: 'Plan an activity' }).click();
    await officer.page.locator('#announcer', { hasText: 'Plan an activity: done.' }).waitFor();
    const [activity] = (await read()).activities;
    expect(activity).toMatchObject({ type: 'training', title: 'Training in Dakar', startDate: '2027-05-10', endDate: '2027-05-12', budgetEur: 12000, status: 'planned' });
    expect(activity.budgetLines).toEqual([
      { label: 'Venue and interpretation', amountEur: 7000 },
      { label: 'Travel', amountEur: 5000 },
    ]);

    // Moving it on waits for every condition: the API says which one is still open.
    const update = officerSteps.locator('details', { hasText: 'Update the activity: Training in Dakar' });
    const confirm = async () => {
      if (!(await update.getAttribute('open'))) await update.locator('summary').click();
      await update.getByLabel('Status').selectOption('confirmed');
      await update.getByRole('button', { name: 'Update the activity: Training in Dakar' }).click();
    };
    await confirm();
    await officerSteps.locator('.form-error .alert-box', { hasText: "still open: 'Name the trainers'" }).waitFor();
    const second = officerSteps.locator('details', { hasText: 'Mark met: Name the trainers' });
    await second.locator('summary').click();
    await second.getByLabel('Note').fill('Two trainers from the national police academy.');
    await second.getByRole('button', { name: 'Mark met: Name the trainers' }).click();
    await second.waitFor({ state: 'detached' });
    await confirm();
    await officer.page.locator('#announcer', { hasText: 'Update the activity: Training in Dakar: done.' }).waitFor();
    expect((await read()).activities[0].status).toBe('confirmed');
    // Every form, opened, passes the same checks as the rest of the page: a label for each field, and so on.
    for (const summary of await officerSteps.locator('summary').all()) await summary.click();
    expect(await accessibilityProblems(officer.page)).toEqual([]);
    await officer.page.close();
    // A monitor may take no step: the page offers none.
    const monitor = await signedIn(cast.monitor, `#request/${id}`);
    await monitor.page.locator('#request ol.timeline > li').first().waitFor();
    expect(await monitor.page.locator('#request .steps').isHidden()).toBe(true);
    for (const tab of [seen, chair.seen, officer.seen, monitor.seen]) {
      expect(tab.cspViolations()).toEqual([]);
      expect(tab.pageErrors).toEqual([]);
    }
    await monitor.page.close();
  }, TEST_TIMEOUT);

  it('a focal point revises a request from its page: what is filled in changes, with the answers to the Chair’s points', async () => {
    const { system, cast } = ctx;
    const id = await submit(system, cast, { title: 'Study to be revised', estimatedBudgetEur: 30000 });
    await advanceTo(system, cast, id, 'approval');
    const asked = await call(system, 'POST', `/requests/${id}/decision`, cast.chair, {
      decision: 'request_revision',
      rationale: 'The budget needs detail.',
      points: ['Break the budget down by activity.'],
    });
    expect(asked.body.phase).toBe('revision_requested');

    const { page, seen } = await signedIn(cast.partner, `#request/${id}`);
    const revise = page.locator('#request .steps details', { hasText: 'Revise the request' });
    await revise.locator('summary').click();
    await revise.getByLabel('Estimated budget (EUR)').fill('26500');
    await revise.getByLabel('Answers').fill('Travel 12,000; venue 6,500; experts 8,000.');
    await revise.getByRole('button', { name: 'Revise the request' }).click();
    await page.locator('#announcer', { hasText: 'Revise the request: done.' }).waitFor();
    const revised = (await call(system, 'GET', `/requests/${id}`, cast.secretariat)).body;
    expect(revised).toMatchObject({ phase: 'screening', title: 'Study to be revised', estimatedBudgetEur: 26500 });
    expect(revised.contentVersions.at(-1).answers).toEqual([{ point: 'Break the budget down by activity.', answer: 'Travel 12,000; venue 6,500; experts 8,000.' }]);
    expect(seen.pageErrors).toEqual([]);
    await page.close();
  }, TEST_TIMEOUT);

  it('a focal point attaches a document from the request’s page, and removes only their own; the Secretariat removes any', async () => {
    const { system, cast } = ctx;
    const id = await submit(system, cast, { title: 'Documents from the dashboard' });
    const read = async () => (await call(system, 'GET', `/requests/${id}`, cast.secretariat)).body;
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
    const fromOffice = await system.app.inject({
      method: 'POST',
      url: `/requests/${id}/documents?name=terms-of-reference.txt`,
      headers: { authorization: `Bearer ${cast.secretariat.token}`, 'content-type': 'text/plain' },
      payload: 'Terms of reference, drafted by the Secretariat.',
    });
    expect(fromOffice.statusCode).toBe(201);

    const { page, seen } = await signedIn(cast.partner, `#request/${id}`);
    const steps = page.locator('#request .steps');
    const attach = steps.locator('details', { hasText: 'Attach a document' });
    await attach.locator('summary').click();
    // A file of a kind the API does not take is refused with its words, and nothing is attached.
    await attach.getByLabel('File').setInputFiles({ name: 'setup.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ') });
    await attach.getByRole('button', { name: 'Attach a document' }).click();
    const refused = attach.locator('.form-error .alert-box', { hasText: 'Attach a document: not done' });
    await refused.waitFor();
    expect(await refused.textContent()).toContain('HTTP 415');
    expect((await read()).documents).toHaveLength(1);

    await attach.getByLabel('File').setInputFiles({ name: 'concept-note.pdf', mimeType: 'application/pdf', buffer: pdf });
    expect(await attach.getByLabel('Name').inputValue()).toBe('concept-note.pdf');
    await attach.getByLabel('Description').fill('The concept note, signed by the ministry.');
    await attach.getByRole('button', { name: 'Attach a document' }).click();
    await page.locator('#announcer', { hasText: 'Attach a document: done.' }).waitFor();
    const attached = (await read()).documents.find((d: { name: string }) => d.name === 'concept-note.pdf');
    expect(attached).toMatchObject({ mediaType: 'application/pdf', sizeBytes: pdf.length, description: 'The concept note, signed by the ministry.' });
    await page.getByRole('button', { name: 'Download concept-note.pdf' }).waitFor();
    // Their own document is theirs to remove; the Secretariat's is not offered.
    await steps.locator('details', { hasText: 'Remove concept-note.pdf' }).waitFor();
    expect(await steps.locator('details', { hasText: 'Remove terms-of-reference.txt' }).count()).toBe(0);
    expect(seen.pageErrors).toEqual([]);
    await page.close();

    const officer = await signedIn(cast.secretariat, `#request/${id}`);
    const remove = officer.page.locator('#request .steps details', { hasText: 'Remove concept-note.pdf' });
    await remove.locator('summary').click();
    await remove.getByLabel('Reason').fill('Attached twice; the signed copy follows.');
    await remove.getByRole('button', { name: 'Remove concept-note.pdf' }).click();
    await officer.page.locator('#announcer', { hasText: 'Remove concept-note.pdf: done.' }).waitFor();
    expect((await read()).documents.find((d: { name: string }) => d.name === 'concept-note.pdf').removed).toMatchObject({ reason: 'Attached twice; the signed copy follows.' });
    await officer.page.locator('#request .documents .removed-document', { hasText: 'concept-note.pdf' }).waitFor();
    await remove.waitFor({ state: 'detached' });
    for (const summary of await officer.page.locator('#request .steps summary').all()) await summary.click();
    expect(await accessibilityProblems(officer.page)).toEqual([]);

    // Once the request has ended, the Secretariat may erase a document's bytes for good; it stays on record.
    expect((await call(system, 'POST', `/requests/${id}/withdrawal`, cast.partner, { reason: 'Funded elsewhere.' })).status).toBe(200);
    const erase = officer.page.locator('#request .steps details', { hasText: 'Erase terms-of-reference.txt' });
    await erase.locator('summary').click();
    await erase.getByLabel('Reason').fill('Holds the names of officials; not to be kept.');
    await erase.getByRole('button', { name: 'Erase terms-of-reference.txt' }).click();
    await officer.page.locator('#announcer', { hasText: 'Erase terms-of-reference.txt: done.' }).waitFor();
    await officer.page.locator('#request .documents .removed-document', { hasText: 'terms-of-reference.txt' }).waitFor();
    expect((await read()).documents.find((d: { name: string }) => d.name === 'terms-of-reference.txt').erased).toMatchObject({ reason: 'Holds the names of officials; not to be kept.' });
    expect(await officer.page.locator('#request .steps').isHidden()).toBe(true);
    expect(officer.seen.cspViolations()).toEqual([]);
    expect(officer.seen.pageErrors).toEqual([]);
    await officer.page.close();
  }, TEST_TIMEOUT);

  it('a focal point submits a request from the dashboard, and it opens; a monitor is offered no such form', async () => {
    const { system, cast } = ctx;
    const { page, seen } = await signedIn(cast.partner);
    const form = page.locator('#new-request');
    await form.getByText('Submit a new request').click();
    expect(await form.getByLabel('Country').inputValue()).toBe('SN');
    // Written in the page's language unless the person says otherwise: search reads it in that language.
    expect(await form.getByLabel('Language', { exact: true }).inputValue()).toBe('en');
    expect(await accessibilityProblems(page)).toEqual([]);
    // Without what it needs, the API refuses and says what is missing; nothing is submitted.
    const requestCount = async () => Number((await system.database.pool.query('select count(*) from requests')).rows[0].count);
    const before = await requestCount();
    await form.getByRole('button', { name: 'Submit the request' }).click();
    const refused = form.locator('.form-error .alert-box', { hasText: 'Submit the request: not done' });
    await refused.waitFor();
    // The first field missing, by its label, and where the person types next.
    expect(await refused.textContent()).toContain('Title: is required.');
    expect(await page.evaluate('document.activeElement.id')).toBe(await form.getByLabel('Title').getAttribute('id'));
    expect(await requestCount()).toBe(before);

    await form.getByLabel('Title').fill('Training of trainers on victim identification');
    await form.getByLabel('Description').fill('Three days for labour inspectors and police.');
    // The action area from a list, each by its name.
    expect(await form.getByLabel('Domain').locator('option[value="4"]').textContent()).toBe('4 — Irregular migration, smuggling, trafficking');
    await form.getByLabel('Domain').selectOption('4');
    await form.getByLabel('Activity type').selectOption('training');
    await form.getByLabel('Objectives', { exact: true }).fill('Identify victims of trafficking early.');
    await form.getByLabel('Expected outcomes').fill('Forty trainers trained.');
    await form.getByLabel('Estimated budget (EUR)').fill('52000');
    await form.getByLabel('Name').fill('Awa Diop');
    await form.getByLabel('Email').fill('awa.diop@interieur.gouv.sn');
    await page.locator('#alert').evaluate((alert) => alert.replaceChildren());
    await form.getByRole('button', { name: 'Submit the request' }).click();
    await page.locator('#request h2', { hasText: 'Training of trainers on victim identification' }).waitFor();
    await page.locator('#announcer', { hasText: 'Request submitted' }).waitFor();
    const id = new URL(page.url()).hash.replace('#request/', '');
    const submitted = (await call(system, 'GET', `/requests/${id}`, cast.secretariat)).body;
    expect(submitted).toMatchObject({
      phase: 'screening',
      country: 'SN',
      domain: 4,
      estimatedBudgetEur: 52000,
      contact: { name: 'Awa Diop', email: 'awa.diop@interieur.gouv.sn' },
      submitted: { by: { userId: cast.partner.actor.userId } },
    });
    expect(seen.cspViolations()).toEqual([]);
    expect(seen.pageErrors).toEqual([]);
    await page.close();

    const monitor = await signedIn(cast.monitor);
    await waitForViews(monitor.page);
    expect(await monitor.page.locator('#new-request').isHidden()).toBe(true);
    await monitor.page.close();
  }, TEST_TIMEOUT);

  it('a session ended during the visit (by an administrator) signs the person out, with the reason', async () => {
    const { system, cast } = ctx;
    const person = await system.user('monitor');
    const { page, seen } = await signedIn(person);
    await waitForViews(page);

    expect((await call(system, 'DELETE', `/admin/users/${person.actor.userId}/sessions`, cast.admin)).body).toEqual({ ended: 1 });
    await page.getByLabel('Search requests').fill('mangrove');
    await page.getByRole('button', { name: 'Search' }).click();

    await page.locator('#alert', { hasText: 'You were signed out: Your session was ended (you signed out, or your access changed). Sign in again.' }).waitFor();
    expect(await page.locator('#sign-in').isVisible()).toBe(true);
    expect(await page.locator('#pipeline .card').count()).toBe(0);
    expect(await sessionCookies(page)).toEqual([]);
    expect(await storedItems(page)).toBe(0);
    expect(seen.pageErrors).toEqual([]);
    await page.close();
  }, TEST_TIMEOUT);
});

describe('in French and in English', () => {
  /** The page's own complaints: a message the page's catalog lacks (i18n.js reports it in the console). */
  const missingMessages = (seen: PageWatch) => seen.consoleErrors.filter((line) => /catalog has no message/.test(line));

  it('a French browser gets the page in French, refusals included; the switcher opens it in English, still signed in', async () => {
    const { system, cast } = ctx;
    const id = await submit(system, cast, { title: 'Activités planifiées en français' });
    await advanceTo(system, cast, id, 'implementation');
    // A person of their own: the language they choose is saved, and must not follow the cast into other tests.
    const officer = await system.user('secretariat');
    // A browser of its own, in French: it asks pages for French (Accept-Language: fr-FR), as a francophone's does.
    const { page, seen } = await newTab(null, { locale: 'fr-FR' });
    // From an e-mail's link: the request opens once the person has signed in.
    await page.goto(`${baseUrl}/dashboard#request/${id}`);
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    expect(await page.locator('#page-language').inputValue()).toBe('fr');
    expect(await page.locator('#sign-in-title').textContent()).toBe('Connexion');
    await page.getByLabel('Adresse électronique', { exact: true }).fill('pas-une-adresse');
    await page.getByRole('button', { name: "M'envoyer un lien de connexion" }).click();
    await page.locator('#alert .alert-box', { hasText: "Aucun lien de connexion envoyé : body.email : 'pas-une-adresse' n'est pas une adresse électronique" }).waitFor();
    await signInContext(page.context(), system, baseUrl, officer);
    await page.reload();
    await page.locator('#dashboard').waitFor({ state: 'visible' });
    await waitForViews(page);

    expect(await page.locator('#pipeline-title').textContent()).toBe('Portefeuille par phase');
    expect(await page.locator('#pipeline [data-phase="implementation"] .phase-name').textContent()).toBe('Mise en œuvre');
    expect(await page.locator('#pipeline .status').textContent()).toMatch(/^\d+ demandes ; \d+ affichées, les plus récentes d'abord\./);
    expect(await page.locator('#pipeline .card .age').first().textContent()).toMatch(/^soumise il y a /);
    expect(await page.locator('#attention thead th').allTextContents()).toEqual(['Demande', 'Phase', 'Qui doit agir', 'Quoi', 'Pour quand', 'État']);
    expect(await page.locator('#attention .status').textContent()).toMatch(/^\d+ demandes? en retard sur \d+ demandes en cours\.$/);
    expect(await page.locator('#coverage .legend').getAttribute('aria-label')).toBe('Légende');
    expect(await page.locator('#coverage td.gap').first().textContent()).toBe('Lacune');
    // Countries by their French names, in French order.
    const rowNames = await page.locator('#coverage table[data-dimension="area"] tbody th').allTextContents();
    expect(rowNames).toContain('Sénégal (SN)');
    expect(rowNames).toEqual([...rowNames].sort((a, b) => a.localeCompare(b, 'fr-FR')));
    // Money and numbers as French writes them: "45 000 €".
    expect(await page.locator('#coverage .heat-budget').first().textContent()).toMatch(/^[\d\u202f\u00a0]+[\s\u00a0]€$/);
    expect(await page.locator('#charts figcaption').first().textContent()).toBe('Temps passé dans chaque phase (médiane et 90e centile)');
    // French words are longer ("moins d'une minute"): none is cut off at a chart's edge — here, and in a chart whose
    // longest bar carries the longest value.
    const cutOffIn = (charts: string) =>
      page.evaluate(`(async () => {
        const { barChart } = await import('/dashboard/bar-chart.js');
        const holder = document.querySelector('#charts');
        if (${charts === 'drawn'}) {
          const longest = barChart({ title: 't', categoryHeading: 'c', series: [{ name: 's', className: 'median' }], format: () => "moins d'une minute",
            categories: [{ label: 'Examen préalable', values: [100] }, { label: 'Mise en œuvre', values: [40] }] });
          longest.id = 'longest-value-chart';
          holder.append(longest);
        }
        const cut = [...holder.querySelectorAll('svg')].flatMap((svg) => {
          const edge = svg.getBoundingClientRect().right;
          return [...svg.querySelectorAll('text')].filter((text) => text.getBoundingClientRect().right > edge + 0.5).map((text) => text.textContent);
        });
        document.querySelector('#longest-value-chart')?.remove();
        return cut;
      })()`);
    expect(await cutOffIn('page')).toEqual([]);
    expect(await cutOffIn('drawn')).toEqual([]);
    expect(await page.locator('#charts svg').nth(1).getAttribute('aria-label')).toMatch(/^Budget par domaine d'action \(euros\)\. .* : Demandé .*€, Approuvé .*€, Dépensé .*€/);
    expect(await page.locator('#live-state').textContent()).toBe('Mises à jour en direct : activées');
    await page.screenshot({ path: screenshotPath('dashboard-fr'), fullPage: true });

    // A step refused by the API: its message in French too, with the step's name.
    const steps = page.locator('#request .steps');
    const plan = steps.locator('details', { hasText: 'Planifier une activité' });
    await plan.locator('summary').click();
    await plan.getByLabel('Type', { exact: true }).selectOption('training');
    expect(await plan.getByLabel('Type', { exact: true }).locator('option:checked').textContent()).toBe('Formation');
    await plan.getByLabel('Titre', { exact: true }).fill('Formation à Dakar');
    await plan.getByLabel('Date de début').fill('1999-05-10');
    await plan.getByLabel('Date de fin').fill('2027-05-12');
    await plan.getByLabel('Lieu', { exact: true }).fill('Dakar (Sénégal)');
    // As French writes it: a space between thousands, a comma before the cents.
    await plan.getByLabel('Budget (EUR)', { exact: true }).fill('12 000,50');
    // The API's descriptions of its fields, in the catalog's French.
    expect(await plan.locator('[id$="-location-hint"]').textContent()).toBe('Ville et pays, ou « en ligne »');
    expect(await plan.locator('[id$="-language-hint"]').textContent()).toBe('Facultatif.');
    await plan.getByRole('button', { name: 'Planifier une activité' }).click();
    const refusal = plan.locator('.form-error .alert-box', { hasText: "Planifier une activité : l'action n'a pas abouti" });
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/doit être un jour \(AAAA-MM-JJ, par exemple 2027-03-12\) entre le 2006-01-01 et le .* ; reçu : "1999-05-10"\./);
    expect(await refusal.textContent()).toContain('HTTP 400');
    expect(await refusal.textContent()).toMatch(/^Planifier une activité : l'action n'a pas abouti : Date de début : doit être un jour/);
    expect(await plan.getByLabel('Date de début').getAttribute('aria-invalid')).toBe('true');
    // And under the field itself, where the focus went.
    const startDate = plan.getByLabel('Date de début');
    expect(await page.evaluate('document.activeElement.id')).toBe(await startDate.getAttribute('id'));
    expect(await plan.locator(`[id="${await startDate.getAttribute('aria-errormessage')}"]`).textContent()).toMatch(/^Date de début : doit être un jour/);
    await page.locator('#request').screenshot({ path: screenshotPath('request-fr') });
    await plan.getByLabel('Date de début').fill('2027-05-10');
    await plan.getByRole('button', { name: 'Planifier une activité' }).click();
    await page.locator('#announcer', { hasText: "Planifier une activité : c'est fait." }).waitFor();
    const planned = (await call(system, 'GET', `/requests/${id}`, cast.secretariat)).body.activities;
    expect(planned).toMatchObject([{ title: 'Formation à Dakar', budgetEur: 12000.5 }]);
    // Shown to the cent, not rounded to another amount.
    await page.locator('#request', { hasText: '12 000,50 €' }).waitFor();
    // How a number typed in each language is read; what reads as none goes to the API as typed, to be refused.
    const read = await page.evaluate(`(async () => {
      const { numberAsTyped } = await import('/dashboard/schema-form.js');
      const cases = { fr: ['45 000,50', '45.000,50', '45000', '45.5', '45,5', '45.000', '-3', 'abc', '1,2,3'], en: ['45,000.50', '45000', '45.5', '45,5', '45,000', 'abc'] };
      return Object.fromEntries(Object.entries(cases).map(([language, typed]) => [language, typed.map((text) => numberAsTyped(text, language))]));
    })()`);
    expect(read).toEqual({
      fr: [45000.5, 45000.5, 45000, 45.5, 45.5, 45000, -3, 'abc', '1,2,3'],
      en: [45000.5, 45000, 45.5, '45,5', 45000, 'abc'],
    });
    expect(await leakedValues(page)).toEqual([]);

    // To English: saved first (one choice for the page and the e-mails), then the same page in English, still signed in
    // and at the same place.
    await page.locator('#page-language').selectOption('en');
    await page.waitForURL(/[?&]lang=en(&|#|$)/);
    await page.locator('#dashboard').waitFor({ state: 'visible' });
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(new URL(page.url()).hash).toBe(`#request/${id}`);
    expect((await call(system, 'GET', '/me', officer.token)).body.language).toBe('en');
    await waitForViews(page);
    expect(await page.locator('#pipeline-title').textContent()).toBe('Pipeline by phase');
    expect(await page.locator('#pipeline [data-phase="implementation"] .phase-name').textContent()).toBe('Implementation');
    expect(await page.locator('#page-language').inputValue()).toBe('en');
    await page.locator('#request-title', { hasText: 'Activités planifiées en français' }).waitFor();
    await page.locator('#request .steps details', { hasText: 'Plan an activity' }).waitFor();
    await page.screenshot({ path: screenshotPath('dashboard-en'), fullPage: true });
    expect(missingMessages(seen)).toEqual([]);
    expect(seen.cspViolations()).toEqual([]);
    expect(seen.pageErrors).toEqual([]);
    await page.close();
  }, TEST_TIMEOUT);

  // A member votes on what they can read: on a 1366×768 laptop, the objectives, the budget and the vote form are on
  // the screen at once, in each language, and the vote is taken from there.
  for (const [lang, words] of [
    ['fr', { objectives: 'Objectifs', requested: 'Demandé', vote: 'Voter', voteField: 'Vote', comment: 'Commentaire', done: "Voter : c'est fait." }],
    ['en', { objectives: 'Objectives', requested: 'Requested', vote: 'Vote', voteField: 'Vote', comment: 'Comment', done: 'Vote: done.' }],
  ] as const) {
    it(`a committee member reads the objectives and the budget beside the vote form, and votes (${lang}, 1366×768)`, async () => {
      const { system, cast } = ctx;
      const id = await submit(system, cast, { title: `Vote on what one reads (${lang})`, objectives: 'Officers detect forged travel documents at every border post.', estimatedBudgetEur: 48500 });
      await advanceTo(system, cast, id, 'review');
      const { page, seen } = await signedIn(cast.scMember, `?lang=${lang}#request/${id}`, { viewport: { width: 1366, height: 768 } });
      const steps = page.locator('#request .steps');
      await steps.locator('summary', { hasText: words.vote }).click();
      await steps.getByLabel(words.voteField, { exact: true }).selectOption('no_objection');
      const submitVote = steps.getByRole('button', { name: words.vote });
      await submitVote.scrollIntoViewIfNeeded();
      const onScreen = async (locator: ReturnType<Page['locator']>) => {
        const box = await locator.boundingBox();
        return box !== null && box.y >= 0 && box.y + box.height <= 768;
      };
      const objectives = page.locator('#request .request-part h4', { hasText: words.objectives });
      const objectivesText = page.locator('#request .request-part p', { hasText: 'Officers detect forged travel documents at every border post.' });
      const requested = page.locator('#request .request-summary dt', { hasText: words.requested });
      expect({ objectives: await onScreen(objectives), text: await onScreen(objectivesText), budget: await onScreen(requested), form: await onScreen(submitVote) }).toEqual({ objectives: true, text: true, budget: true, form: true });
      expect(await page.locator('#request .request-summary').textContent()).toMatch(/48[\s\u202f\u00a0,]?500/);
      await page.screenshot({ path: screenshotPath(`vote-${lang}`) });
      await steps.getByLabel(words.comment).fill(lang === 'fr' ? 'Rien à objecter.' : 'Nothing to object.');
      await submitVote.click();
      await page.locator('#announcer', { hasText: words.done }).waitFor();
      expect((await call(system, 'GET', `/requests/${id}`, cast.monitor)).body.review.votes).toEqual([expect.objectContaining({ vote: 'no_objection' })]);
      expect(missingMessages(seen)).toEqual([]);
      expect(seen.pageErrors).toEqual([]);
      await page.close();
    }, TEST_TIMEOUT);
  }

  it('a person who chose French gets it once signed in, from an English browser, at the page the link named', async () => {
    const { system } = ctx;
    const person = await system.user('monitor');
    expect((await call(system, 'PUT', '/me/language', person.token, { language: 'fr' })).status).toBe(200);
    const address = 'chose-french@example.org';
    await system.database.pool.query('update users set email = $2 where id = $1', [person.actor.userId, address]);
    const { page, seen } = await newTab();
    await page.goto(`${baseUrl}/dashboard#request/${portfolio.inReview}`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.locator('#sign-in').waitFor();
    await signInWithCode(page, address);
    await page.waitForURL(/[?&]lang=fr(&|#|$)/);
    await page.locator('#dashboard').waitFor({ state: 'visible' });
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    expect(await page.locator('#page-language').inputValue()).toBe('fr');
    expect(new URL(page.url()).hash).toBe(`#request/${portfolio.inReview}`);
    await waitForViews(page);
    expect(await page.locator('#pipeline-title').textContent()).toBe('Portefeuille par phase');
    await page.locator('#request-title', { hasText: 'Workshop on labour mobility schemes' }).waitFor();
    // Once: a reload stays in French, and in the same tab the person stays signed in.
    await page.reload();
    await page.locator('#dashboard').waitFor({ state: 'visible' });
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    await page.getByText('Notifications par courriel', { exact: true }).click();
    expect(await page.getByLabel('Votre langue (cette page et vos courriels)').inputValue()).toBe('fr');
    expect(missingMessages(seen)).toEqual([]);
    expect(seen.pageErrors).toEqual([]);
    await page.close();
  }, TEST_TIMEOUT);
});

describe('under its Content-Security-Policy', () => {
  it('no tab opened above was refused anything by the policy', () => {
    expect(watches.length).toBeGreaterThanOrEqual(6);
    expect(watches.flatMap((seen) => seen.cspViolations())).toEqual([]);
  });
});
