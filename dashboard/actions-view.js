/** @typedef {import('./api-types.ts').RequestView} RequestView */
import { h } from './dom.js';
import { documentUploadForm } from './document-upload.js';
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
 * @param {RequestView} request
 */
const awaitingReview = (request) => request.reports.flatMap((report, index) => (report.status === 'submitted' ? [{ report, index }] : []));
/**
 * A step on each document still on file (neither removed nor erased) that `allowed` lets the person act on.
 * @param {RequestView} request
 * @param {string} suffix
 * @param {string} verb
 * @param {(document: RequestView['documents'][number]) => boolean} [allowed]
 */
const perDocument = (request, suffix, verb, allowed = () => true) =>
  request.documents.flatMap((document) =>
    document.removed || document.erased || !allowed(document)
      ? []
      : [{ template: `/documents/{documentId}/${suffix}`, path: `/documents/${document.documentId}/${suffix}`, label: `${verb} ${document.name}` }],
  );
/** @typedef {{ template: string, path: string, label: string, upload?: boolean, method?: string }} ItemStep */
/** @type {Record<string, (request: RequestView, me?: { role: string, userId: string } | null) => ItemStep[]>} */
const ITEM_STEPS = {
  attach_document: () => [{ template: '/documents', path: '/documents', label: 'Attach a document', upload: true }],
  // A focal point removes only what they attached; the Secretariat any document.
  remove_document: (request, me) => perDocument(request, 'removal', 'Remove', (document) => me?.role !== 'partner' || document.attached.by.userId === me.userId),
  // Once the request has ended: its bytes go for good, the document stays on record.
  erase_document: (request) => perDocument(request, 'erasure', 'Erase'),
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

/**
 * The forms the person's allowed actions call for, one per step (and per item), in the API's order.
 * @param {RequestView} request
 * @returns {Array<ItemStep & { action: string }>}
 */
function stepsOf(request, me = null) {
  return request.allowedActions.flatMap((action) => {
    if (action in STEPS) {
      const [suffix, label] = STEPS[action];
      return [{ action, template: suffix, path: suffix, label }];
    }
    return (ITEM_STEPS[action]?.(request, me) ?? []).map((step) => ({ action, ...step }));
  });
}

/** Who is signed in (GET /me), once per API client: which documents a focal point may remove depends on it. */
const signedIn = new WeakMap();
const whoAmI = (api) => signedIn.get(api) ?? signedIn.set(api, api.get('/me').catch(() => (signedIn.delete(api), null))).get(api);

/**
 * The forms of the steps the person may take now, or null when there are none. `onDone(text)` reloads the request
 * once a step is taken; `onError(error, context)` shows a refusal with the API's message.
 */
export async function stepForms(api, request, onDone, onError) {
  if (stepsOf(request).length === 0) return null;
  const [document, me] = await Promise.all([openApiDocument(api), whoAmI(api)]);
  const steps = stepsOf(request, me);
  const forms = steps
    .map(({ action, template, path, label, method = 'post', upload }, position) => {
      const details = (form) => h('details', { class: 'step', 'data-action': action }, h('summary', {}, label), form);
      const onSent = () => onDone(`${label}: done.`);
      if (upload) return details(documentUploadForm({ api, request, openApi: document, idPrefix: `step-${position}`, label, onSent, onError }));
      const schema = bodySchemaOf(document, `/requests/{id}${template}`, method);
      if (!canAsk(schema)) return null;
      const form = schemaForm({
        schema,
        idPrefix: `step-${position}`,
        submitLabel: label,
        send: (body, key) => api[method](`/requests/${request.id}${path}`, body, { 'idempotency-key': key }),
        onSent,
        onError,
      });
      return details(form);
    })
    .filter(Boolean);
  return forms.length > 0 ? forms : null;
}

/** What identifies the forms shown, so that a live refresh keeps a form being filled in unless the steps changed. */
export const stepsKey = (request) => stepsOf(request).map((step) => `${step.action}${step.path}`).join(',');
