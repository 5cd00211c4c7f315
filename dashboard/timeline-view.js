/** @typedef {import('./api-types.ts').RequestView} RequestView */
/** @typedef {import('./api-types.ts').RequestEvent} RequestEvent */
/** @template Item @typedef {import('./api-types.ts').Page<Item>} Page */
import { stepForms, stepsKey } from './actions-view.js';
import { h } from './dom.js';
import { announce } from './messages.js';
import { actionAreaLabel, dateTime, euros, fileSize, phaseLabel, roleLabel, span, timeElement, words } from './format.js';

/**
 * One request: where it stands, who must act next and by when, and its timeline — every event with its actor,
 * time and reason, oldest first. Refreshed when the live stream reports an event of this request.
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

function timelineItem(event) {
  const reason = reasonOf(event);
  const vote = typeof event.payload?.vote === 'string' ? words(event.payload.vote) : null;
  return h(
    'li',
    { class: 'event', 'data-event-type': event.type, 'data-seq': event.seq },
    h('p', { class: 'event-head' }, h('strong', { class: 'event-type' }, words(event.type)), vote ? ` — ${vote}` : null),
    h(
      'p',
      { class: 'meta' },
      timeElement(event.occurredAt),
      // Reminders, escalations and expiries come from the request's own deadlines, not from a person.
      event.actorRole === 'system' ? ' · by the system (a deadline)' : [' · by ', h('span', { class: 'actor' }, event.actorName), ` (${roleLabel(event.actorRole)})`],
      event.phaseBefore !== event.phaseAfter ? ` · ${phaseLabel(event.phaseBefore)} → ${phaseLabel(event.phaseAfter)}` : null,
    ),
    reason ? h('p', { class: 'reason' }, h('span', { class: 'visually-hidden' }, 'Reason: '), reason) : null,
  );
}

/**
 * Area and objective in the words of the request's action plan (`plan`: null when it names none, or it failed to load).
 * @param {RequestView} request
 */
function placeInPlan(request, plan) {
  const area = plan?.areas.find((a) => a.area === request.domain)?.title ?? actionAreaLabel(request.domain);
  const rows = [['Action area', `${request.domain} — ${area}`]];
  if (plan) rows.push(['Action plan', plan.title]);
  if (request.objective) {
    const objective = plan?.objectives.find((o) => o.code === request.objective);
    rows.push(['Objective', objective ? `${objective.code} — ${objective.title}` : request.objective]);
  }
  return rows;
}

/** @param {RequestView} request */
function summary(request, plan) {
  const rows = [
    ['Phase', phaseLabel(request.phase)],
    ['Country', request.country],
    ...placeInPlan(request, plan),
    ['Kind of support', words(request.activityType)],
    ['Budget requested', euros(request.estimatedBudgetEur)],
    ['Submitted', [timeElement(request.submitted.at), ` by ${request.submitted.by.name}`]],
  ];
  if (request.waitingFor) {
    const deadline = request.waitingFor.deadline;
    rows.push(['Who must act', `${request.waitingFor.roles.map(roleLabel).join(' and ')}: ${request.waitingFor.what}`]);
    rows.push([
      'By when',
      deadline
        ? [timeElement(deadline), Date.parse(deadline) < Date.now() ? h('span', { class: 'badge overdue' }, ` overdue by ${span(Date.now() - Date.parse(deadline))}`) : null]
        : 'No deadline',
    ]);
  }
  if (request.ending) rows.push(['Ended', [timeElement(request.ending.at), ` — ${request.ending.reason}`]]);
  return h('dl', { class: 'facts' }, rows.map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]));
}

/**
 * The documents attached to the request, each with a button that downloads it.
 * @param {RequestView} request
 */
