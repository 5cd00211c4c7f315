import { h, showLoaded, showLoading } from './dom.js';
import { phaseLabel, roleLabel, span, timeElement } from './format.js';
import { requestLink } from './pipeline-view.js';

/**
 * Who must act next, and by when, over every open request the caller may see: one list call sorted by deadline
 * (`open=true&sort=due`), overdue first, those without a deadline last; each item says who must act. More pages
 * on asking.
 */

const PAGE_SIZE = 100;
const WORKLIST = `/requests?open=true&sort=due&limit=${PAGE_SIZE}`;

const state = { items: [], cursor: null };
let generation = 0;

function urgency(item, now) {
  if (item.overdue) return h('span', { class: 'badge overdue' }, `Overdue by ${span(now - Date.parse(item.dueAt))}`);
  if (item.dueAt === null) return h('span', { class: 'badge calm' }, 'No deadline');
  const left = Date.parse(item.dueAt) - now;
  return h('span', { class: `badge ${left < 2 * 86_400_000 ? 'soon' : 'calm'}` }, `Due in ${span(left)}`);
}

function row(item, now) {
  return h(
    'tr',
    { 'data-request-id': item.id, class: item.overdue ? 'is-overdue' : null },
    h('th', { scope: 'row' }, requestLink(item), h('span', { class: 'meta' }, ` ${item.country}`)),
    h('td', {}, phaseLabel(item.phase)),
    h('td', {}, item.waitingFor.roles.map(roleLabel).join(' and ')),
    h('td', {}, item.waitingFor.what),
    h('td', {}, item.dueAt ? timeElement(item.dueAt) : '—'),
    h('td', {}, urgency(item, now)),
  );
}

function render(parts, api, onError) {
  const now = Date.now();
  const open = state.items.filter((item) => item.waitingFor);
  if (open.length === 0) {
    parts.body.replaceChildren(h('p', { class: 'empty' }, 'Nobody needs to act: no open request.'));
    showLoaded(parts, '');
    return;
  }
  const table = h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { class: 'attention-table' },
      h('caption', {}, 'Open requests, most urgent first'),
      h('thead', {}, h('tr', {}, ['Request', 'Phase', 'Who must act', 'What', 'By when', 'Status'].map((name) => h('th', { scope: 'col' }, name)))),
      h('tbody', {}, open.map((item) => row(item, now))),
    ),
  );
  const more =
    state.cursor === null ? [] : [h('button', { type: 'button', class: 'secondary', onclick: () => void loadMore(parts, api, onError) }, 'Show more open requests')];
  parts.body.replaceChildren(table, ...more);
  const overdue = open.filter((item) => item.overdue).length;
  const counted = `${overdue} of ${open.length} open ${open.length === 1 ? 'request is' : 'requests are'} overdue`;
  showLoaded(parts, state.cursor === null ? `${counted}.` : `${counted} — the ${open.length} most urgent are shown.`);
}

/** The most urgent open requests, first page; `quiet` keeps what is shown until the new page arrives. */
export async function loadAttention(parts, api, onError, { quiet = false } = {}) {
  generation += 1;
  const mine = generation;
  if (!quiet) showLoading(parts, 'Loading the open requests…');
  try {
    const page = await api.get(WORKLIST);
    if (mine !== generation) return;
    Object.assign(state, { items: page.items, cursor: page.nextCursor });
    render(parts, api, onError);
  } catch (error) {
    if (mine !== generation) return;
    if (!quiet) showLoaded(parts, 'Not loaded.');
    onError(error, 'Could not load who must act');
  }
}

async function loadMore(parts, api, onError) {
  const mine = generation;
  try {
    const page = await api.get(`${WORKLIST}&cursor=${encodeURIComponent(state.cursor)}`);
    if (mine !== generation) return;
    Object.assign(state, { items: [...state.items, ...page.items], cursor: page.nextCursor });
    render(parts, api, onError);
  } catch (error) {
    if (mine === generation) onError(error, 'Could not load more open requests');
  }
}

/** After live events: the order may have changed anywhere, so the first page again (one call). */
export async function refreshAttention(parts, api, onError) {
  await loadAttention(parts, api, onError, { quiet: true });
}

export function resetAttention() {
  generation += 1;
  Object.assign(state, { items: [], cursor: null });
}
