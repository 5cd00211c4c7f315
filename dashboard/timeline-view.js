/** @typedef {import('./api-types.ts').RequestView} RequestView */
/** @typedef {import('./api-types.ts').RequestEvent} RequestEvent */
/** @template Item @typedef {import('./api-types.ts').Page<Item>} Page */
import { stepForms, stepsKey } from './actions-view.js';
import { h } from './dom.js';
import { locale, t } from './i18n.js';
import { announce } from './messages.js';
import { countryNamer, forgetCountryNames } from './country-names.js';
import { actionAreaLabel, dateTime, euros, fileSize, phaseLabel, roleLabel, span, supportLabel, timeElement, titleOf, words } from './format.js';
import { activitiesPart, budgetPart, closurePart, contactPart, decisionsPart, reportsPart, reviewPart, screeningPart, versionsPart, whatIsAsked } from './request-sections.js';

/**
 * One request, whole, where people act: where it stands and who must act next, what is asked and its budget, its
 * screening, versions, votes, decision, activities, reports and lessons (request-sections.js), the steps the person
 * may take beside them, and its timeline — every event with what caused it, oldest first. Refreshed when the live
 * stream reports an event of this request.
 */

/** The field of an event's payload that says why, whichever step it was. */
const REASON_FIELDS = ['note', 'reason', 'rationale', 'comment', 'comments', 'response', 'summary', 'lessonsLearned', 'question'];

let openId = null;
let generation = 0;
/**
 * Saves one document of the open request (set when a request opens: it needs that session's API client).
 * @type {(requestId: string, document: RequestView['documents'][number]) => unknown}
 */
let saveDocument = () => undefined;
/**
 * The forms of the steps the person may take on the open request (set when a request opens, as saveDocument).
 * @type {(request: RequestView) => Promise<unknown>}
 */
let formsFor = async () => null;

const section = () => document.getElementById('request');
const title = () => document.getElementById('request-title');
const body = () => document.getElementById('request-body');

export const openRequestId = () => openId;

function reasonOf(event) {
  for (const field of REASON_FIELDS) {
    const value = event.payload?.[field];
    if (typeof value === 'string' && value.trim() !== '') return value;
  }
  return null;
}

/** @param {RequestEvent} event */
function timelineItem(event) {
  const reason = reasonOf(event);
  const { headline, sentence, cause } = event.description;
  return h(
    'li',
    { class: 'event', 'data-event-type': event.type, 'data-seq': event.seq },
    h('p', { class: 'event-head' }, h('strong', { class: 'event-type' }, headline)),
    h('p', { class: 'event-sentence' }, `${sentence}.`),
    h(
      'p',
      { class: 'meta' },
      timeElement(event.occurredAt),
      // A person's step names them; what no person did says what caused it (a deadline, the procedure, a meeting).
      event.actorRole === 'system' ? null : [' · ', h('span', { class: 'actor' }, event.actorName), ` (${roleLabel(event.actorRole)})`],
      event.phaseBefore !== event.phaseAfter ? ` · ${phaseLabel(event.phaseBefore)} → ${phaseLabel(event.phaseAfter)}` : null,
    ),
    cause ? h('p', { class: 'cause' }, t('page.timeline.cause', { cause })) : null,
    reason ? h('p', { class: 'reason' }, h('span', { class: 'visually-hidden' }, t('page.timeline.reason')), reason) : null,
  );
}

/**
 * Area and objective in the words of the request's action plan (`plan`: null when it names none, or it failed to load).
 * @param {RequestView} request
 */
function placeInPlan(request, plan) {
  const inPlan = plan?.areas.find((a) => a.area === request.domain);
  const area = inPlan ? titleOf(inPlan) : actionAreaLabel(request.domain);
  const rows = [[t('page.request.area'), `${request.domain} — ${area}`]];
  if (plan) rows.push([t('page.request.plan'), titleOf(plan)]);
  if (request.objective) {
    const objective = plan?.objectives.find((o) => o.code === request.objective);
    rows.push([t('page.request.objective'), objective ? `${objective.code} — ${titleOf(objective)}` : request.objective]);
  }
  return rows;
}

const roleList = new Intl.ListFormat(locale, { type: 'conjunction' });

