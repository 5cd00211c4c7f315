import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { launchChromium, openTab, screenshotPath, watch, type Chromium, type PageWatch } from './browser';
import { call, type Person } from '../support/cast';
import { useTestSystem } from '../support/use-test-system';
import { translate, type MessageKey } from '../../i18n/messages';
import type { Language } from '../../i18n/languages';

/**
 * One request's life, walked by the people who live it, each signed in in their own tab (a browser context of its
 * own, with their session's cookie) of a browser that speaks their language: the focal point submits it and answers the Secretariat's question, a committee member reads it and votes
 * on the same screen, the Chair approves it with a condition, the Secretariat meets the condition and plans and
 * holds an activity, and a monitor finds it by a word of its own language. Everything the test reads and clicks is
 * the catalog's words for that language, so the walk is the same in French and in English.
 */

const ctx = useTestSystem();
const TEST_TIMEOUT = 180_000;
let baseUrl: string;

beforeAll(async () => {
  // The seeded Cadiz plan, in its two languages, in force whatever the day the test runs (it ends in 2027): a copy
  // of it that started yesterday is the plan in force, as the plan that started last is.
  const { planId: _planId, inForce: _inForce, ...cadiz } = (await call(ctx.system, 'GET', '/action-plans/cadiz-2023-2027', ctx.cast.admin)).body;
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const copied = await call(ctx.system, 'PUT', '/action-plans/cadiz-walk', ctx.cast.admin, { ...cadiz, startsOn: day(-1), endsOn: day(365) });
  expect(copied.status).toBe(201);
  baseUrl = await ctx.system.app.listen({ host: '127.0.0.1', port: 0 });
});

/** What a person reads must never show a programming value where a word belongs. */
const leakedValues = async (page: Page) => (await page.locator('main').innerText()).match(/\b(null|undefined|NaN)\b|\[object \w+\]/g) ?? [];

/** What each walk writes as its people would, and the word its monitor searches for (another form of a word of it). */
const WRITTEN: Record<Language, { title: string; description: string; objectives: string; outcomes: string; question: string; answer: string; accepted: string; condition: string; conditionMet: string; activity: string; place: string; search: string }> = {
  fr: {
    title: 'Formation des agents aux frontières à la détection de la fraude documentaire',
    description: 'Trois jours pour les agents de la police aux frontières de Dakar et de Rosso.',
    objectives: 'Les agents détectent les documents de voyage falsifiés à chaque poste frontière.',
    outcomes: 'Quarante agents formés, dont au moins quinze femmes.',
    question: 'Combien d’agents participeront, et de quels postes ?',
    answer: 'Quarante agents : vingt de Dakar, vingt de Rosso.',
    accepted: 'Complète et recevable ; les effectifs sont confirmés.',
    condition: 'Nommer les formateurs',
    conditionMet: 'Deux formateurs de l’Académie de police, nommés le 2 mai.',
    activity: 'Formation à Dakar',
    place: 'Dakar (Sénégal)',
    search: 'formations',
  },
  en: {
    title: 'Training of border officers in detecting document fraud',
    description: 'Three days for the border police of Dakar and Rosso.',
    objectives: 'Officers detect forged travel documents at every border post.',
    outcomes: 'Forty officers trained, at least fifteen of them women.',
    question: 'How many officers will take part, and from which posts?',
    answer: 'Forty officers: twenty from Dakar, twenty from Rosso.',
    accepted: 'Complete and eligible; the numbers are confirmed.',
    condition: 'Name the trainers',
    conditionMet: 'Two trainers from the Police Academy, named on 2 May.',
    activity: 'Training in Dakar',
    place: 'Dakar, Senegal',
    search: 'trainings',
  },
};

