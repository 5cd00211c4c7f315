import { h } from './dom.js';
import { t } from './i18n.js';
import { sendOnce } from './schema-form.js';

/**
 * Attaching a document: the file's own bytes as the body and its media type as Content-Type, its name and what it
 * is in the query (POST /requests/{id}/documents). The file picker offers the media types the API's own OpenAPI
 * document lists for that body; the API checks the bytes and says what to do with a file it does not take.
 */
export function documentUploadForm({ api, request, openApi, idPrefix, label, onSent, onError }) {
  const accepted = Object.keys(openApi.paths['/requests/{id}/documents']?.post?.requestBody?.content ?? {});
  const field = (name, text, control, hint) => {
    control.setAttribute('aria-describedby', `${idPrefix}-${name}-hint`);
    return h('p', { class: 'field' }, h('label', { for: `${idPrefix}-${name}` }, text), control, h('span', { class: 'hint', id: `${idPrefix}-${name}-hint` }, hint));
  };
  const file = h('input', { id: `${idPrefix}-file`, type: 'file', accept: accepted.join(',') });
  const name = h('input', { id: `${idPrefix}-name`, maxlength: 200 });
  const description = h('input', { id: `${idPrefix}-description`, maxlength: 500 });
  const button = h('button', { type: 'submit' }, label);
  const form = h(
    'form',
    { class: 'step-form', novalidate: true },
    field('file', t('page.document.file'), file, t('page.document.fileHint')),
    field('name', t('page.document.name'), name, t('page.document.nameHint')),
    field('description', t('page.document.description'), description, t('page.document.descriptionHint')),
    button,
  );
  const sending = sendOnce({
    form,
    button,
    label,
    send: (key) => {
      const chosen = file.files[0];
      if (!chosen) throw new Error(t('page.document.noFile'));
      const query = new URLSearchParams({ name: name.value.trim() || chosen.name });
      if (description.value.trim()) query.set('description', description.value.trim());
      return api.upload(`/requests/${request.id}/documents?${query}`, chosen, { 'idempotency-key': key });
    },
    onSent,
    onError,
  });
  file.addEventListener('change', () => {
    // Another file is another step: a retry of the first must not stand for it.
    sending.renewKey();
    name.value = file.files[0]?.name ?? '';
  });
  return form;
}