/** @param {RequestView} request */
function summary(request, plan, countryName) {
  const rows = [
    [t('page.request.phase'), phaseLabel(request.phase)],
    [t('page.request.country'), countryName(request.country)],
    ...placeInPlan(request, plan),
    [t('page.request.support'), supportLabel(request.activityType)],
    request.preferredPeriod ? [t('page.request.period'), request.preferredPeriod] : null,
    [t('page.request.budgetRequested'), euros(request.estimatedBudgetEur)],
    request.budget.approvedEur !== null ? [t('page.request.budgetApproved'), euros(request.budget.approvedEur)] : null,
    [t('page.request.submitted'), [timeElement(request.submitted.at), ' ', t('page.request.by', { name: request.submitted.by.name, role: roleLabel(request.submitted.by.role) })]],
  ].filter(Boolean);
  if (request.waitingFor) {
    const deadline = request.waitingFor.deadline;
    // The roles open the line: "Point focal : …", as "Secrétariat : …" already reads (a role is lower case mid-sentence).
    const roles = roleList.format(request.waitingFor.roles.map(roleLabel));
    rows.push([t('page.request.whoMustAct'), t('page.request.mustAct', { roles: roles.charAt(0).toLocaleUpperCase(locale) + roles.slice(1), what: request.waitingFor.what })]);
    rows.push([
      t('page.request.byWhen'),
      deadline
        ? [timeElement(deadline), Date.parse(deadline) < Date.now() ? h('span', { class: 'badge overdue' }, ` ${t('page.request.overdueBy', { span: span(Date.now() - Date.parse(deadline)) })}`) : null]
        : t('page.request.noDeadline'),
    ]);
  }
  if (request.ending) rows.push([t('page.request.ended'), [timeElement(request.ending.at), ` — ${request.ending.reason}`]]);
  return h('dl', { class: 'facts request-summary' }, rows.map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]));
}

/**
 * The documents attached to the request, each with a button that downloads it.
 * @param {RequestView} request
 */
function documentList(request) {
  if (request.documents.length === 0) return h('p', { class: 'status documents' }, t('page.documents.none'));
  return h(
    'ul',
    { class: 'documents', 'aria-labelledby': 'documents-title' },
    request.documents.map((document) => {
      // Removed by a step while the request ran, or its bytes erased after it ended: on record, not downloadable.
      const [gone, word] = document.removed ? [document.removed, 'removed'] : document.erased ? [document.erased, 'erased'] : [null, null];
      const goneWord = word ? t(`page.documents.${word}`) : null;
      return h(
        'li',
        { 'data-document-id': document.documentId },
        gone
          ? h('p', { class: 'removed-document' }, h('del', {}, document.name), ` — ${goneWord}`)
          : h('button', { type: 'button', onclick: () => saveDocument(request.id, document) }, t('page.documents.download', { name: document.name })),
        h(
          'p',
          { class: 'meta' },
          `${fileSize(document.sizeBytes)} · ${t('page.documents.attached')} `,
          timeElement(document.attached.at),
          ` ${t('page.request.by', { name: document.attached.by.name, role: roleLabel(document.attached.by.role) })}`,
          gone ? [` · ${goneWord} `, timeElement(gone.at), ` ${t('page.request.by', { name: gone.by.name, role: roleLabel(gone.by.role) })}`] : null,
        ),
        gone ? h('p', { class: 'reason' }, t(`page.documents.why.${word}`, { reason: gone.reason })) : document.description ? h('p', { class: 'reason' }, document.description) : null,
      );
    }),
  );
}

/**
 * The steps the person may take now; `data-steps` names them, so that a refresh can tell whether they changed.
 * @param {RequestView} request
 */
function stepsSection(request, forms) {
  return h(
    'div',
    { class: 'steps', 'data-steps': stepsKey(request), hidden: forms === null },
    h('h3', { id: 'steps-title' }, t('page.steps.title')),
    h('p', { class: 'hint' }, t('page.steps.hint')),
    forms,
  );
}

/** The parts of the request, in reading order: what a member votes on comes first, beside the form. */
function requestParts(request) {
  return [whatIsAsked(request), budgetPart(request), contactPart(request), screeningPart(request), versionsPart(request), reviewPart(request), decisionsPart(request), activitiesPart(request), reportsPart(request), closurePart(request)].filter(Boolean);
}

function render({ request, events, plan, forms, countryName }, liveText) {
  title().textContent = request.title;
  const existing = body().querySelector('ol.timeline');
  if (existing) {
    // In place, so that whatever has the keyboard focus (the back link, say) keeps it; so does a form being filled
    // in, unless what the person may do has changed.
    const steps = /** @type {HTMLElement} */ (body().querySelector('.steps'));
    if (steps.dataset.steps !== stepsKey(request)) steps.replaceWith(stepsSection(request, forms));
    body().querySelector('dl.request-summary').replaceWith(summary(request, plan, countryName));
    body().querySelector('.request-parts').replaceChildren(...requestParts(request));
    body().querySelector('.documents').replaceWith(documentList(request));
    body().querySelector('.live-status').textContent = liveText;
    existing.replaceChildren(...events.map(timelineItem));
    return;
  }
  body().replaceChildren(
    h('p', { class: 'back' }, h('a', { href: '#pipeline' }, t('page.request.back'))),
    h(
      'div',
      { class: 'request-layout' },
      h(
        'div',
        { class: 'request-main' },
        summary(request, plan, countryName),
        h('div', { class: 'request-parts' }, requestParts(request)),
        h('h3', { id: 'documents-title' }, t('page.documents.title')),
        documentList(request),
      ),
      // Beside what they decide on: the form stays in sight while the person reads (dashboard.css, .request-aside).
      h('aside', { class: 'request-aside', 'aria-labelledby': 'steps-title' }, stepsSection(request, forms)),
    ),
    h('h3', { id: 'timeline-title' }, t('page.timeline.title')),
    h('p', { class: 'status live-status', 'aria-live': 'polite' }, liveText),
    h('ol', { class: 'timeline', 'aria-labelledby': 'timeline-title' }, events.map(timelineItem)),
  );
}

