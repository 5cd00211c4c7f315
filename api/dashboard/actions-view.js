import { h } from './dom.js';
import { bodySchemaOf, canAsk, openApiDocument, schemaForm } from './schema-form.js';

/**
 * The steps the signed-in person may take on the open request now (its `allowedActions`), each a form built from
 * the step's body schema (schema-form.js).
 */

/** Steps whose body is all they need; those on one activity, condition or report are taken through the API. */
const STEPS = {
  screen: ['/screening', 'Screen the request'],
  provide_information: ['/information', 'Answer the Secretariat’s questions'],
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
 * The forms of the steps the person may take now, or null when there are none. `onDone(text)` reloads the request
 * once a step is taken; `onError(error, context)` shows a refusal with the API's message.
 */
export async function stepForms(api, request, onDone, onError) {
  const actions = request.allowedActions.filter((action) => action in STEPS);
  if (actions.length === 0) return null;
  const document = await openApiDocument(api);
  const forms = actions
    .map((action) => {
      const [suffix, label] = STEPS[action];
      const schema = bodySchemaOf(document, `/requests/{id}${suffix}`);
      if (!canAsk(schema)) return null;
      const form = schemaForm({
        schema,
        idPrefix: `step-${action}`,
        submitLabel: label,
        send: (body, key) => api.post(`/requests/${request.id}${suffix}`, body, { 'idempotency-key': key }),
        onSent: () => onDone(`${label}: done.`),
        onError,
      });
      return h('details', { class: 'step', 'data-action': action }, h('summary', {}, label), form);
    })
    .filter(Boolean);
  return forms.length > 0 ? forms : null;
}

/** What identifies the forms shown, so that a live refresh keeps a form being filled in unless the steps changed. */
export const stepsKey = (request) => request.allowedActions.filter((action) => action in STEPS).join(',');
