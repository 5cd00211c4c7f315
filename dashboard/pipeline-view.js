import { h, showLoaded } from './dom.js';
import { actionAreaLabel, ENDED_PHASES, integer, PHASES, phaseLabel, span, supportLabel, timeElement } from './format.js';
import { t } from './i18n.js';

/**
 * The pipeline: one column per phase, in the order of a request's life. Counts come from the statistics (the
 * whole portfolio the caller may see); the cards from the list, newest first, so a column may hold fewer cards
 * than its count when the portfolio is larger than what has been loaded.
 */

export function requestLink(item) {
  return h('a', { href: `#request/${item.id}` }, item.title);
}

function ageOf(item, now) {
  return h('span', { class: 'age' }, timeElement(item.submittedAt, t('page.pipeline.age', { age: span(now - Date.parse(item.submittedAt)) })));
}

function card(item, now) {
  return h(
    'li',
    { class: 'card', 'data-request-id': item.id },
    requestLink(item),
    h('p', { class: 'meta' }, `${item.country} · ${supportLabel(item.activityType)} · `, h('abbr', { title: actionAreaLabel(item.domain) }, t('page.pipeline.area', { area: item.domain }))),
    h('p', { class: 'meta' }, ageOf(item, now)),
  );
}

function column(phase, count, items, now, heading = 'h3') {
  const headingId = `phase-${phase}`;
  const notListed = count - items.length;
  return h(
    'section',
    { class: `phase-column${ENDED_PHASES.has(phase) ? ' ended' : ''}`, 'aria-labelledby': headingId, 'data-phase': phase },
    h(
      heading,
      { id: headingId },
      h('span', { class: 'phase-name' }, phaseLabel(phase)),
      ' ',
      h('span', { class: 'count' }, integer(count)),
      // The number alone would be read as such: "Screening 2 requests".
      h('span', { class: 'visually-hidden' }, ' ', t('page.pipeline.requestsWord', { n: count })),
    ),
    items.length > 0 ? h('ul', { class: 'cards' }, items.map((item) => card(item, now))) : null,
    count === 0 ? h('p', { class: 'empty' }, t('page.pipeline.none')) : null,
    notListed > 0 ? h('p', { class: 'more' }, t('page.pipeline.notListed', { n: notListed })) : null,
  );
}

/** `counts`: [{key, count}] from GET /statistics; `items`: the loaded pages of GET /requests. */
export function renderPipeline(parts, { counts, items, hasMore }, onLoadMore) {
  const now = Date.now();
  const countOf = new Map(counts.map((c) => [c.key, c.count]));
  const phases = [...PHASES, ...[...countOf.keys()].filter((phase) => !PHASES.includes(phase))];
  const byPhase = (phase) => items.filter((item) => item.phase === phase);
  const open = phases.filter((phase) => !ENDED_PHASES.has(phase));
  const ended = phases.filter((phase) => ENDED_PHASES.has(phase) && (countOf.get(phase) ?? 0) > 0);
  const total = [...countOf.values()].reduce((sum, n) => sum + n, 0);

  const endedGroup = h('div', { class: 'pipeline-ended' }, h('h3', {}, t('page.pipeline.ended')), h('div', { class: 'pipeline' }, ended.map((phase) => column(phase, countOf.get(phase) ?? 0, byPhase(phase), now, 'h4'))));
  const loadMore = h('button', { type: 'button', class: 'secondary', onclick: onLoadMore }, t('page.pipeline.loadOlder'));
  parts.body.replaceChildren(
    h('div', { class: 'pipeline' }, open.map((phase) => column(phase, countOf.get(phase) ?? 0, byPhase(phase), now))),
    ...(ended.length > 0 ? [endedGroup] : []),
    ...(hasMore ? [loadMore] : []),
  );
  showLoaded(parts, total === 0 ? t('page.pipeline.empty') : t('page.pipeline.summary', { total, listed: items.length }));
}