/** Action plans by ID, as loaded (they change about every five years): one call per plan per session. */
const plans = new Map();

function planOf(api, planId) {
  if (!planId) return Promise.resolve(null);
  if (!plans.has(planId)) {
    plans.set(
      planId,
      api.get(`/action-plans/${encodeURIComponent(planId)}`).catch(() => {
        plans.delete(planId); // not kept: the next open asks again
        return null;
      }),
    );
  }
  return plans.get(planId);
}

/** @returns {Promise<{ request: RequestView, events: RequestEvent[], plan: unknown, forms: unknown, countryName: (code: string) => string }>} */
async function load(api, id) {
  /** @type {[RequestView, Page<RequestEvent>, (code: string) => string]} */
  const [request, events, countryName] = await Promise.all([api.get(`/requests/${id}`), api.get(`/requests/${id}/events`), countryNamer(api)]);
  const [plan, forms] = await Promise.all([planOf(api, request.actionPlan), formsFor(request)]);
  return { request, events: events.items, plan, forms, countryName };
}

/**
 * Shows request `id` at the top of the screen (opened from a link, it is what the person came for); moves focus to
 * its title so that keyboard and screen-reader users land on it.
 */
export async function openRequest(api, id, onError) {
  generation += 1;
  const mine = generation;
  openId = id;
  saveDocument = (requestId, document) =>
    api.download(`/requests/${requestId}/documents/${document.documentId}`, document.name).catch((error) => onError(error, t('page.documents.notDownloaded', { name: document.name })));
  formsFor = (request) =>
    stepForms(api, request, (done) => reloadTimeline(api, done).then(() => announce(done)), onError).catch((error) => {
      onError(error, t('page.steps.notShown'));
      return null;
    });
  section().hidden = false;
  section().setAttribute('aria-busy', 'true');
  title().textContent = t('page.request.title');
  body().replaceChildren(h('p', { class: 'status' }, t('page.request.loading')));
  section().scrollIntoView({ block: 'start' });
  title().focus();
  try {
    const loaded = await load(api, id);
    if (mine !== generation) return;
    render(loaded, t('page.timeline.loaded', { count: loaded.events.length }));
  } catch (error) {
    if (mine !== generation) return;
    body().replaceChildren(h('p', { class: 'status' }, t('page.request.notShown')));
    onError(error, t('page.request.notOpened'));
  } finally {
    if (mine === generation) section().removeAttribute('aria-busy');
  }
}

/**
 * Loads the open request again, in place (the focus stays where it is); `liveText` says why — or, given as a
 * function, is worded from what was loaded.
 * @param {string | ((events: RequestEvent[]) => string)} liveText
 */
export async function reloadTimeline(api, liveText) {
  if (openId === null) return;
  const mine = generation;
  const loaded = await load(api, openId);
  if (mine !== generation) return;
  render(loaded, typeof liveText === 'function' ? liveText(loaded.events) : liveText);
}

/** Called for every live event: reloads the timeline when the event is about the open request. */
export async function refreshTimeline(api, streamEvent) {
  if (streamEvent.data.requestId !== openId) return;
  await reloadTimeline(api, (events) =>
    // What no person did is not "by system": the timeline says what caused it.
    t(streamEvent.data.actorRole === 'system' ? 'page.timeline.updatedBySystem' : 'page.timeline.updated', {
      time: dateTime(new Date().toISOString()),
      // The event's own words, as the timeline says them (a key as words only if it is not listed yet).
      event: events.find((event) => event.seq === streamEvent.data.seq)?.description.headline ?? words(streamEvent.type),
      name: streamEvent.data.actorName,
    }),
  );
}

export function closeRequest() {
  generation += 1;
  openId = null;
  formsFor = async () => null;
  plans.clear();
  forgetCountryNames();
  section().hidden = true;
  body().replaceChildren();
}
