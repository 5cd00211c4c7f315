import { barChart } from './bar-chart.js';
import { h, showLoaded } from './dom.js';
import { actionAreaLabel, euros, hours, PHASES, phaseLabel } from './format.js';
import { t } from './i18n.js';

/** Time spent in each phase (median and 90th percentile) and budgets (requested, approved, spent), from GET /statistics. */

const MONEY_SERIES = [
  { name: t('page.charts.requested'), key: 'requestedEur', className: 'series-requested' },
  { name: t('page.charts.approved'), key: 'approvedEur', className: 'series-approved' },
  { name: t('page.charts.spent'), key: 'spentEur', className: 'series-spent' },
];

const phaseOrder = (phase) => (PHASES.includes(phase) ? PHASES.indexOf(phase) : PHASES.length);

function durationsChart(statistics) {
  const measured = statistics.phaseDurations.filter((d) => d.count > 0).sort((a, b) => phaseOrder(a.phase) - phaseOrder(b.phase));
  if (measured.length === 0) return h('p', { class: 'empty' }, t('page.charts.noDurations'));
  return barChart({
    title: t('page.charts.durations'),
    categoryHeading: t('page.charts.phase'),
    series: [
      { name: t('page.charts.median'), className: 'series-median' },
      { name: t('page.charts.p90'), className: 'series-p90' },
    ],
    categories: measured.map((d) => ({ label: phaseLabel(d.phase), values: [d.medianHours, d.p90Hours] })),
    format: hours,
  });
}

function moneyChart(title, categoryHeading, rows, label) {
  if (rows.length === 0) return h('p', { class: 'empty' }, t('page.charts.nothing', { title }));
  return barChart({
    title,
    categoryHeading,
    series: MONEY_SERIES,
    categories: rows.map((row) => ({ label: label(row.key), values: MONEY_SERIES.map((serie) => row[serie.key]) })),
    format: euros,
  });
}

/** `countryName(code)`: a member's name and code ("Sénégal (SN)"), country-names.js. */
export function renderCharts(parts, statistics, countryName = (code) => code) {
  const toDecision = statistics.submissionToDecision;
  parts.body.replaceChildren(
    h('div', { class: 'charts' }, [
      durationsChart(statistics),
      moneyChart(t('page.charts.byArea'), t('page.charts.area'), statistics.budget.byActionArea, (key) => `${key} — ${actionAreaLabel(key)}`),
      moneyChart(t('page.charts.byCountry'), t('page.charts.country'), statistics.budget.byCountry, countryName),
    ]),
  );
  showLoaded(
    parts,
    toDecision.count > 0
      ? t('page.charts.toDecision', { median: hours(toDecision.medianHours), p90: hours(toDecision.p90Hours), n: toDecision.count })
      : t('page.charts.noDecision'),
  );
}
