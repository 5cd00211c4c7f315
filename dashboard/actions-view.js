/** @typedef {import('./api-types.ts').RequestView} RequestView */
import { h } from './dom.js';
import { documentUploadForm } from './document-upload.js';
import { words } from './format.js';
import { has, t } from './i18n.js';
import { bodySchemaOf, canAsk, openApiDocument, schemaForm } from './schema-form.js';

/**
 * The steps the signed-in person may take on the open request now (its `allowedActions`), each a form built from
 * the step's body schema (schema-form.js).
 */

/** Steps whose body is all they need, by action: the route after /requests/{id}; their titles are `page.step.<action>`. */
const STEPS = {
  screen: '/screening',
  provide_information: '/information',
  // Every field optional: what is filled in changes, the rest stays as submitted.
  revise: '/revision',
  vote: '/votes',
  decide: '/decision',
  correct_decision: '/decision/corrections',
  extend_information_deadline: '/information/deadline',
  extend_review: '/review/extension',
  close_review: '/review/closure',
  complete_implementation: '/implementation/complete',
  increase_budget: '/budget/increase',
  submit_report: '/reports',
  close: '/closure',
  withdraw: '/withdrawal',
  cancel: '/cancellation',
};

/** A report as a step names it: "the final report", "le rapport d'étape". */
const reportName = (kind) => (has(`page.report.${kind}`) ? t(`page.report.${kind}`) : words(kind).toLowerCase());

/**
 * Steps on one item: a form for each item the step applies to now. `template` is the route in the OpenAPI document,
 * `path` the one to call.
 * @param {RequestView} request
 */
const awaitingReview = (request) => request.reports.flatMap((report, index) => (report.status === 'submitted' ? [{ report, index }] : []));
/**
 * A step on each document still on file (neither removed nor erased) that `allowed` lets the person act on; `titleKey`
 * is its title in the catalog, the document's name filled in.
 * @param {RequestView} request
 * @param {string} suffix
 * @param {string} titleKey
 * @param {(document: RequestView['documents'][number]) => boolean} [allowed]
 */
const perDocument = (request, suffix, titleKey, allowed = () => true) =>
  request.documents.flatMap((document) =>
    document.removed || document.erased || !allowed(document)
      ? []
      : [{ template: `/documents/{documentId}/${suffix}`, path: `/documents/${document.documentId}/${suffix}`, label: t(titleKey, { name: document.name }) }],
  );
/** @typedef {{ template: string, path: string, label: string, upload?: boolean, method?: string }} ItemStep */
/** @type {Record<string, (request: RequestView, me?: { role: string, userId: string } | null) => ItemStep[]>} */
const ITEM_STEPS = {
  attach_document: () => [{ template: '/documents', path: '/documents', label: t('page.step.attach_document'), upload: true }],
  // A focal point removes only what they attached; the Secretariat any document.
  remove_document: (request, me) =>
    perDocument(request, 'removal', 'page.step.remove_document', (document) => me?.role !== 'partner' || document.attached.by.userId === me.userId),
  // Once the request has ended: its bytes go for good, the document stays on record.
  erase_document: (request) => perDocument(request, 'erasure', 'page.step.erase_document'),
  plan_activity: () => [{ template: '/activities', path: '/activities', label: t('page.step.plan_activity') }],
  meet_condition: (request) =>
    request.conditions.flatMap((condition, index) =>
      condition.met ? [] : [{ template: '/conditions/{index}/met', path: `/conditions/${index}/met`, label: t('page.step.meet_condition', { condition: condition.text }) }],
    ),
  update_activity: (request) =>
    request.activities.flatMap((activity) =>
      ['held', 'cancelled'].includes(activity.status)
        ? []
        : [
            {
              template: '/activities/{activityId}',
              path: `/activities/${activity.activityId}`,
              label: t('page.step.update_activity', { title: activity.title }),
              method: 'patch',
            },
          ],
    ),
  accept_report: (request) =>
    awaitingReview(request).map(({ report, index }) => ({
      template: '/reports/{index}/acceptance',
      path: `/reports/${index}/acceptance`,
      label: t('page.step.accept_report', { report: reportName(report.kind) }),
    })),
  return_report: (request) =>
    awaitingReview(request).map(({ report, index }) => ({
      template: '/reports/{index}/return',
      path: `/reports/${index}/return`,
      label: t('page.step.return_report', { report: reportName(report.kind) }),
    })),
};

/**
 * The forms the person's allowed actions call for, one per step (and per item), in the API's order.
 * @param {RequestView} request
 * @returns {Array<ItemStep & { action: string }>}
 */
function stepsOf(request, me = null) {
  return request.allowedActions.flatMap((action) => {
    if (action in STEPS) {
      const suffix = STEPS[action];
      return [{ action, template: suffix, path: suffix, label: has(`page.step.${action}`) ? t(`page.step.${action}`) : words(action) }];
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
      const onSent = () => onDone(t('page.step.done', { label }));
      if (upload) return details(documentUploadForm({ api, request, openApi: document, idPrefix: `step-${position}`, label, onSent, onError }));
      const schema = bodySchemaOf(document, `/requests/{id}${template}`, method);
      if (!canAsk(schema)) return null;
      const form = schemaForm({
        schema,
        idPrefix: `step-${position}`,
        context: action,
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
