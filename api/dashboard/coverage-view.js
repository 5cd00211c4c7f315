import { h, showLoaded } from './dom.js';
import { actionAreaLabel, euros } from './format.js';

/**
 * The action-plan coverage as a heatmap: countries × action areas, each cell the number of requests and their
 * budget, darker for more. A gap (no request at all) is marked in words and with a pattern, not by colour alone.
 */

const LEVELS = 4;

function level(count, max) {
  return Math.max(1, Math.ceil((count / max) * LEVELS));
}

function cell(found, max) {
  if (!found) return h('td', { class: 'heat gap' }, h('span', { class: 'gap-label' }, 'Gap'));
  return h(
    'td',
    { class: `heat heat-${level(found.requests, max)}` },
    h('span', { class: 'heat-count' }, `${found.requests} ${found.requests === 1 ? 'request' : 'requests'}`),
    ' ',
    h('span', { class: 'heat-budget' }, euros(found.requestedEur)),
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
function heatmap(dimension, caption, countries, columns, cells, keyOf) {
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
          h('tr', { 'data-country': country }, h('th', { scope: 'row' }, country), columns.map((column) => cell(byKey.get(`${country}:${column.key}`), max))),
        ),
      ),
    ),
  );
}

/** `coverage`: the answer of GET /statistics/coverage. */
export function renderCoverage(parts, coverage) {
  const { actionAreas, countries, cells, gaps, byObjective } = coverage;
  if (countries.length === 0) {
    parts.body.replaceChildren();
    showLoaded(parts, 'No country to show yet.');
    return;
  }
  const areaColumns = actionAreas.map((area) => ({ key: area, number: `Area ${area}`, name: actionAreaLabel(area) }));
  const views = [
    legend(),
    heatmap('area', 'Requests and requested budget per country and action area', countries, areaColumns, cells, (c) => c.actionArea),
  ];
  let summary = `${countries.length} ${countries.length === 1 ? 'country' : 'countries'} × ${actionAreas.length} action areas; ${gaps.length} ${gaps.length === 1 ? 'gap' : 'gaps'}.`;
  if (byObjective && byObjective.objectives.length > 0) {
    const objectiveColumns = byObjective.objectives.map((o) => ({ key: o.code, number: `Objective ${o.code}`, name: o.title }));
    const title = byObjective.actionPlan.title;
    views.push(
      heatmap('objective', `Requests and requested budget per country and objective of the ${title}`, countries, objectiveColumns, byObjective.cells, (c) => c.objective),
    );
    const unplaced = byObjective.withoutObjective.reduce((sum, c) => sum + c.requests, 0);
    if (unplaced > 0) views.push(h('p', { class: 'note' }, `${unplaced} ${unplaced === 1 ? 'request names' : 'requests name'} no objective of this plan.`));
    summary += ` By objective: ${byObjective.gaps.length} ${byObjective.gaps.length === 1 ? 'gap' : 'gaps'}.`;
  }
  parts.body.replaceChildren(...views);
  showLoaded(parts, summary);
}
