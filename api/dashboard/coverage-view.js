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
    h('li', {}, h('span', { class: 'swatch gap', 'aria-hidden': 'true' }), 'Gap: no request in this area from this country'),
  );
}

/** `coverage`: the answer of GET /statistics/coverage. */
export function renderCoverage(parts, coverage) {
  const { actionAreas, countries, cells, gaps } = coverage;
  if (countries.length === 0) {
    parts.body.replaceChildren();
    showLoaded(parts, 'No country to show yet.');
    return;
  }
  const byKey = new Map(cells.map((c) => [`${c.country}:${c.actionArea}`, c]));
  const max = Math.max(1, ...cells.map((c) => c.requests));
  parts.body.replaceChildren(
    legend(),
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        { class: 'heatmap' },
        h('caption', {}, 'Requests and requested budget per country and action area of the Cadiz Action Plan'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'Country'),
            actionAreas.map((area) => h('th', { scope: 'col' }, h('span', { class: 'area-number' }, `Area ${area}`), ' ', h('span', { class: 'area-name' }, actionAreaLabel(area)))),
          ),
        ),
        h(
          'tbody',
          {},
          countries.map((country) =>
            h('tr', { 'data-country': country }, h('th', { scope: 'row' }, country), actionAreas.map((area) => cell(byKey.get(`${country}:${area}`), max))),
          ),
        ),
      ),
    ),
  );
  showLoaded(parts, `${countries.length} ${countries.length === 1 ? 'country' : 'countries'} × ${actionAreas.length} action areas; ${gaps.length} ${gaps.length === 1 ? 'gap' : 'gaps'}.`);
}
