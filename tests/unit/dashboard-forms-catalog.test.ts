import { describe, expect, it } from 'vitest';
import { AFTER_PLANNING, AFTER_REVISION, BEFORE_REVISION } from '../../api/routes/requests/step-routes';
import { ActivityBody, RevisionBody, SubmissionBody } from '../../api/schemas/request-schemas';
import { LANGUAGES } from '../../i18n/languages';
import { CATALOGS } from '../../i18n/messages';
import { ACTIONS } from '../../workflows/steps';

/**
 * The dashboard builds its step forms from the API's bodies (dashboard/schema-form.js): a field's label is
 * `page.field.<name>`, a fixed value's `page.choice.<name>.<value>` (or its family's: votes, kinds of support), a step's
 * title `page.step.<action>`. Where a key is missing the page falls back to the code in English words — so a field or
 * a step the API gains without its words in both catalogs fails here, not in front of a francophone focal point.
 */

interface SchemaNode {
  type?: unknown;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  const?: unknown;
  enum?: unknown[];
}

/** Choices that come from a family of labels of their own (dashboard/schema-form.js, CHOICE_FAMILIES). */
const FAMILY_CHOICES = new Map([
  ['vote', 'vote'],
  ['activityType', 'support'],
  ['type', 'support'],
]);

/** Every field name in a body, nested ones included, with the fixed values it may take. */
function fieldsOf(schema: SchemaNode, found = new Map<string, Set<string>>(), name: string | null = null): Map<string, Set<string>> {
  if (name !== null && !found.has(name)) found.set(name, new Set());
  const choices = (node: SchemaNode): unknown[] => (node.const !== undefined ? [node.const] : (node.enum ?? (node.anyOf ?? []).flatMap(choices)));
  if (name !== null) for (const value of choices(schema)) if (typeof value === 'string') found.get(name)!.add(value);
  for (const [property, node] of Object.entries(schema.properties ?? {})) fieldsOf(node, found, property);
  if (schema.items) fieldsOf(schema.items, found, name === null ? null : name);
  for (const branch of schema.anyOf ?? []) if (branch.properties || branch.items) fieldsOf(branch, found, name);
  return found;
}

const BODIES = [SubmissionBody, RevisionBody, ActivityBody, ...[...BEFORE_REVISION, ...AFTER_REVISION, ...AFTER_PLANNING].map((route) => route.body)] as SchemaNode[];

describe('the words of the dashboard’s forms', () => {
  it('names every field of every form, and every fixed value, in both languages', () => {
    const missing: string[] = [];
    for (const body of BODIES) {
      for (const [field, values] of fieldsOf(body)) {
        for (const language of LANGUAGES) {
          const catalog = CATALOGS[language] as Record<string, string>;
          if (!(`page.field.${field}` in catalog)) missing.push(`${language}: page.field.${field}`);
          for (const value of values) {
            const family = FAMILY_CHOICES.get(field);
            const key = family ? `${family}.${value}` : `page.choice.${field}.${value}`;
            if (!(`page.choice.${field}.${value}` in catalog) && !(key in catalog)) missing.push(`${language}: ${key}`);
          }
        }
      }
    }
    expect([...new Set(missing)].sort()).toEqual([]);
  });

  it('titles every step a person may take, in both languages', () => {
    const missing = ACTIONS.flatMap((action) => LANGUAGES.filter((language) => !(`page.step.${action}` in CATALOGS[language])).map((language) => `${language}: page.step.${action}`));
    expect(missing).toEqual([]);
  });
});
