import { isCancelled } from './api-client.js';
import { h } from './dom.js';
import { actionAreaLabel, supportLabel, voteLabel, words } from './format.js';
import { has, language, t } from './i18n.js';
import { alertBox, clearError } from './messages.js';

/**
 * Forms built from a route's body schema in the API's own OpenAPI document: they ask exactly what the API takes,
 * with its descriptions as hints. The API checks everything; a form only collects what is typed and sends it once
 * (an Idempotency-Key per form, kept until the call succeeds, so a second click or a retry takes it once).
 *
 * The document is in English; what a person reads comes from the page's catalog where it has the words — a field's
 * label (`page.field.<name>`), its hint (`page.hint.<form>.<name>`, else `page.hint.<name>`), a fixed value
 * (`page.choice.<name>.<value>`) — and from the document where it has not (a field the API added since).
 */

/** The OpenAPI document, once per page: it changes only with the server. */
let openApi = null;
export const openApiDocument = (api) => (openApi ??= api.get('/openapi.json').catch((error) => ((openApi = null), Promise.reject(error))));

export const bodySchemaOf = (document, path, method = 'post') => document.paths[path]?.[method]?.requestBody?.content?.['application/json']?.schema ?? null;

/** A fresh Idempotency-Key; getRandomValues, unlike randomUUID, works on a plain-http intranet address too. */
const newKey = () => `dashboard-${Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('')}`;

/** A field's schema without its `null` alternative (null is what an empty optional field sends anyway: nothing). */
function withoutNull(schema) {
  const options = (schema.anyOf ?? []).filter((option) => option.type !== 'null');
  return schema.anyOf && options.length === 1 ? { ...options[0], description: schema.description ?? options[0].description } : schema;
}

/** How a field is typed in, or null when a form cannot (then the form is offered only if the field is optional). */
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
  // Long texts get a text area; a short one, or one of a fixed shape (a country code), a line.
  if (schema.type === 'string') return { kind: (schema.maxLength ?? (schema.pattern ? 0 : 10_000)) > 300 ? 'text' : 'line' };
  // A whole number among a few (an action area, 1–5): a list to choose from, each named, rather than a digit to know.
  if (schema.type === 'integer' && Number.isInteger(schema.minimum) && Number.isInteger(schema.maximum) && schema.maximum - schema.minimum < FEW) {
    return { kind: 'choice', choices: Array.from({ length: schema.maximum - schema.minimum + 1 }, (_, i) => schema.minimum + i), numeric: true };
  }
  if (schema.type === 'number' || schema.type === 'integer') return { kind: 'number' };
  if (schema.type === 'boolean') return { kind: 'yes' };
  return null;
}

/** How many whole numbers a list offers at most; a wider range is typed. */
const FEW = 12;

/** Whether a form can ask for everything this body requires. */
export const canAsk = (schema) => schema !== null && (schema.required ?? []).every((name) => schema.properties?.[name] && inputKind(schema.properties[name]) !== null);

/** Fixed values whose words the catalog has already, by the field that takes them. */
const CHOICE_FAMILIES = { vote: voteLabel, activityType: supportLabel, type: supportLabel, domain: (area) => `${area} — ${actionAreaLabel(area)}` };

/** One of a field's fixed values in words; the value itself is what is sent. */
const choiceLabel = (name, choice) =>
  has(`page.choice.${name}.${choice}`) ? t(`page.choice.${name}.${choice}`) : (CHOICE_FAMILIES[name]?.(choice) ?? words(String(choice)));

function control(id, kind, name) {
  switch (kind.kind) {
    case 'choice':
      return h('select', { id, name: id }, h('option', { value: '' }, t('page.form.choose')), kind.choices.map((choice) => h('option', { value: choice }, choiceLabel(name, choice))));
    case 'text':
    case 'lines':
      return h('textarea', { id, name: id, rows: kind.kind === 'lines' ? 3 : 4 });
    case 'datetime':
      return h('input', { id, name: id, type: 'datetime-local' });
    case 'date':
      return h('input', { id, name: id, type: 'date' });
    case 'number':
      // Text, not type=number: that one reads what is typed in the browser's locale, not the page's (it took
      // "45000,50" for 4500050 on a French page), and gives nothing at all for what it cannot read.
      return h('input', { id, name: id, type: 'text', inputmode: 'decimal', autocomplete: 'off' });
    case 'yes':
      return h('input', { id, name: id, type: 'checkbox' });
    default:
      return h('input', { id, name: id, type: 'text' });
  }
}

