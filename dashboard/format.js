import { h } from './dom.js';

/**
 * How the API's keys read for people. The phase order follows the life of a request (workflows/request-model.ts);
 * an unknown key still shows, as words.
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

const PHASE_LABELS = {
  screening: 'Screening',
  awaiting_information: 'Awaiting information',
  review: 'Steering Committee review',
  approval: 'Chair’s decision',
  revision_requested: 'Revision requested',
  implementation: 'Implementation',
  monitoring: 'Monitoring',
  completed: 'Completed',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
  cancelled: 'Cancelled',
};

const ROLE_LABELS = {
  partner: 'focal point',
  secretariat: 'Secretariat',
  sc_member: 'Steering Committee',
  chair: 'Chair',
  monitor: 'monitor',
  admin: 'administrator',
  system: 'system',
};

/** The five action areas of the Cadiz Action Plan 2023–2027. */
export const ACTION_AREAS = {
  1: 'Development and root causes',
  2: 'Regular migration and mobility',
  3: 'Protection and asylum',
  4: 'Irregular migration, smuggling, trafficking',
  5: 'Return and reintegration',
};

export function words(key) {
  const text = String(key).replaceAll('_', ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export const phaseLabel = (phase) => PHASE_LABELS[phase] ?? words(phase);
export const roleLabel = (role) => ROLE_LABELS[role] ?? words(role);
export const actionAreaLabel = (area) => ACTION_AREAS[area] ?? `Area ${area}`;

/** A file's size as people read it: "812 bytes", "47.1 KiB", "3.2 MiB". */
export function fileSize(bytes) {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

const euroFormat = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });
export const euros = (amount) => euroFormat.format(amount);

const dateTimeFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium' });
export const dateTime = (iso) => dateTimeFormat.format(new Date(iso));

/** A span of time in the unit a person would use: "just now", "25 min", "5 h", "3 d". */
export function span(ms) {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  if (minutes < 1) return 'less than a minute';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} d`;
}

/** Hours as the statistics give them, shown in hours or days. */
export function hours(value) {
  if (value === null || value === undefined) return 'no data';
  if (value < 1 / 60) return 'under a minute';
  if (value < 1) return `${Math.round(value * 60)} min`;
  if (value < 48) return `${value.toFixed(1)} h`;
  return `${(value / 24).toFixed(1)} d`;
}

/** A <time> element: the exact moment for machines and on hover, the given text for people. */
export function timeElement(iso, text = dateTime(iso)) {
  return h('time', { datetime: iso, title: dateTime(iso) }, text);
}
