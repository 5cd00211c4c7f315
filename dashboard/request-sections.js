/** @typedef {import('./api-types.ts').RequestView} RequestView */
import { h } from './dom.js';
import { t } from './i18n.js';
import { activityStatusLabel, day, decisionLabel, euros, integer, roleLabel, supportLabel, timeElement, voteLabel } from './format.js';

/**
 * The request as the caller may see it, part by part: what is asked, its budget, its screening, its versions, the
 * committee's votes, the decision and its conditions, the activities, the reports, the lessons learned. Each part
 * renders what the API gave this caller and nothing else; a part with nothing to show is left out.
 */

const text = (value) => h('p', { class: 'prose' }, value);
const by = (stamp) => [timeElement(stamp.at), ' ', t('page.request.by', { name: stamp.by.name, role: roleLabel(stamp.by.role) })];
const part = (id, title, ...content) => h('section', { class: 'request-part', 'aria-labelledby': id }, h('h3', { id }, title), ...content);
const facts = (rows) => h('dl', { class: 'facts' }, rows.filter(Boolean).map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]));
const amount = (value) => (value === null || value === undefined ? t('page.request.none') : euros(value));

/** @param {RequestView} request */
export function whatIsAsked(request) {
  return part(
    'asked-title',
    t('page.request.asked'),
    h('h4', {}, t('page.request.objectives')),
    text(request.objectives),
    h('h4', {}, t('page.request.expectedOutcomes')),
    text(request.expectedOutcomes),
    h('h4', {}, t('page.request.description')),
    text(request.description),
  );
}

/** @param {RequestView} request */
export function budgetPart(request) {
  const { budget } = request;
  return part(
    'budget-title',
    t('page.request.budget'),
    facts([
      [t('page.request.budgetRequested'), euros(request.estimatedBudgetEur)],
      [t('page.request.budgetApproved'), amount(budget.approvedEur)],
      [t('page.request.budgetPlanned'), amount(budget.plannedEur)],
      [t('page.request.budgetSpent'), amount(budget.spentEur)],
      [t('page.request.budgetAvailable'), amount(budget.availableEur)],
    ]),
    budget.increases.length > 0
      ? h(
          'ul',
          { class: 'items' },
          budget.increases.map((increase) =>
            h('li', {}, t('page.request.increase', { from: euros(increase.fromEur), to: euros(increase.toEur) }), ' — ', increase.rationale, h('p', { class: 'meta' }, by(increase))),
          ),
        )
      : null,
  );
}

/** @param {RequestView} request */
export function contactPart(request) {
  if (!request.contact) return null;
  const { name, email, phone } = request.contact;
  return part('contact-title', t('page.request.contact'), facts([[t('page.request.contactName'), name], [t('page.request.contactEmail'), email], phone ? [t('page.request.contactPhone'), phone] : null]));
}

/** The screening note, and every question asked and answered. @param {RequestView} request */
export function screeningPart(request) {
  if (!request.screeningNote && request.informationExchanges.length === 0) return null;
  return part(
    'screening-title',
    t('page.request.screening'),
    request.screeningNote ? [h('h4', {}, t('page.request.screeningNote')), text(request.screeningNote)] : null,
    request.informationExchanges.length > 0
      ? h(
          'ol',
          { class: 'items exchanges' },
          request.informationExchanges.map((exchange) =>
            h(
              'li',
              {},
              h('p', {}, h('strong', {}, t('page.request.question')), ' ', exchange.question),
              h('p', { class: 'meta' }, by(exchange.requested)),
              exchange.response
                ? [h('p', {}, h('strong', {}, t('page.request.answer')), ' ', exchange.response), h('p', { class: 'meta' }, by(exchange.responded))]
                : h('p', { class: 'meta' }, t('page.request.notAnswered')),
            ),
          ),
        )
      : null,
  );
}

const VERSIONED_FIELDS = ['title', 'description', 'objectives', 'expectedOutcomes', 'estimatedBudgetEur', 'activityType', 'domain', 'objective', 'preferredPeriod'];

function fieldValue(field, value) {
  if (value === null || value === undefined || value === '') return t('page.request.none');
  if (field === 'estimatedBudgetEur') return euros(value);
  if (field === 'activityType') return supportLabel(value);
  return String(value);
}

