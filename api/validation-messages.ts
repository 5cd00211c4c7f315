import type { DateBounds } from '../workflows/date-bounds';
import type { Language } from '../i18n/languages';
import { translate, type MessageKey } from '../i18n/messages';
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

/** Ajv's other keywords the routes' schemas use, each worded by the catalogs from the issue's parameters. */
const KEYWORD_MESSAGES: Readonly<Record<string, MessageKey>> = {
  required: 'validation.required',
  additionalProperties: 'validation.unknownField',
  type: 'validation.type',
  minLength: 'validation.minLength',
  maxLength: 'validation.maxLength',
  minimum: 'validation.minimum',
  maximum: 'validation.maximum',
  exclusiveMinimum: 'validation.exclusiveMinimum',
  exclusiveMaximum: 'validation.exclusiveMaximum',
  minItems: 'validation.minItems',
  maxItems: 'validation.maxItems',
  format: 'validation.format',
  pattern: 'validation.pattern',
};

/** Null for a keyword no message is written for. */
function byKeyword(language: Language, field: string, issue: ValidationIssue, value: string): string | null {
  const key = Object.hasOwn(KEYWORD_MESSAGES, issue.keyword) ? KEYWORD_MESSAGES[issue.keyword] : undefined;
  if (!key) return null;
  const { limit, type, format, pattern } = issue.params;
  return translate(language, key, { field, value, limit: Number(limit), type: String(type), format: String(format), pattern: String(pattern) });
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
