import { h } from './dom.js';
import { bodySchemaOf, canAsk, openApiDocument, schemaForm } from './schema-form.js';

/**
 * The steps the signed-in person may take on the open request now (its `allowedActions`), each a form built from
 * the step's body schema (schema-form.js).
 */

/** Steps whose body is all they need. */
const STEPS = {
  screen: ['/screening', 'Screen the request'],
  provide_information: ['/information', 'Answer the Secretariat’s questions'],
  // Every field optional: what is filled in changes, the rest stays as submitted.
  revise: ['/revision', 'Revise the request'],
  vote: ['/votes', 'Vote'],
  decide: ['/decision', 'Decide'],
  correct_decision: ['/decision/corrections', 'Correct the decision'],
  extend_information_deadline: ['/information/deadline', 'Extend the partner’s deadline'],
  extend_review: ['/review/extension', 'Extend the review'],
  close_review: ['/review/closure', 'Close the review'],
  complete_implementation: ['/implementation/complete', 'Complete implementation'],
  increase_budget: ['/budget/increase', 'Increase the approved budget'],
  submit_report: ['/reports', 'Submit a report'],
  close: ['/closure', 'Close the request'],
  withdraw: ['/withdrawal', 'Withdraw the request'],
  cancel: ['/cancellation', 'Cancel the request'],
};

/**
 * Steps on one item: a form for each item the step applies to now. `template` is the route in the OpenAPI document,
 * `path` the one to call.
 */
const awaitingReview = (request) => request.reports.flatMap((report, index) => (report.status === 'submitted' ? [{ report, index }] : []));
const ITEM_STEPS = {
  plan_activity: () => [{ template: '/activities', path: '/activities', label: 'Plan an activity' }],
  meet_condition: (request) =>
    request.conditions.flatMap((condition, index) =>
      condition.met ? [] : [{ template: '/conditions/{index}/met', path: `/conditions/${index}/met`, label: `Mark met: ${condition.text}` }],
    ),
  update_activity: (request) =>
    request.activities.flatMap((activity) =>
      ['held', 'cancelled'].includes(activity.status)
        ? []
        : [{ template: '/activities/{activityId}', path: `/activities/${activity.activityId}`, label: `Update the activity: ${activity.title}`, method: 'patch' }],
    ),
  accept_report: (request) =>
    awaitingReview(request).map(({ report, index }) => ({ template: '/reports/{index}/acceptance', path: `/reports/${index}/acceptance`, label: `Accept the ${report.kind} report` })),
  return_report: (request) =>
    awaitingReview(request).map(({ report, index }) => ({ template: '/reports/{index}/return', path: `/reports/${index}/return`, label: `Return the ${report.kind} report` })),
};

/** The forms the person's allowed actions call for, one per step (and per item), in the API's order. */
function stepsOf(request) {
  return request.allowedActions.flatMap((action) => {
    if (action in STEPS) {
      const [suffix, label] = STEPS[action];
      return [{ action, template: suffix, path: suffix, label }];
    }
    return (ITEM_STEPS[action]?.(request) ?? []).map((step) => ({ action, ...step }));
  });
}

/**
 * The forms of the steps the person may take now, or null when there are none. `onDone(text)` reloads the request
 * once a step is taken; `onError(error, context)` shows a refusal with the API's message.
 */
export async function stepForms(api, request, onDone, onError) {
  const steps = stepsOf(request);
  if (steps.length === 0) return null;
  const document = await openApiDocument(api);
  const forms = steps
    .map(({ action, template, path, label, method = 'post' }, position) => {
      const schema = bodySchemaOf(document, `/requests/{id}${template}`, method);
      if (!canAsk(schema)) return null;
      const form = schemaForm({
        schema,
        idPrefix: `step-${position}`,
        submitLabel: label,
        send: (body, key) => api[method](`/requests/${request.id}${path}`, body, { 'idempotency-key': key }),
        onSent: () => onDone(`${label}: done.`),
        onError,
      });
      return h('details', { class: 'step', 'data-action': action }, h('summary', {}, label), form);
    })
    .filter(Boolean);
  return forms.length > 0 ? forms : null;
}

/** What identifies the forms shown, so that a live refresh keeps a form being filled in unless the steps changed. */
export const stepsKey = (request) => stepsOf(request).map((step) => `${step.action}${step.path}`).join(',');
