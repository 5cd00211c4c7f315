import { language, t } from './i18n.js';
import { bodySchemaOf, canAsk, openApiDocument, schemaForm } from './schema-form.js';

/**
 * A focal point submits a new request from the dashboard: a form built from `POST /requests`'s body, their country
 * and the page's language filled in. Once submitted, the request opens (and the Secretariat is told by e-mail that it waits for screening).
 */

const section = () => document.getElementById('new-request');

/** Shows the form to a partner (the one role that submits); `onSubmitted(id)` opens the new request. */
export async function showSubmissionForm(api, me, onSubmitted, onError) {
  if (me.role !== 'partner') return;
  const schema = bodySchemaOf(await openApiDocument(api), '/requests');
  if (!canAsk(schema)) return;
  const form = schemaForm({
    schema,
    idPrefix: 'submit',
    context: 'submit',
    submitLabel: t('page.newRequest.submit'),
    // Written in the page's language, most likely: search reads the request in the language chosen here.
    preset: { country: me.country, language },
    send: (body, key) => api.post('/requests', body, { 'idempotency-key': key }),
    onSent: (request) => {
      // A fresh form (and Idempotency-Key) for the next request; this one opens.
      section().querySelector('details').open = false;
      void showSubmissionForm(api, me, onSubmitted, onError);
      onSubmitted(request);
    },
    onError,
  });
  document.getElementById('new-request-body').replaceChildren(form);
  section().hidden = false;
}

export function hideSubmissionForm() {
  section().hidden = true;
  document.getElementById('new-request-body').replaceChildren();
}
