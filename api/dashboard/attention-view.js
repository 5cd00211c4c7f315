import { h, showLoaded, showLoading } from './dom.js';
import { ENDED_PHASES, phaseLabel, roleLabel, span, timeElement } from './format.js';
import { requestLink } from './pipeline-view.js';

/**
 * Who must act next, and by when, over the open requests that are loaded. The list does not carry
 * `waitingFor`, so each open request's details are fetched — a few at a time, the table growing as they
 * arrive, so a slow connection shows the first rows early.
 */

const MAX_CHECKED = 40;
const PARALLEL = 4;

const details = new Map();
const progress = { checked: 0, total: 0 };
let generation = 0;

/** The moment by which the next step is due: the step's own deadline, else the next report's. */
function deadlineOf(request) {
  return request.waitingFor?.deadline ?? request.reportingClock?.deadline ?? null;
}

function isOverdue(request, now) {
  const deadline = deadlineOf(request);
  return (deadline !== null && Date.parse(deadline) < now) || request.reportingClock?.expired === true;
}

function urgency(request, now) {
  const deadline = deadlineOf(request);
  if (isOverdue(request, now)) return h('span', { class: 'badge overdue' }, `Overdue by ${span(now - Date.parse(deadline))}`);
  if (deadline === null) return h('span', { class: 'badge calm' }, 'No deadline');
  const left = Date.parse(deadline) - now;
  return h('span', { class: `badge ${left < 2 * 86_400_000 ? 'soon' : 'calm'}` }, `Due in ${span(left)}`);
}

function row(request, now) {
  const deadline = deadlineOf(request);
  return h(
    'tr',
    { 'data-request-id': request.id, class: isOverdue(request, now) ? 'is-overdue' : null },
    h('th', { scope: 'row' }, requestLink(request), h('span', { class: 'meta' }, ` ${request.country}`)),
    h('td', {}, phaseLabel(request.phase)),
    h('td', {}, request.waitingFor.roles.map(roleLabel).join(' and ')),
    h('td', {}, request.waitingFor.what),
    h('td', {}, deadline ? timeElement(deadline) : '—'),
    h('td', {}, urgency(request, now)),
  );
}

/** Most urgent first: overdue (longest overdue first), then by deadline, then those without one. */
function byUrgency(a, b) {
  const da = deadlineOf(a);
  const db = deadlineOf(b);
  if (da === null || db === null) return da === null ? (db === null ? 0 : 1) : -1;
  return Date.parse(da) - Date.parse(db);
}

function render(parts) {
  const { checked, total } = progress;
  const now = Date.now();
  const open = [...details.values()].filter((request) => request.waitingFor).sort(byUrgency);
  const overdue = open.filter((request) => isOverdue(request, now)).length;
  if (open.length === 0) {
    parts.body.replaceChildren(...(checked < total ? [] : [h('p', { class: 'empty' }, 'Nobody needs to act: no open request.')]));
  } else {
    parts.body.replaceChildren(
      h(
        'div',
        { class: 'table-scroll' },
        h(
          'table',
          { class: 'attention-table' },
          h('caption', {}, 'Open requests, most urgent first'),
          h(
            'thead',
            {},
            h('tr', {}, ['Request', 'Phase', 'Who must act', 'What', 'By when', 'Status'].map((name) => h('th', { scope: 'col' }, name))),
          ),
          h('tbody', {}, open.map((request) => row(request, now))),
        ),
      ),
    );
  }
  const summary = open.length === 0 ? '' : `${overdue} of ${open.length} open ${open.length === 1 ? 'request is' : 'requests are'} overdue.`;
  if (checked < total) showLoading(parts, `Checking ${checked} of ${total} open requests… ${summary}`);
  else showLoaded(parts, total >= MAX_CHECKED ? `${summary} The ${MAX_CHECKED} newest open requests were checked.` : summary);
}

/** Fetches the details of the open requests among `items` and shows who must act on each. */
export async function loadAttention(parts, api, items, onError) {
  generation += 1;
  const mine = generation;
  details.clear();
  const open = items.filter((item) => !ENDED_PHASES.has(item.phase)).slice(0, MAX_CHECKED);
  Object.assign(progress, { checked: 0, total: open.length });
  render(parts);
  const queue = [...open];
  const worker = async () => {
    while (queue.length > 0) {
      const item = queue.shift();
      try {
        const request = await api.get(`/requests/${item.id}`);
        if (mine !== generation) return;
        details.set(request.id, request);
      } catch (error) {
        if (mine !== generation) return;
        onError(error, `Could not load “${item.title}”`);
      }
      progress.checked += 1;
      render(parts);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
}

/** After a live event: the one request that changed is fetched again. */
export async function refreshAttention(parts, api, requestId) {
  const mine = generation;
  const request = await api.get(`/requests/${requestId}`);
  if (mine !== generation) return;
  if (ENDED_PHASES.has(request.phase)) details.delete(requestId);
  else details.set(requestId, request);
  render(parts);
}

export function resetAttention() {
  generation += 1;
  details.clear();
}
