import { h, showLoaded } from './dom.js';
import { actionAreaLabel, euros, phaseLabel, titleOf } from './format.js';
import { locale, t } from './i18n.js';
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
  if (!found) return h('td', { class: 'heat gap' }, h('span', { class: 'gap-label' }, t('page.coverage.gap')));
  const count = t('page.count.requests', { n: found.requests });
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
    { class: 'legend', 'aria-label': t('page.coverage.legend') },
    h('li', {}, h('span', { class: 'swatch heat-1', 'aria-hidden': 'true' }), t('page.coverage.fewest')),
    h('li', {}, h('span', { class: 'swatch heat-4', 'aria-hidden': 'true' }), t('page.coverage.most')),
    h('li', {}, h('span', { class: 'swatch gap', 'aria-hidden': 'true' }), t('page.coverage.gapLegend')),
  );
}

/**
 * One heatmap (`dimension`: area or objective): a row per country, a column per area or objective (`columns`: key,
 * number, name), cells looked up by `country:key`.
 */
function heatmap(dimension, caption, countries, columns, cells, keyOf, open, countryName) {
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
          h('th', { scope: 'col' }, t('page.coverage.country')),
          columns.map((column) => h('th', { scope: 'col' }, h('span', { class: 'area-number' }, column.number), ' ', h('span', { class: 'area-name' }, column.name))),
        ),
      ),
      h(
        'tbody',
        {},
        countries.map((country) =>
          h('tr', { 'data-country': country }, h('th', { scope: 'row' }, countryName(country)), columns.map((column) => cell(byKey.get(`${country}:${column.key}`), max, open))),
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

/** `countryName(code)`: a member's name and code ("Sénégal (SN)"), country-names.js. */
export function renderCoverage(parts, coverage, showRequests, countryName = (code) => code) {
  const { actionAreas, cells, gaps, byObjective } = coverage;
  // By name in the page's language, as people look for their country: the API lists them by code.
  const countries = [...coverage.countries].sort((a, b) => countryName(a).localeCompare(countryName(b), locale));
  if (countries.length === 0) {
    parts.body.replaceChildren();
    showLoaded(parts, t('page.coverage.empty'));
    return;
  }
  // A refresh (after live events) redraws the heatmaps: the cell that was open stays open, with its list reloaded.
  const open = (filter, label) => {
    opened = { filter, label };
    showRequests(filter, label);
  };
  const areaColumns = actionAreas.map((area) => ({ key: area, number: t('page.coverage.area', { area }), name: actionAreaLabel(area) }));
  const views = [
    legend(),
    heatmap('area', t('page.coverage.byArea'), countries, areaColumns, cells, (c) => c.actionArea, (c) =>
      open({ country: c.country, domain: String(c.actionArea) }, t('page.coverage.areaCell', { country: countryName(c.country), area: c.actionArea })),
      countryName,
    ),
  ];
  let summary = t('page.coverage.summary', { countries: countries.length, areas: actionAreas.length, gaps: gaps.length });
  if (byObjective && byObjective.objectives.length > 0) {
    const objectiveColumns = byObjective.objectives.map((o) => ({ key: o.code, number: t('page.coverage.objective', { code: o.code }), name: titleOf(o) }));
    const plan = titleOf(byObjective.actionPlan);
    views.push(
      heatmap('objective', t('page.coverage.byObjective', { plan }), countries, objectiveColumns, byObjective.cells, (c) => c.objective, (c) =>
        open(
          { country: c.country, actionPlan: byObjective.actionPlan.planId, objective: c.objective },
          t('page.coverage.objectiveCell', { country: countryName(c.country), objective: c.objective, plan }),
        ),
      countryName,
      ),
    );
    const unplaced = byObjective.withoutObjective.reduce((sum, c) => sum + c.requests, 0);
    if (unplaced > 0) views.push(h('p', { class: 'note' }, t('page.coverage.unplaced', { n: unplaced })));
    summary = t('page.coverage.summaryObjectives', { summary, gaps: byObjective.gaps.length });
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
  region.replaceChildren(h('p', { class: 'status' }, t('page.coverage.loading', { label })));
  try {
    const page = await api.get(`/requests?${new URLSearchParams({ ...filter, limit: String(LIST_LIMIT) })}`);
    const found = page.items.length;
    region.replaceChildren(
      h('h3', {}, t('page.coverage.cellRequests', { n: found, more: page.nextCursor ? '+' : '', label })),
      h(
        'ul',
        { class: 'result-list' },
        page.items.map((item) => h('li', { 'data-request-id': item.id }, requestLink(item), h('span', { class: 'meta' }, ` ${phaseLabel(item.phase)} · ${euros(item.requestedBudgetEur)}`))),
      ),
    );
  } catch (error) {
    region.replaceChildren();
    onError(error, t('page.error.cell'));
  }
}
