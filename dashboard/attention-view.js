import { h, showLoaded, showLoading } from './dom.js';
import { phaseLabel, roleLabel, span, timeElement } from './format.js';
import { locale, t } from './i18n.js';
import { requestLink } from './pipeline-view.js';

/**
 * Who must act next, and by when, over every open request the caller may see: one list call sorted by deadline
 * (`open=true&sort=due`), overdue first, those without a deadline last; each item says who must act. More pages
 * on asking.
 */

const PAGE_SIZE = 100;
const WORKLIST = `/requests?open=true&sort=due&limit=${PAGE_SIZE}`;

const state = { items: [], cursor: null };
/** "the Secretariat and the Chair", "le Secrétariat et la présidence": as the language joins a list. */
const both = new Intl.ListFormat(locale, { type: 'conjunction' });
const COLUMNS = ['request', 'phase', 'who', 'what', 'when', 'status'];
let generation = 0;

function urgency(item, now) {
  if (item.overdue) return h('span', { class: 'badge overdue' }, t('page.attention.overdue', { span: span(now - Date.parse(item.dueAt)) }));
  if (item.dueAt === null) return h('span', { class: 'badge calm' }, t('page.attention.noDeadline'));
  const left = Date.parse(item.dueAt) - now;
  return h('span', { class: `badge ${left < 2 * 86_400_000 ? 'soon' : 'calm'}` }, t('page.attention.dueIn', { span: span(left) }));
}

function row(item, now) {
  return h(
    'tr',
    { 'data-request-id': item.id, class: item.overdue ? 'is-overdue' : null },
    h('th', { scope: 'row' }, requestLink(item), h('span', { class: 'meta' }, ` ${item.country}`)),
    h('td', {}, phaseLabel(item.phase)),
    h('td', {}, both.format(item.waitingFor.roles.map(roleLabel))),
    h('td', {}, item.waitingFor.what),
    h('td', {}, item.dueAt ? timeElement(item.dueAt) : '—'),
    h('td', {}, urgency(item, now)),
  );
}

function render(parts, api, onError) {
  const now = Date.now();
  const open = state.items.filter((item) => item.waitingFor);
  if (open.length === 0) {
    parts.body.replaceChildren(h('p', { class: 'empty' }, t('page.attention.empty')));
    showLoaded(parts, '');
    return;
  }
  const table = h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { class: 'attention-table' },
      h('caption', {}, t('page.attention.caption')),
      h('thead', {}, h('tr', {}, COLUMNS.map((column) => h('th', { scope: 'col' }, t(`page.attention.column.${column}`))))),
      h('tbody', {}, open.map((item) => row(item, now))),
    ),
  );
  const more =
    state.cursor === null ? [] : [h('button', { type: 'button', class: 'secondary', onclick: () => void loadMore(parts, api, onError) }, t('page.attention.more'))];
  parts.body.replaceChildren(table, ...more);
  const overdue = open.filter((item) => item.overdue).length;
  const counted = t('page.attention.counted', { overdue, open: open.length });
  showLoaded(parts, state.cursor === null ? t('page.attention.all', { counted }) : t('page.attention.partial', { counted, n: open.length }));
}

/** The most urgent open requests, first page; `quiet` keeps what is shown until the new page arrives. */
export async function loadAttention(parts, api, onError, { quiet = false } = {}) {
  generation += 1;
  const mine = generation;
  if (!quiet) showLoading(parts, t('page.attention.loading'));
  try {
    const page = await api.get(WORKLIST);
    if (mine !== generation) return;
    Object.assign(state, { items: page.items, cursor: page.nextCursor });
    render(parts, api, onError);
  } catch (error) {
    if (mine !== generation) return;
    if (!quiet) showLoaded(parts, t('page.notLoaded'));
    onError(error, t('page.error.attention'));
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
    if (mine === generation) onError(error, t('page.error.attentionMore'));
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
