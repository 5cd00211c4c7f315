import { h } from './dom.js';
import { words } from './format.js';

/**
 * The steps the signed-in person may take on the open request now (its `allowedActions`), each a small form built
 * from the step's body schema in the API's own OpenAPI document. The API decides and checks everything; a form only
 * collects, and shows the API's answer. Each form carries an Idempotency-Key, so a second click, or a retry on a
 * slow network, takes the step once.
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

/** A fresh Idempotency-Key; getRandomValues, unlike randomUUID, works on a plain-http intranet address too. */
const newKey = () => `dashboard-${Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('')}`;

/** The OpenAPI document, once per page: it changes only with the server. */
let openApi = null;
const openApiDocument = (api) => (openApi ??= api.get('/openapi.json').catch((error) => ((openApi = null), Promise.reject(error))));

const bodySchemaOf = (document, suffix) => document.paths[`/requests/{id}${suffix}`]?.post?.requestBody?.content?.['application/json']?.schema ?? null;

/** A field's schema without its `null` alternative (null is what an empty optional field sends anyway: nothing). */
function withoutNull(schema) {
  const options = (schema.anyOf ?? []).filter((option) => option.type !== 'null');
  return schema.anyOf && options.length === 1 ? { ...options[0], description: schema.description ?? options[0].description } : schema;
}

/** How a field is typed in, or null when a form cannot (then the step is offered only if the field is optional). */
function inputKind(raw) {
  const schema = withoutNull(raw);
  // One of fixed values: an enum, or (as the OpenAPI document spells TypeBox's literals) one single-value enum each.
  const single = (option) => ('const' in option ? [option.const] : option.enum?.length === 1 ? option.enum : null);
  const choices = schema.enum ?? (schema.anyOf?.every(single) ? schema.anyOf.flatMap(single) : null);
  if (choices) return { kind: 'choice', choices };
  // Several shapes, one of them a list of texts (a decision's conditions): typed as lines.
  const list = schema.type === 'array' ? schema : schema.anyOf?.find((option) => option.type === 'array');
  if (list?.items?.type === 'string') return { kind: 'lines' };
  if (schema.type === 'string' && schema.format === 'date-time') return { kind: 'datetime' };
  if (schema.type === 'string' && schema.format === 'date') return { kind: 'date' };
  if (schema.type === 'string') return { kind: (schema.maxLength ?? 10_000) > 300 ? 'text' : 'line' };
  if (schema.type === 'number' || schema.type === 'integer') return { kind: 'number' };
  return null;
}

function fieldControl(id, kind) {
  switch (kind.kind) {
    case 'choice':
      return h('select', { id, name: id }, h('option', { value: '' }, 'Choose…'), kind.choices.map((choice) => h('option', { value: choice }, words(choice))));
    case 'text':
    case 'lines':
      return h('textarea', { id, name: id, rows: kind.kind === 'lines' ? 3 : 4 });
    case 'datetime':
      return h('input', { id, name: id, type: 'datetime-local' });
    case 'date':
      return h('input', { id, name: id, type: 'date' });
    case 'number':
      return h('input', { id, name: id, type: 'number', step: 'any', inputmode: 'decimal' });
    default:
      return h('input', { id, name: id, type: 'text' });
  }
}

/** The value a control holds, as the API takes it; undefined when empty (the API says what is missing). */
function valueOf(control, kind) {
  const raw = control.value.trim();
  if (raw === '') return undefined;
  if (kind.kind === 'lines') return raw.split('\n').map((line) => line.trim()).filter(Boolean);
  if (kind.kind === 'number') return Number(raw);
  if (kind.kind === 'datetime') return new Date(raw).toISOString();
  return raw;
}

/** A body field's name in words: approvedBudgetEur → "Approved budget (EUR)". */
const labelOf = (name) => words(name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()).replace(/ eur$/, ' (EUR)');

function hintOf(schema, kind, required) {
  const parts = [required ? null : 'Optional.', withoutNull(schema).description ?? schema.description ?? null];
  if (kind.kind === 'lines') parts.push('One per line.');
  if (kind.kind === 'datetime') parts.push('In your local time.');
  return parts.filter(Boolean).join(' ');
}

function stepForm(api, request, action, schema, onDone, onError) {
  const [suffix, label] = STEPS[action];
  const required = new Set(schema.required ?? []);
  const fields = Object.entries(schema.properties ?? {})
    .map(([name, fieldSchema]) => ({ name, fieldSchema, kind: inputKind(fieldSchema), id: `step-${action}-${name}` }))
    .filter((field) => field.kind !== null);
  let idempotencyKey = newKey();
  const button = h('button', { type: 'submit' }, label);
  const form = h(
    'form',
    { class: 'step-form', novalidate: true },
    fields.map((field) => {
      const hint = hintOf(field.fieldSchema, field.kind, required.has(field.name));
      return h(
        'p',
        { class: 'field' },
        h('label', { for: field.id }, labelOf(field.name)),
        fieldControl(field.id, field.kind),
        hint ? h('span', { class: 'hint', id: `${field.id}-hint` }, hint) : null,
      );
    }),
    button,
  );
  for (const field of fields) form.querySelector(`#${field.id}`).setAttribute('aria-describedby', `${field.id}-hint`);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (button.disabled) return;
    const body = {};
    for (const field of fields) {
      const value = valueOf(form.querySelector(`#${field.id}`), field.kind);
      if (value !== undefined) body[field.name] = value;
    }
    button.disabled = true;
    try {
      await api.post(`/requests/${request.id}${suffix}`, body, { 'idempotency-key': idempotencyKey });
      idempotencyKey = newKey();
      await onDone(`${label}: done.`);
    } catch (error) {
      onError(error, `${label}: not done`);
    } finally {
      button.disabled = false;
    }
  });
  return h('details', { class: 'step', 'data-action': action }, h('summary', {}, label), form);
}

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
      const schema = bodySchemaOf(document, STEPS[action][0]);
      const typeable = schema && (schema.required ?? []).every((name) => schema.properties?.[name] && inputKind(schema.properties[name]) !== null);
      return typeable ? stepForm(api, request, action, schema, onDone, onError) : null;
    })
    .filter(Boolean);
  return forms.length > 0 ? forms : null;
}

/** What identifies the forms shown, so that a live refresh keeps a form being filled in unless the steps changed. */
export const stepsKey = (request) => request.allowedActions.filter((action) => action in STEPS).join(',');
