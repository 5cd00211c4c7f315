import { h, showLoaded } from './dom.js';
import { actionAreaLabel, euros, phaseLabel } from './format.js';
import { requestLink } from './pipeline-view.js';

/**
 * The action-plan coverage as heatmaps: countries × action areas, and countries × objectives of the plan in force;
 * each cell the number of requests and their budget, darker for more, and a button that lists those requests. A gap
 * (no request at all) is marked in words and with a pattern, not by colour alone.
 */

const LEVELS = 4;

function level(count, max) {
  return Math.max(1, Math.ceil((count / max) * LEVELS));
}

/** A cell: its count and budget, as a button that lists the requests behind it (`open`); a gap, in words. */
function cell(found, max, open) {
  if (!found) return h('td', { class: 'heat gap' }, h('span', { class: 'gap-label' }, 'Gap'));
  const count = `${found.requests} ${found.requests === 1 ? 'request' : 'requests'}`;
  return h(
    'td',
    { class: `heat heat-${level(found.requests, max)}` },
    h(
      'button',
      { type: 'button', class: 'heat-open', onclick: () => open(found) },
      h('span', { class: 'heat-count' }, count),
      ' ',
      h('span', { class: 'heat-budget' }, euros(found.requestedEur)),
    ),
  );
}

function legend() {
  return h(
    'ul',
    { class: 'legend', 'aria-label': 'Legend' },
    h('li', {}, h('span', { class: 'swatch heat-1', 'aria-hidden': 'true' }), 'Fewest requests'),
    h('li', {}, h('span', { class: 'swatch heat-4', 'aria-hidden': 'true' }), 'Most requests'),
    h('li', {}, h('span', { class: 'swatch gap', 'aria-hidden': 'true' }), 'Gap: no request in this area (or objective) from this country'),
  );
}

/**
 * One heatmap (`dimension`: area or objective): a row per country, a column per area or objective (`columns`: key,
 * number, name), cells looked up by `country:key`.
 */
function heatmap(dimension, caption, countries, columns, cells, keyOf, open) {
  const byKey = new Map(cells.map((c) => [`${c.country}:${keyOf(c)}`, c]));
  const max = Math.max(1, ...cells.map((c) => c.requests));
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { class: 'heatmap', 'data-dimension': dimension },
      h('caption', {}, caption),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Country'),
          columns.map((column) => h('th', { scope: 'col' }, h('span', { class: 'area-number' }, column.number), ' ', h('span', { class: 'area-name' }, column.name))),
        ),
      ),
      h(
        'tbody',
        {},
        countries.map((country) =>
          h('tr', { 'data-country': country }, h('th', { scope: 'row' }, country), columns.map((column) => cell(byKey.get(`${country}:${column.key}`), max, open))),
        ),
      ),
    ),
  );
}

/**
 * `coverage`: the answer of GET /statistics/coverage. `showRequests(filter, label)` lists the requests behind a cell
 * (the same scope as the counts: the API applies the caller's).
 */
let opened = null;

/** Signed out: the next session starts with no cell open. */
export function resetCoverage() {
  opened = null;
}

export function renderCoverage(parts, coverage, showRequests) {
  const { actionAreas, countries, cells, gaps, byObjective } = coverage;
  if (countries.length === 0) {
    parts.body.replaceChildren();
    showLoaded(parts, 'No country to show yet.');
    return;
  }
  // A refresh (after live events) redraws the heatmaps: the cell that was open stays open, with its list reloaded.
  const open = (filter, label) => {
    opened = { filter, label };
    showRequests(filter, label);
  };
  const areaColumns = actionAreas.map((area) => ({ key: area, number: `Area ${area}`, name: actionAreaLabel(area) }));
  const views = [
    legend(),
    heatmap('area', 'Requests and requested budget per country and action area', countries, areaColumns, cells, (c) => c.actionArea, (c) =>
      open({ country: c.country, domain: String(c.actionArea) }, `from ${c.country} in action area ${c.actionArea}`),
    ),
  ];
  let summary = `${countries.length} ${countries.length === 1 ? 'country' : 'countries'} × ${actionAreas.length} action areas; ${gaps.length} ${gaps.length === 1 ? 'gap' : 'gaps'}.`;
  if (byObjective && byObjective.objectives.length > 0) {
    const objectiveColumns = byObjective.objectives.map((o) => ({ key: o.code, number: `Objective ${o.code}`, name: o.title }));
    const title = byObjective.actionPlan.title;
    views.push(
      heatmap('objective', `Requests and requested budget per country and objective of the ${title}`, countries, objectiveColumns, byObjective.cells, (c) => c.objective, (c) =>
        open(
          { country: c.country, actionPlan: byObjective.actionPlan.planId, objective: c.objective },
          `from ${c.country} under objective ${c.objective} of the ${title}`,
        ),
      ),
    );
    const unplaced = byObjective.withoutObjective.reduce((sum, c) => sum + c.requests, 0);
    if (unplaced > 0) views.push(h('p', { class: 'note' }, `${unplaced} ${unplaced === 1 ? 'request names' : 'requests name'} no objective of this plan.`));
    summary += ` By objective: ${byObjective.gaps.length} ${byObjective.gaps.length === 1 ? 'gap' : 'gaps'}.`;
  }
  views.push(h('div', { id: 'coverage-requests', 'aria-live': 'polite' }));
  parts.body.replaceChildren(...views);
  showLoaded(parts, summary);
  if (opened) showRequests(opened.filter, opened.label);
}

const LIST_LIMIT = 100;

/** The requests behind a coverage cell, under the heatmaps: `filter` as GET /requests takes it, `label` in words. */
export async function showCellRequests(api, filter, label, onError) {
  const region = document.getElementById('coverage-requests');
  if (!region) return;
  region.replaceChildren(h('p', { class: 'status' }, `Loading the requests ${label}…`));
  try {
    const page = await api.get(`/requests?${new URLSearchParams({ ...filter, limit: String(LIST_LIMIT) })}`);
    const found = page.items.length;
    region.replaceChildren(
      h('h3', {}, `${found}${page.nextCursor ? '+' : ''} ${found === 1 ? 'request' : 'requests'} ${label}`),
      h(
        'ul',
        { class: 'result-list' },
        page.items.map((item) => h('li', { 'data-request-id': item.id }, requestLink(item), h('span', { class: 'meta' }, ` ${phaseLabel(item.phase)} · ${euros(item.requestedBudgetEur)}`))),
      ),
    );
  } catch (error) {
    region.replaceChildren();
    onError(error, 'Could not list the requests of that cell');
  }
}