/** Each revision: what changed, field by field, and the answer to each of the Chair's points. @param {RequestView} request */
export function versionsPart(request) {
  const versions = request.contentVersions;
  if (versions.length < 2) return null;
  return part(
    'versions-title',
    t('page.request.versions', { count: versions.length }),
    h(
      'ol',
      { class: 'items versions' },
      versions.slice(1).map((version, index) => {
        const before = versions[index].submission;
        const changed = VERSIONED_FIELDS.filter((field) => JSON.stringify(before[field] ?? null) !== JSON.stringify(version.submission[field] ?? null));
        return h(
          'li',
          { 'data-version': index + 2 },
          h('p', {}, h('strong', {}, t('page.request.version', { n: index + 2 })), ' ', by(version)),
          changed.length === 0
            ? h('p', { class: 'meta' }, t('page.request.noFieldChanged'))
            : h(
                'table',
                { class: 'changes' },
                h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('page.request.field')), h('th', { scope: 'col' }, t('page.request.before')), h('th', { scope: 'col' }, t('page.request.after')))),
                h(
                  'tbody',
                  {},
                  changed.map((field) =>
                    h('tr', {}, h('th', { scope: 'row' }, t(`page.request.field.${field}`)), h('td', {}, fieldValue(field, before[field])), h('td', {}, fieldValue(field, version.submission[field]))),
                  ),
                ),
              ),
          version.answers?.length
            ? h(
                'dl',
                { class: 'answers' },
                version.answers.map((answer) => [h('dt', {}, t('page.request.point', { point: answer.point })), h('dd', {}, answer.answer || t('page.request.none'))]),
              )
            : null,
        );
      }),
    ),
  );
}

/** Who voted what (each member's last vote counts), who is conflicted, who has still to vote. @param {RequestView} request */
export function reviewPart(request) {
  const review = request.review;
  if (!review) return null;
  const lastVote = new Map(review.votes.map((vote) => [vote.by.userId, vote]));
  return part(
    'review-title',
    t('page.request.review'),
    facts([
      review.procedure ? [t('page.request.procedure'), t(`page.request.procedure.${review.procedure}`)] : null,
      [t('page.request.reviewDeadline'), timeElement(review.deadline)],
      review.closedAt ? [t('page.request.reviewClosed'), [timeElement(review.closedAt), review.closedBecause ? ` — ${t(`page.request.closedBecause.${review.closedBecause}`)}` : null]] : null,
    ]),
    h(
      'table',
      { class: 'votes' },
      h('caption', { class: 'visually-hidden' }, t('page.request.votes')),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('page.request.member')), h('th', { scope: 'col' }, t('page.request.vote')), h('th', { scope: 'col' }, t('page.request.comment')))),
      h(
        'tbody',
        {},
        review.reviewers.map((reviewer) => {
          const vote = lastVote.get(reviewer.userId);
          const state = reviewer.conflicted ? t('page.request.conflicted') : vote ? voteLabel(vote.vote) : t('page.request.notVoted');
          return h(
            'tr',
            { 'data-reviewer': reviewer.name, class: vote?.vote === 'objection' ? 'objection' : null },
            h('th', { scope: 'row' }, reviewer.country ? `${reviewer.name} (${reviewer.country})` : reviewer.name),
            h('td', {}, state, vote ? [' · ', timeElement(vote.at)] : null),
            h('td', {}, vote?.comment ?? ''),
          );
        }),
      ),
    ),
  );
}

/** Every decision with its rationale; the conditions of the approval, met or not, and by whom. @param {RequestView} request */
export function decisionsPart(request) {
  if (request.decisions.length === 0) return null;
  return part(
    'decisions-title',
    t('page.request.decisions'),
    h(
      'ol',
      { class: 'items decisions' },
      request.decisions.map((decision) =>
        h(
          'li',
          {},
          h('p', {}, h('strong', {}, decisionLabel(decision.decision)), decision.byProcedure ? ` — ${t('page.request.byProcedure')}` : null),
          h('p', { class: 'meta' }, by(decision)),
          text(decision.rationale),
          decision.approvedBudgetEur !== null ? h('p', {}, t('page.request.approvedBudget', { amount: euros(decision.approvedBudgetEur) })) : null,
          decision.points?.length ? [h('h4', {}, t('page.request.points')), h('ol', {}, decision.points.map((point) => h('li', {}, point)))] : null,
          (decision.corrections ?? []).map((correction) => h('p', { class: 'correction' }, t('page.request.correction'), ' ', correction.note, ' — ', by(correction))),
        ),
      ),
    ),
    request.conditions.length > 0
      ? [
          h('h4', {}, t('page.request.conditions')),
          h(
            'ul',
            { class: 'items conditions' },
            request.conditions.map((condition) =>
              h(
                'li',
                { 'data-met': condition.met ? 'yes' : 'no' },
                condition.text,
                ' — ',
                condition.met ? [t('page.request.conditionMet'), ' ', by(condition.met), condition.met.note ? ` (${condition.met.note})` : null] : t('page.request.conditionNotMet'),
              ),
            ),
          ),
        ]
      : null,
  );
}

