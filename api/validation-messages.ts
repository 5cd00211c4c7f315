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
 * the characters it may not hold, a length or a number its limit. A keyword no message is written for keeps Ajv's
 * wording, behind the field's name.
 */
export function validationMessage(language: Language, field: string, issues: ValidationIssue[], bounds: DateBounds): string {
  const issue = issues[0];
  const value = quoted(issue?.data);
  const allowed = allowedValues(issues);
  if (allowed) return translate(language, 'validation.oneOf', { field, allowed: allowed.map((v) => JSON.stringify(v)).join(', '), value });
  const range = { field, earliest: bounds.earliest, latest: bounds.latest, value };
  if (issue?.keyword === 'format' && issue.params.format === 'date-time') return translate(language, 'validation.dateTime', range);
  if (issue?.keyword === 'format' && issue.params.format === 'date') return translate(language, 'validation.date', range);
  if (issue?.keyword === 'pattern' && issue.params.pattern === READABLE_TEXT_PATTERN) return translate(language, 'validation.readableText', { field });
  if (issue?.keyword === 'storable') return translate(language, 'validation.unstorableText', { field });
  return (issue && byKeyword(language, field, issue, value)) ?? translate(language, 'validation.other', { field, problem: issue?.message ?? 'is invalid' });
}

/** Ajv's other keywords, each in the caller's language from its parameters; null for one no route's schema uses. */
function byKeyword(language: Language, field: string, issue: ValidationIssue, value: string): string | null {
  const limit = Number(issue.params.limit);
  switch (issue.keyword) {
    case 'required':
      return translate(language, 'validation.required', { field });
    case 'additionalProperties':
      return translate(language, 'validation.unknownField', { field });
    case 'type':
      return translate(language, 'validation.type', { field, type: String(issue.params.type), value });
    case 'minLength':
      return translate(language, 'validation.minLength', { field, limit });
    case 'maxLength':
      return translate(language, 'validation.maxLength', { field, limit });
    case 'minimum':
      return translate(language, 'validation.minimum', { field, limit, value });
    case 'maximum':
      return translate(language, 'validation.maximum', { field, limit, value });
    case 'exclusiveMinimum':
      return translate(language, 'validation.exclusiveMinimum', { field, limit, value });
    case 'exclusiveMaximum':
      return translate(language, 'validation.exclusiveMaximum', { field, limit, value });
    case 'minItems':
      return translate(language, 'validation.minItems', { field, limit });
    case 'maxItems':
      return translate(language, 'validation.maxItems', { field, limit });
    case 'format':
      return translate(language, 'validation.format', { field, format: String(issue.params.format), value });
    case 'pattern':
      return translate(language, 'validation.pattern', { field, pattern: String(issue.params.pattern), value });
    default:
      return null;
  }
}

/**
 * The values a field may take, when it is an enumeration: Ajv reports a union of literals as one `const` failure per
 * branch (then `anyOf`), a JSON Schema `enum` at once. Null when the refusal is of another kind.
 */
function allowedValues(issues: ValidationIssue[]): unknown[] | null {
  const first = issues[0];
  if (!first) return null;
  if (first.keyword === 'enum' && Array.isArray(first.params.allowedValues)) return first.params.allowedValues as unknown[];
  if (first.keyword !== 'const') return null;
  const branches = issues.filter((i) => i.instancePath === first.instancePath && i.keyword === 'const').map((i) => i.params.allowedValue);
  const closing = issues.find((i) => i.instancePath === first.instancePath && i.keyword === 'anyOf');
  // A lone `const` (a literal field) names its one value; a union's branches all failed as constants only.
  return closing || branches.length === 1 ? branches : null;
}

/** The refused value as the message quotes it: a string (cut short), a number; anything else by its kind, never whole. */
function quoted(data: unknown): string {
  if (typeof data === 'string') return JSON.stringify(data.length > 60 ? `${data.slice(0, 60)}…` : data);
  if (typeof data === 'number' || typeof data === 'boolean') return String(data);
  return data === null ? 'null' : Array.isArray(data) ? 'an array' : typeof data === 'object' ? 'an object' : typeof data;
}
