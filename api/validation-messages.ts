import type { DateBounds } from '../workflows/date-bounds';
import type { Language } from '../i18n/languages';
import { translate } from '../i18n/messages';
import { READABLE_TEXT_PATTERN } from './schemas/common';

/** What Ajv reports of a refused value (`data` because the validators are verbose). */
export interface ValidationIssue {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
  data?: unknown;
}

/**
 * A refusal in words the caller can act on, in their language: a date names the range it must fall in, a text
 * the characters it may not hold. Other refusals keep Ajv's wording for now, behind the field's name.
 */
export function validationMessage(language: Language, field: string, issue: ValidationIssue | undefined, bounds: DateBounds): string {
  const value = quoted(issue?.data);
  const range = { field, earliest: bounds.earliest, latest: bounds.latest, value };
  if (issue?.keyword === 'format' && issue.params.format === 'date-time') return translate(language, 'validation.dateTime', range);
  if (issue?.keyword === 'format' && issue.params.format === 'date') return translate(language, 'validation.date', range);
  if (issue?.keyword === 'pattern' && issue.params.pattern === READABLE_TEXT_PATTERN) return translate(language, 'validation.readableText', { field });
  if (issue?.keyword === 'storable') return translate(language, 'validation.unstorableText', { field });
  return translate(language, 'validation.other', { field, problem: issue?.message ?? 'is invalid' });
}

/** The refused value as the message quotes it: a string (cut short), a number; anything else by its kind, never whole. */
function quoted(data: unknown): string {
  if (typeof data === 'string') return JSON.stringify(data.length > 60 ? `${data.slice(0, 60)}…` : data);
  if (typeof data === 'number' || typeof data === 'boolean') return String(data);
  return data === null ? 'null' : Array.isArray(data) ? 'an array' : typeof data === 'object' ? 'an object' : typeof data;
}
