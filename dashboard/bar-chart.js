import { h, s } from './dom.js';
import { t } from './i18n.js';

/**
 * A horizontal grouped bar chart in plain SVG: one group per category, one bar per series. Its text
 * alternatives are a sentence (the image's accessible name) and the same numbers as a table.
 */

const WIDTH = 640;
const LABEL_WIDTH = 230;
/** Room kept right of the longest bar for its value, at least; more for a longer value ("moins d'une minute"). */
const VALUE_WIDTH = 96;
/** About the width of one character of the 13px labels, in the chart's units (an average glyph is ~0.55 em). */
const CHARACTER_WIDTH = 7.5;
const BAR = 14;
const BAR_GAP = 3;
const GROUP_GAP = 12;
const MAX_LABEL = 30;

const shorten = (text) => (text.length > MAX_LABEL ? `${text.slice(0, MAX_LABEL - 1)}…` : text);

const shown = (value, format) => (value === null ? t('page.chart.noData') : format(value));

function describe(title, categories, series, format) {
  const parts = categories.map((category) =>
    t('page.chart.category', { category: category.label, values: series.map((serie, i) => `${serie.name} ${shown(category.values[i], format)}`).join(', ') }),
  );
  return t('page.chart.description', { title, parts: parts.join(t('page.chart.separator')) });
}

function dataTable(title, categories, series, format, categoryHeading) {
  return h(
    'details',
    { class: 'chart-data' },
    h('summary', {}, t('page.chart.table')),
    h(
      'table',
      {},
      h('caption', {}, title),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, categoryHeading), series.map((serie) => h('th', { scope: 'col' }, serie.name)))),
      h(
        'tbody',
        {},
        categories.map((category) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, category.label),
            category.values.map((value) => h('td', {}, shown(value, format))),
          ),
        ),
      ),
    ),
  );
}

/**
 * `categories`: [{ label, values: [number | null, one per series] }]; `series`: [{ name, className }];
 * `format`: number → text.
 */
export function barChart({ title, categories, series, format, categoryHeading }) {
  const max = Math.max(0, ...categories.flatMap((category) => category.values.filter((value) => value !== null)));
  const groupHeight = series.length * (BAR + BAR_GAP) + GROUP_GAP;
  const height = categories.length * groupHeight + GROUP_GAP;
  // The longest value drawn decides the room kept for values: a value past the chart's edge would be cut off.
  const longestValue = Math.max(0, ...categories.flatMap((category) => category.values.map((value) => shown(value, format).length)));
  const valueWidth = Math.max(VALUE_WIDTH, Math.ceil(longestValue * CHARACTER_WIDTH) + 8);
  const scale = (value) => (max === 0 ? 0 : ((WIDTH - LABEL_WIDTH - valueWidth) * value) / max);

  const groups = categories.map((category, c) => {
    const top = GROUP_GAP + c * groupHeight;
    return s(
      'g',
      {},
      s('text', { x: LABEL_WIDTH - 8, y: top + (series.length * (BAR + BAR_GAP)) / 2, 'text-anchor': 'end', 'dominant-baseline': 'middle', class: 'chart-label' }, shorten(category.label)),
      category.values.map((value, i) => {
        const y = top + i * (BAR + BAR_GAP);
        const width = value === null ? 0 : Math.max(value > 0 ? 1 : 0, scale(value));
        return [
          s('rect', { x: LABEL_WIDTH, y, width: width.toFixed(1), height: BAR, class: `bar ${series[i].className}` }),
          s('text', { x: LABEL_WIDTH + width + 4, y: y + BAR / 2, 'dominant-baseline': 'middle', class: 'chart-value' }, shown(value, format)),
        ];
      }),
    );
  });

  return h(
    'figure',
    { class: 'chart' },
    h('figcaption', {}, title),
    h(
      'ul',
      { class: 'chart-legend', 'aria-hidden': 'true' },
      series.map((serie) => h('li', {}, h('span', { class: `swatch ${serie.className}` }), serie.name)),
    ),
    s(
      'svg',
      { viewBox: `0 0 ${WIDTH} ${height}`, role: 'img', 'aria-label': describe(title, categories, series, format), class: 'chart-svg', focusable: 'false' },
      groups,
    ),
    dataTable(title, categories, series, format, categoryHeading),
  );
}