for (const [language, locale] of [
  ['fr', 'fr-FR'],
  ['en', 'en-GB'],
] as const) {
  describe(`a request's life in the dashboard, in ${language === 'fr' ? 'French' : 'English'}`, () => {
    const t = (key: MessageKey, values: Record<string, string | number> = {}) => translate(language, key, values);
    const written = WRITTEN[language];
    let browser: Chromium;
    const tabs: PageWatch[] = [];
    beforeAll(async () => {
      browser = await launchChromium({ locale });
    });
    afterAll(async () => browser?.close());

    /** A tab of this language's browser, signed in as `person`, at `hash`. */
    async function signedIn(person: Person, hash = '', viewport = { width: 1280, height: 900 }): Promise<Page> {
      const { page } = await openTab(browser, { system: ctx.system, baseUrl }, person, { viewport });
      tabs.push(watch(page));
      await page.goto(`${baseUrl}/dashboard${hash}`);
      expect(await page.getAttribute('html', 'lang')).toBe(language);
      await page.locator('#dashboard').waitFor({ state: 'visible' });
      return page;
    }
    const steps = (page: Page) => page.locator('#request .steps');
    /** Opens the step form named `label`, lets `fill` fill it in, sends it and waits for "done". */
    async function takeStep(page: Page, label: string, fill: (form: Locator) => Promise<void>): Promise<void> {
      const form = steps(page).locator('details', { has: page.locator('summary', { hasText: label }) }).first();
      // The page keeps a form open across its updates (a second update of one activity finds it open).
      if ((await form.getAttribute('open')) === null) await form.locator('summary').click();
      await fill(form);
      // The last step's "done" must not pass for this one's.
      await page.locator('#announcer').evaluate((announcer) => announcer.replaceChildren());
      await form.getByRole('button', { name: label }).click();
      await page.locator('#announcer', { hasText: t('page.step.done', { label }) }).waitFor();
    }

    it('a focal point submits and answers; a member votes on what they read; the Chair approves with a condition; the Secretariat holds an activity; a monitor finds it', async () => {
      const { system, cast } = ctx;
      const read = async (id: string) => (await call(system, 'GET', `/requests/${id}`, cast.monitor)).body;

      // (1) The focal point submits the request from the dashboard: written in the page's language unless they say otherwise.
      const partner = await signedIn(cast.partner);
      const submission = partner.locator('#new-request');
      await submission.getByText(t('page.newRequest.title')).click();
      expect(await submission.getByLabel(t('page.field.language'), { exact: true }).inputValue()).toBe(language);
      await submission.getByLabel(t('page.field.title'), { exact: true }).fill(written.title);
      await submission.getByLabel(t('page.field.description'), { exact: true }).fill(written.description);
      await submission.getByLabel(t('page.field.domain'), { exact: true }).selectOption('4');
      await submission.getByLabel(t('page.field.activityType'), { exact: true }).selectOption('training');
      await submission.getByLabel(t('page.field.objectives'), { exact: true }).fill(written.objectives);
      await submission.getByLabel(t('page.field.expectedOutcomes'), { exact: true }).fill(written.outcomes);
      await submission.getByLabel(t('page.field.estimatedBudgetEur'), { exact: true }).fill('48500');
      await submission.getByLabel(t('page.field.name'), { exact: true }).fill('Awa Diop');
      await submission.getByLabel(t('page.field.email'), { exact: true }).fill('awa.diop@interieur.gouv.sn');
      await submission.getByRole('button', { name: t('page.newRequest.submit') }).click();
      await partner.locator('#request-title', { hasText: written.title }).waitFor();
      const id = new URL(partner.url()).hash.replace('#request/', '');
      expect(await read(id)).toMatchObject({ phase: 'screening', language, country: 'SN', estimatedBudgetEur: 48500 });

      // (2) The Secretariat asks a question; the focal point answers it from the request's page, where the question is.
      const asked = await call(system, 'POST', `/requests/${id}/screening`, cast.secretariat, { outcome: 'request_information', note: written.question });
      expect(asked.status).toBe(200);
      await partner.reload();
      await partner.locator('#request', { hasText: written.question }).waitFor();
      await takeStep(partner, t('page.step.provide_information'), (form) => form.getByLabel(t('page.field.response'), { exact: true }).fill(written.answer));
      expect((await read(id)).informationExchanges).toEqual([expect.objectContaining({ question: written.question, response: written.answer })]);
      expect(await leakedValues(partner)).toEqual([]);
      await partner.locator('#request').screenshot({ path: screenshotPath(`walk-${language}-1-answered`) });
      await partner.close();

      // (3) Accepted for review, a committee member on a 1366×768 laptop has the objectives, the budget and the vote
      // button on the screen at once, and votes from there.
      expect((await call(system, 'POST', `/requests/${id}/screening`, cast.secretariat, { outcome: 'accept', note: written.accepted })).status).toBe(200);
      const member = await signedIn(cast.scMember, `#request/${id}`, { width: 1366, height: 768 });
      const vote = t('page.step.vote');
      await steps(member).locator('summary', { hasText: vote }).click();
      await steps(member).getByLabel(t('page.field.vote'), { exact: true }).selectOption('no_objection');
      const submitVote = steps(member).getByRole('button', { name: vote });
      await submitVote.scrollIntoViewIfNeeded();
      const onScreen = async (locator: Locator) => {
        const box = await locator.boundingBox();
        return box !== null && box.y >= 0 && box.y + box.height <= 768;
      };
      expect({
        objectives: await onScreen(member.locator('#request .request-part h4', { hasText: t('page.field.objectives') })),
        text: await onScreen(member.locator('#request .request-part p', { hasText: written.objectives })),
        budget: await onScreen(member.locator('#request .request-summary dt', { hasText: t('page.request.budgetRequested') })),
        form: await onScreen(submitVote),
      }).toEqual({ objectives: true, text: true, budget: true, form: true });
      // The amount as the language writes it: "48 500 €", "€48,500".
      const facts = await member.locator('#request .request-summary').textContent();
      expect(facts).toContain(new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 }).format(48500));
      // The action plan's area and title as the plan words them in the reader's language (migration 0027).
      expect(facts).toContain(
        language === 'fr'
          ? '4 — Migration irrégulière, trafic illicite de migrants et traite des êtres humains'
          : '4 — Irregular migration, migrant smuggling and trafficking in human beings',
      );
      expect(facts).toContain(language === 'fr' ? 'Plan d’action de Cadix 2023–2027' : 'Cadiz Action Plan 2023–2027');
      await member.screenshot({ path: screenshotPath(`walk-${language}-vote`) });
      await submitVote.click();
      await member.locator('#announcer', { hasText: t('page.step.done', { label: vote }) }).waitFor();
      await member.close();

      // (4) The only member has voted: the Chair approves, with a condition and the budget approved.
      expect((await read(id)).phase).toBe('approval');
      const chair = await signedIn(cast.chair, `#request/${id}`);
      await takeStep(chair, t('page.step.decide'), async (form) => {
        await form.getByLabel(t('page.field.decision'), { exact: true }).selectOption('approve');
        expect(await form.getByLabel(t('page.field.decision'), { exact: true }).locator('option:checked').textContent()).toBe(t('page.choice.decision.approve'));
        await form.getByLabel(t('page.field.rationale'), { exact: true }).fill(written.objectives);
        await form.getByLabel(t('page.field.conditions'), { exact: true }).fill(written.condition);
        await form.getByLabel(t('page.field.approvedBudgetEur'), { exact: true }).fill('45000');
      });
      expect(await read(id)).toMatchObject({ phase: 'implementation', conditions: [expect.objectContaining({ text: written.condition, met: null })] });
      await chair.close();

      // (5) The Secretariat meets the condition, plans the activity, confirms it and records it as held.
      const officer = await signedIn(cast.secretariat, `#request/${id}`);
      await takeStep(officer, t('page.step.meet_condition', { condition: written.condition }), (form) =>
        form.getByLabel(t('page.field.note'), { exact: true }).fill(written.conditionMet),
      );
      await takeStep(officer, t('page.step.plan_activity'), async (form) => {
        await form.getByLabel(t('page.field.type'), { exact: true }).selectOption('training');
        await form.getByLabel(t('page.field.title'), { exact: true }).fill(written.activity);
        await form.getByLabel(t('page.field.startDate')).fill('2027-05-10');
        await form.getByLabel(t('page.field.endDate')).fill('2027-05-12');
        await form.getByLabel(t('page.field.location'), { exact: true }).fill(written.place);
        await form.getByLabel(t('page.field.budgetEur'), { exact: true }).fill('12000');
      });
      const update = t('page.step.update_activity', { title: written.activity });
      await takeStep(officer, update, async (form) => {
        await form.getByLabel(t('page.field.status'), { exact: true }).selectOption('confirmed');
      });
      await takeStep(officer, update, async (form) => {
        await form.getByLabel(t('page.field.status'), { exact: true }).selectOption('held');
        await form.locator('[id$="-participants-total"]').fill('40');
        await form.locator('[id$="-participants-women"]').fill('16');
        await form.locator('[id$="-participants-men"]').fill('24');
        await form.locator('[id$="-participants-institutions"]').fill('2');
        await form.getByLabel(t('page.field.spentEur'), { exact: true }).fill('11800');
      });
      expect((await read(id)).activities).toEqual([expect.objectContaining({ title: written.activity, status: 'held', spentEur: 11800 })]);
      // The page shows what happened in the reader's words: the activity held, its participants by sex.
      await officer
        .locator('#request', { hasText: t('page.request.participants', { total: 40, women: 16, men: 24, institutions: 2 }) })
        .waitFor();
      expect(await leakedValues(officer)).toEqual([]);
      await officer.locator('#request').screenshot({ path: screenshotPath(`walk-${language}-2-held`) });
      await officer.close();

      // (6) A monitor searches another form of one of its words, and finds it.
      const monitor = await signedIn(cast.monitor);
      await monitor.getByLabel(t('page.search.label')).fill(written.search);
      await monitor.getByRole('button', { name: t('page.search.button') }).click();
      const results = monitor.locator('#search-results .result-list a');
      await results.first().waitFor();
      expect(await results.allTextContents()).toContain(written.title);
      await monitor.close();

      for (const tab of tabs) {
        expect(tab.consoleErrors.filter((line) => /catalog has no message/.test(line))).toEqual([]);
        expect(tab.cspViolations()).toEqual([]);
        expect(tab.pageErrors).toEqual([]);
      }
    }, TEST_TIMEOUT);
  });
}