/** The value a control holds, as the API takes it; undefined when empty (the API says what is missing). */
function valueOf(element, kind) {
  // A box left unticked is "no" only where other fields of its group say something (see bodyOf).
  if (kind.kind === 'yes') return element.checked;
  const raw = element.value.trim();
  if (raw === '') return undefined;
  if (kind.kind === 'lines') return raw.split('\n').map((line) => line.trim()).filter(Boolean);
  if (kind.kind === 'number') return numberAsTyped(raw);
  if (kind.kind === 'choice' && kind.numeric) return Number(raw);
  if (kind.kind === 'datetime') return new Date(raw).toISOString();
  return raw;
}

/**
 * A number as people write it in the page's language — "45 000,50" or "45.000,50" in French, "45,000.50" in
 * English; in French a point with other than three digits after it ("45.5") is a decimal point typed for a comma.
 * What reads as no number in that language ("abc", "45,5" in English) is sent as typed: the API then refuses it in
 * words ("must be a number; got …") rather than a guess storing a hundred times the amount.
 */
export function numberAsTyped(raw, inLanguage = language) {
  const compact = raw.replace(/[\s\u00a0\u202f]/g, '');
  const [decimal, group] = inLanguage === 'fr' ? [',', '.'] : ['.', ','];
  const fraction = `(\\${decimal}\\d+)?`;
  let digits = null;
  if (new RegExp(`^-?\\d+${fraction}$`).test(compact)) digits = compact;
  else if (new RegExp(`^-?\\d{1,3}(\\${group}\\d{3})+${fraction}$`).test(compact)) digits = compact.replaceAll(group, '');
  else if (inLanguage === 'fr' && /^-?\d+\.(\d{1,2}|\d{4,})$/.test(compact)) digits = compact.replace('.', ',');
  return digits === null ? raw : Number(digits.replace(decimal, '.'));
}

/** A body field's label: the catalog's, else its name in words (approvedBudgetEur → "Approved budget (EUR)"). */
const labelOf = (name) =>
  has(`page.field.${name}`) ? t(`page.field.${name}`) : words(name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()).replace(/ eur$/, ' (EUR)');

/** What the API's document says of a field, in the page's words when the catalog has them (see above). */
function descriptionOf(schema, name, context) {
  const described = withoutNull(schema).description ?? schema.description ?? null;
  if (described === null) return null;
  const key = [`page.hint.${context}.${name}`, `page.hint.${name}`].find(has);
  return key ? t(key) : described;
}

function hintOf(schema, kind, required, name, context) {
  const parts = [required ? null : t('page.form.optional'), descriptionOf(schema, name, context)];
  if (kind.kind === 'lines') parts.push(t('page.form.onePerLine'));
  if (kind.kind === 'datetime') parts.push(t('page.form.localTime'));
  return parts.filter(Boolean).join(' ');
}

/**
 * The fields of an object schema a form can ask for. A nested object (a contact) is a group of its own; a list of
 * objects (budget lines, deliverables) a group of rows, one to start with and more on asking. `context` names the
 * form (its action, or `submit`) for the hints that differ from form to form.
 */
function fieldsOf(schema, prefix, context) {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).flatMap(([name, fieldSchema]) => {
    const id = `${prefix}-${name}`;
    const kind = inputKind(fieldSchema);
    if (kind) return [{ name, id, kind, hint: hintOf(fieldSchema, kind, required.has(name), name, context) }];
    const inner = withoutNull(fieldSchema);
    const hint = hintOf(fieldSchema, { kind: 'group' }, required.has(name), name, context);
    if (inner.type === 'array' && inner.items?.type === 'object' && canAsk(inner.items)) return [{ name, id, rowSchema: inner.items, rows: [], hint, context }];
    if (inner.type !== 'object' || !canAsk(inner)) return [];
    const group = fieldsOf(inner, id, context);
    return group.length > 0 ? [{ name, id, group, hint }] : [];
  });
}

function fieldElement(field) {
  const hint = field.hint ? h('span', { class: 'hint', id: `${field.id}-hint` }, field.hint) : null;
  if (field.group) return h('fieldset', { class: 'field' }, h('legend', {}, labelOf(field.name)), hint, field.group.map(fieldElement));
  if (field.rowSchema) return rowsElement(field, hint);
  const element = control(field.id, field.kind, field.name);
  if (hint) element.setAttribute('aria-describedby', `${field.id}-hint`);
  return h('p', { class: 'field' }, h('label', { for: field.id }, labelOf(field.name)), element, hint);
}

/** A list of objects: a row of fields per item, and a button that adds one. */
function rowsElement(field, hint) {
  const rows = h('div', { class: 'rows' });
  const addRow = () => {
    const row = fieldsOf(field.rowSchema, `${field.id}-${field.rows.length}`, field.context);
    field.rows.push(row);
    rows.append(h('fieldset', { class: 'field' }, h('legend', {}, t('page.form.row', { label: labelOf(field.name), n: field.rows.length })), row.map(fieldElement)));
  };
  addRow();
  const add = has(`page.form.add.${field.name}`) ? t(`page.form.add.${field.name}`) : t('page.form.add', { label: labelOf(field.name).toLowerCase() });
  return h('fieldset', { class: 'field' }, h('legend', {}, labelOf(field.name)), hint, rows, h('button', { type: 'button', class: 'secondary', onclick: addRow }, add));
}

