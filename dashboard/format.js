import { h } from './dom.js';
import { has, language, locale, t } from './i18n.js';

/**
 * How the API's keys read for people, in the page's language (the catalogs' `phase.*`, `role.*`, `area.*`…). The
 * phase order follows the life of a request (workflows/request-model.ts); a key the catalog lacks still shows,
 * as words.
 */

export const PHASES = [
  'screening',
  'awaiting_information',
  'review',
  'approval',
  'revision_requested',
  'implementation',
  'monitoring',
  'completed',
  'rejected',
  'withdrawn',
  'cancelled',
];
export const ENDED_PHASES = new Set(['completed', 'rejected', 'withdrawn', 'cancelled']);

/** The five action areas of the Cadiz Action Plan 2023–2027, for requests that name no plan of their own. */
export const ACTION_AREAS = [1, 2, 3, 4, 5];

export function words(key) {
  const text = String(key).replaceAll('_', ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The label of `key` in the catalog's `family` (phase, role…), or the key as words when the catalog has none. */
const labelOf = (family, key) => (has(`${family}.${key}`) ? t(`${family}.${key}`) : words(key));

export const phaseLabel = (phase) => labelOf('phase', phase);
export const roleLabel = (role) => labelOf('role', role);
export const supportLabel = (kind) => labelOf('support', kind);
export const voteLabel = (vote) => labelOf('vote', vote);
export const decisionLabel = (decision) => labelOf('decision', decision);
export const activityStatusLabel = (status) => labelOf('activityStatus', status);
export const actionAreaLabel = (area) => (has(`area.${area}`) ? t(`area.${area}`) : t('area.other', { area }));

/**
 * An action plan's, area's or objective's title in the page's language: the plan gives its French one beside the
 * English (`titleFr`, null where it gave none: the English then).
 * @param {{ title: string, titleFr?: string | null }} named
 */
export const titleOf = (named) => (language === 'fr' && named.titleFr ? named.titleFr : named.title);

const decimal = new Intl.NumberFormat(locale, { maximumFractionDigits: 1, minimumFractionDigits: 1 });

/** A file's size as people read it: "812 bytes", "47.1 KiB", "3,2 Mio". */
export function fileSize(bytes) {
  if (bytes < 1024) return t('page.fileSize.bytes', { n: bytes });
  if (bytes < 1024 * 1024) return t('page.fileSize.kib', { n: decimal.format(bytes / 1024) });
  return t('page.fileSize.mib', { n: decimal.format(bytes / 1024 / 1024) });
}

const euroFormat = new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });
const euroAndCentsFormat = new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR', minimumFractionDigits: 2, maximumFractionDigits: 2 });
/** "€45,000", "45 000 €"; with its cents where it has some ("12 000,50 €"), never rounded to another amount. */
export const euros = (amount) => (Number.isInteger(amount) ? euroFormat : euroAndCentsFormat).format(amount);

const integerFormat = new Intl.NumberFormat(locale);
export const integer = (n) => integerFormat.format(n);

// To the minute, with the zone it is in ("21 déc. 2026, 23:48 UTC+1"): people of the dialogue live in several
// zones, and a deadline read without one is read an hour or two out; seconds said nothing anyone acts on.
const dateTimeFormat = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
export const dateTime = (iso) => dateTimeFormat.format(new Date(iso));
/** A day as the API gives it (YYYY-MM-DD): "12 March 2027", "12 mars 2027". */
export const day = (isoDay) => dateFormat.format(new Date(`${isoDay.slice(0, 10)}T00:00:00Z`));

/** A span of time in the unit a person would use: "less than a minute", "25 min", "5 h", "3 days". */
export function span(ms) {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  if (minutes < 1) return t('page.span.underMinute');
  if (minutes < 60) return t('page.span.minutes', { n: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return t('page.span.hours', { n: hours });
  return t('page.span.days', { n: Math.floor(hours / 24) });
}

/** Hours as the statistics give them, shown in hours or days. */
export function hours(value) {
  if (value === null || value === undefined) return t('page.hours.none');
  if (value < 1 / 60) return t('page.hours.underMinute');
  if (value < 1) return t('page.span.minutes', { n: Math.round(value * 60) });
  if (value < 48) return t('page.span.hours', { n: decimal.format(value) });
  return t('page.hours.days', { n: decimal.format(value / 24) });
}

/** A <time> element: the exact moment for machines and on hover, the given text for people. */
export function timeElement(iso, text = dateTime(iso)) {
  return h('time', { datetime: iso, title: dateTime(iso) }, text);
}