function documentList(request) {
  if (request.documents.length === 0) return h('p', { class: 'status documents' }, 'No documents are attached to this request.');
  return h(
    'ul',
    { class: 'documents', 'aria-labelledby': 'documents-title' },
    request.documents.map((document) => {
      // Removed by a step while the request ran, or its bytes erased after it ended: on record, not downloadable.
      const [gone, word] = document.removed ? [document.removed, 'removed'] : document.erased ? [document.erased, 'erased'] : [null, null];
      return h(
        'li',
        { 'data-document-id': document.documentId },
        gone
          ? h('p', { class: 'removed-document' }, h('del', {}, document.name), ` — ${word}`)
          : h('button', { type: 'button', onclick: () => saveDocument(request.id, document) }, `Download ${document.name}`),
        h(
          'p',
          { class: 'meta' },
          `${fileSize(document.sizeBytes)} · attached `,
          timeElement(document.attached.at),
          ` by ${document.attached.by.name} (${roleLabel(document.attached.by.role)})`,
          gone ? [` · ${word} `, timeElement(gone.at), ` by ${gone.by.name} (${roleLabel(gone.by.role)})`] : null,
        ),
        gone ? h('p', { class: 'reason' }, `Why ${word}: ${gone.reason}`) : document.description ? h('p', { class: 'reason' }, document.description) : null,
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
    h('h3', { id: 'steps-title' }, 'What you can do'),
    h('p', { class: 'hint' }, 'Each step is recorded with your name and the time, as when it is taken through the API.'),
    forms,
  );
}

function render({ request, events, plan, forms }, liveText) {
  title().textContent = request.title;
  const existing = body().querySelector('ol.timeline');
  if (existing) {
    // In place, so that whatever has the keyboard focus (the back link, say) keeps it; so does a form being filled
    // in, unless what the person may do has changed.
    const steps = /** @type {HTMLElement} */ (body().querySelector('.steps'));
    if (steps.dataset.steps !== stepsKey(request)) steps.replaceWith(stepsSection(request, forms));
    body().querySelector('dl.facts').replaceWith(summary(request, plan));
    body().querySelector('.documents').replaceWith(documentList(request));
    body().querySelector('.live-status').textContent = liveText;
    existing.replaceChildren(...events.map(timelineItem));
    return;
  }
  body().replaceChildren(
    h('p', { class: 'back' }, h('a', { href: '#pipeline' }, 'Back to the pipeline')),
    summary(request, plan),
    stepsSection(request, forms),
    h('h3', { id: 'documents-title' }, 'Documents'),
    documentList(request),
    h('h3', { id: 'timeline-title' }, 'Timeline'),
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

/** @returns {Promise<{ request: RequestView, events: RequestEvent[], plan: unknown, forms: unknown }>} */
async function load(api, id) {
  /** @type {[RequestView, Page<RequestEvent>]} */
  const [request, events] = await Promise.all([api.get(`/requests/${id}`), api.get(`/requests/${id}/events`)]);
  const [plan, forms] = await Promise.all([planOf(api, request.actionPlan), formsFor(request)]);
  return { request, events: events.items, plan, forms };
}

/** Shows request `id`; moves focus to its title so that keyboard and screen-reader users land on it. */
export async function openRequest(api, id, onError) {
  generation += 1;
  const mine = generation;
  openId = id;
  saveDocument = (requestId, document) =>
    api.download(`/requests/${requestId}/documents/${document.documentId}`, document.name).catch((error) => onError(error, `Could not download ${document.name}`));
  formsFor = (request) =>
    stepForms(api, request, (done) => reloadTimeline(api, done).then(() => announce(done)), onError).catch((error) => {
      onError(error, 'Could not show the steps you may take');
      return null;
    });
  section().hidden = false;
  section().setAttribute('aria-busy', 'true');
  title().textContent = 'Request';
  body().replaceChildren(h('p', { class: 'status' }, 'Loading the request and its timeline…'));
  title().focus();
  try {
    const loaded = await load(api, id);
    if (mine !== generation) return;
    render(loaded, `${loaded.events.length} events. Updates appear here as they happen.`);
  } catch (error) {
    if (mine !== generation) return;
    body().replaceChildren(h('p', { class: 'status' }, 'This request could not be shown.'));
    onError(error, 'Could not open the request');
  } finally {
    if (mine === generation) section().removeAttribute('aria-busy');
  }
}

/** Loads the open request again, in place (the focus stays where it is); `liveText` says why. */
export async function reloadTimeline(api, liveText) {
  if (openId === null) return;
  const mine = generation;
  const loaded = await load(api, openId);
  if (mine !== generation) return;
  render(loaded, liveText);
}

/** Called for every live event: reloads the timeline when the event is about the open request. */
export async function refreshTimeline(api, streamEvent) {
  if (streamEvent.data.requestId !== openId) return;
  await reloadTimeline(api, `Updated at ${dateTime(new Date().toISOString())}: ${words(streamEvent.type)} by ${streamEvent.data.actorName}.`);
}

export function closeRequest() {
  generation += 1;
  openId = null;
  formsFor = async () => null;
  plans.clear();
  section().hidden = true;
  body().replaceChildren();
}