const saysSomething = (object) => Object.values(object).some((value) => value !== false);

/** The body the fields hold: empty fields left out, a group or a row left out when nothing in it is filled in or ticked. */
function bodyOf(form, fields) {
  const body = {};
  for (const field of fields) {
    const value = field.group
      ? bodyOf(form, field.group)
      : field.rowSchema
        ? field.rows.map((row) => bodyOf(form, row)).filter(saysSomething)
        : valueOf(form.querySelector(`#${field.id}`), field.kind);
    if (value === undefined || (field.group && !saysSomething(value)) || (field.rowSchema && value.length === 0)) continue;
    body[field.name] = value;
  }
  return body;
}

/**
 * A form for `schema`: `context` names it for the catalog's hints (its action, or `submit`); `preset` fills fields in
 * by name; `send(body, idempotencyKey)` takes the step (and throws the API's refusal, which `onError` shows);
 * `onSent(answer)` follows a success.
 */
export function schemaForm({ schema, idPrefix, context = '', submitLabel, preset = {}, send, onSent, onError }) {
  const fields = fieldsOf(schema, idPrefix, context);
  const button = h('button', { type: 'submit' }, submitLabel);
  const form = h('form', { class: 'step-form', novalidate: true }, fields.map(fieldElement), button);
  for (const [name, value] of Object.entries(preset)) {
    const element = form.querySelector(`#${idPrefix}-${name}`);
    if (element) element.value = value;
  }
  sendOnce({ form, button, label: submitLabel, send: (key) => send(bodyOf(form, fields), key), onSent, onError, idPrefix });
  return form;
}

/**
 * Sends `form` on submit, one call at a time, under an Idempotency-Key kept until a call succeeds. Returns
 * `renewKey()`, for a form whose content changed in a way that makes it another step (another file).
 *
 * A refusal is said in the form, beside the button just pressed, not in the page's alert at the top, out of sight
 * on a long request page; the field it names is marked, called by its label, given the refusal under it and the
 * focus. A success clears it, and an older alert with it. A signed-out caller goes to `onError`, which signs the
 * page out.
 */
export function sendOnce({ form, button, label, send, onSent, onError, idPrefix = null }) {
  let key = newKey();
  const said = h('div', { class: 'form-error', role: 'alert', tabindex: '-1' });
  form.insertBefore(said, button);
  const unmark = () => {
    form.querySelectorAll('.field-error').forEach((note) => note.remove());
    form.querySelectorAll('[aria-invalid]').forEach((control) => {
      control.removeAttribute('aria-invalid');
      control.removeAttribute('aria-errormessage');
    });
  };
  const sayRefused = (error) => {
    if (isCancelled(error)) return;
    if (error.status === 401) return onError(error, t('page.form.notDone', { label }));
    const refused = refusedControl(form, idPrefix, error.field);
    const message = refused ? String(error.message).replace(error.field, refused.label) : error.message;
    said.replaceChildren(alertBox({ ...error, message: message ?? String(error) }, t('page.form.notDone', { label })));
    if (refused) {
      // Under the field too: the focus takes the person there, and the box by the button may be out of sight.
      const note = h('span', { class: 'field-error', id: `${refused.control.id}-error` }, message);
      refused.control.after(note);
      refused.control.setAttribute('aria-invalid', 'true');
      refused.control.setAttribute('aria-errormessage', note.id);
      refused.control.focus();
    } else {
      said.focus();
    }
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (button.disabled) return;
    button.disabled = true;
    let answer;
    try {
      answer = await send(key);
    } catch (error) {
      unmark();
      sayRefused(error);
      button.disabled = false;
      return;
    }
    key = newKey();
    said.replaceChildren();
    unmark();
    clearError();
    try {
      await onSent(answer);
    } catch (error) {
      // The step was taken: what failed after it (reloading the page, say) is no refusal of it.
      onError(error);
    } finally {
      button.disabled = false;
    }
  });
  return { renewKey: () => (key = newKey()) };
}

/**
 * The control and label of the field a refusal names: the API's `body.contact.email` is the form's
 * `<prefix>-contact-email`, as fieldsOf names its controls. Null when the form has no such field.
 */
function refusedControl(form, idPrefix, field) {
  if (!idPrefix || typeof field !== 'string' || !field.startsWith('body.')) return null;
  const id = `${idPrefix}-${field.slice('body.'.length).replaceAll('.', '-')}`;
  const control = form.querySelector(`[id="${id}"]`);
  const labelText = form.querySelector(`label[for="${id}"]`)?.textContent;
  return control && labelText ? { control, label: labelText } : null;
}
