import { barChart } from './bar-chart.js';
import { h, showLoaded } from './dom.js';
import { actionAreaLabel, euros, hours, PHASES, phaseLabel } from './format.js';

/** Time spent in each phase (median and 90th percentile) and budgets (requested, approved, spent), from GET /statistics. */

const MONEY_SERIES = [
  { name: 'Requested', key: 'requestedEur', className: 'series-requested' },
  { name: 'Approved', key: 'approvedEur', className: 'series-approved' },
  { name: 'Spent', key: 'spentEur', className: 'series-spent' },
];

const phaseOrder = (phase) => (PHASES.includes(phase) ? PHASES.indexOf(phase) : PHASES.length);

function durationsChart(statistics) {
  const measured = statistics.phaseDurations.filter((d) => d.count > 0).sort((a, b) => phaseOrder(a.phase) - phaseOrder(b.phase));
  if (measured.length === 0) return h('p', { class: 'empty' }, 'No request has left a phase yet: no durations to show.');
  return barChart({
    title: 'Time spent in each phase (median and 90th percentile)',
    categoryHeading: 'Phase',
    series: [
      { name: 'Median', className: 'series-median' },
      { name: '90th percentile', className: 'series-p90' },
    ],
    categories: measured.map((d) => ({ label: phaseLabel(d.phase), values: [d.medianHours, d.p90Hours] })),
    format: hours,
  });
}

function moneyChart(title, categoryHeading, rows, label) {
  if (rows.length === 0) return h('p', { class: 'empty' }, `${title}: nothing to show yet.`);
  return barChart({
    title,
    categoryHeading,
    series: MONEY_SERIES,
    categories: rows.map((row) => ({ label: label(row.key), values: MONEY_SERIES.map((serie) => row[serie.key]) })),
    format: euros,
  });
}

export function renderCharts(parts, statistics) {
  const toDecision = statistics.submissionToDecision;
  parts.body.replaceChildren(
    h('div', { class: 'charts' }, [
      durationsChart(statistics),
      moneyChart('Budget by action area (euros)', 'Action area', statistics.budget.byActionArea, (key) => `${key} — ${actionAreaLabel(key)}`),
      moneyChart('Budget by country (euros)', 'Country', statistics.budget.byCountry, (key) => key),
    ]),
  );
  showLoaded(
    parts,
    toDecision.count > 0
      ? `From submission to the first decision: median ${hours(toDecision.medianHours)}, 90th percentile ${hours(toDecision.p90Hours)} (${toDecision.count} decided).`
      : 'No request has been decided yet.',
  );
}