function participants(p) {
  return t('page.request.participants', { total: integer(p.total), women: integer(p.women), men: integer(p.men), institutions: integer(p.institutions) });
}

/** The activities with their dates, place, language, experts, participants by sex, deliverables and spending. @param {RequestView} request */
export function activitiesPart(request) {
  if (request.activities.length === 0) return null;
  return part(
    'activities-title',
    t('page.request.activities'),
    h(
      'ul',
      { class: 'items activities' },
      request.activities.map((activity) =>
        h(
          'li',
          { 'data-activity-id': activity.activityId },
          h('p', {}, h('strong', {}, activity.title), ` — ${supportLabel(activity.type)} · ${activityStatusLabel(activity.status)}`),
          facts([
            [t('page.request.dates'), t('page.request.dateRange', { start: day(activity.startDate), end: day(activity.endDate) })],
            [t('page.request.place'), activity.venue?.online ? t('page.request.online') : activity.location],
            activity.language ? [t('page.request.language'), activity.language] : null,
            activity.experts?.length ? [t('page.request.experts'), activity.experts.join(', ')] : null,
            [t('page.request.activityBudget'), euros(activity.budgetEur)],
            activity.spentEur !== null && activity.spentEur !== undefined ? [t('page.request.spent'), euros(activity.spentEur)] : null,
            activity.participants ? [t('page.request.participantsLabel'), participants(activity.participants)] : null,
            activity.deliverables?.length ? [t('page.request.deliverables'), activity.deliverables.map((d) => `${d.title} (${d.kind})`).join(' · ')] : null,
            activity.reason ? [t('page.request.reason'), activity.reason] : null,
          ]),
        ),
      ),
    ),
  );
}

function indicatorTable(indicators) {
  if (!indicators) return null;
  if (!Array.isArray(indicators)) {
    return facts(Object.entries(indicators).map(([name, value]) => [name, String(value)]));
  }
  if (indicators.length === 0) return null;
  const cell = (value) => h('td', { class: 'number' }, value === null || value === undefined ? '—' : integer(value));
  return h(
    'table',
    { class: 'indicators' },
    h(
      'thead',
      {},
      h('tr', {}, [t('page.request.indicator'), t('page.request.target'), t('page.request.achieved'), t('page.request.women'), t('page.request.men')].map((label) => h('th', { scope: 'col' }, label))),
    ),
    h('tbody', {}, indicators.map((indicator) => h('tr', {}, h('th', { scope: 'row' }, `${indicator.name} (${indicator.unit})`), cell(indicator.target), cell(indicator.achieved), cell(indicator.women), cell(indicator.men)))),
  );
}

/** Reports with their indicators, and their acceptance or return. @param {RequestView} request */
export function reportsPart(request) {
  if (request.reports.length === 0) return null;
  return part(
    'reports-title',
    t('page.request.reports'),
    h(
      'ol',
      { class: 'items reports' },
      request.reports.map((report) =>
        h(
          'li',
          {},
          h('p', {}, h('strong', {}, t(`page.request.report.${report.kind}`)), ' — ', t(`page.request.reportStatus.${report.status ?? 'submitted'}`)),
          h('p', { class: 'meta' }, by(report)),
          text(report.summary),
          indicatorTable(report.indicators),
          report.reviewed ? h('p', { class: 'meta' }, by(report.reviewed), report.reviewed.comments ? ` — ${report.reviewed.comments}` : null) : null,
        ),
      ),
    ),
  );
}

/** The lessons learned and good practices of a closed request. @param {RequestView} request */
export function closurePart(request) {
  if (!request.closure) return null;
  return part(
    'closure-title',
    t('page.request.lessons'),
    text(request.closure.lessonsLearned),
    request.closure.goodPractices?.length ? [h('h4', {}, t('page.request.goodPractices')), h('ul', {}, request.closure.goodPractices.map((practice) => h('li', {}, practice)))] : null,
    h('p', { class: 'meta' }, by(request.closure)),
  );
}
