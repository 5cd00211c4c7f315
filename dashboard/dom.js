import { t } from './i18n.js';

/**
 * Building the page from data. Everything the API returns goes in as text (textContent, attributes), never as
 * markup, so a title such as "<img onerror=…>" stays a title.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';

function build(element, attributes, children) {
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name === 'class') element.setAttribute('class', value);
    else if (name === 'text') element.textContent = String(value);
    else if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/** An HTML element: h('a', { href: '#x' }, 'text', otherElement). */
/**
 * An element of the page's own markup (index.html), by ID: a form field, a <details>, a region. Typed loosely on
 * purpose — the page's markup is not what the type check guards; the API's answers are (api-types.ts).
 * @param {string} id
 * @returns {any}
 */
export const byId = (id) => document.getElementById(id);

export function h(tag, attributes, ...children) {
  return build(document.createElement(tag), attributes, children);
}

/** An SVG element, same shape as h(). */
export function s(tag, attributes, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attributes, children);
}

/** The parts every view section has in index.html: a status line (aria-live) and a body. */
export function viewParts(sectionId) {
  const section = document.getElementById(sectionId);
  return { section, status: section.querySelector('.status'), body: section.querySelector('.view-body') };
}

/** Marks a view as loading: assistive technology hears "busy", everyone sees the text. */
export function showLoading(parts, text = t('page.loading')) {
  parts.section.setAttribute('aria-busy', 'true');
  parts.status.textContent = text;
}

export function showLoaded(parts, text = '') {
  parts.section.removeAttribute('aria-busy');
  parts.status.textContent = text;
}
