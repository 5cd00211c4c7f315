import type Ajv from 'ajv';
import { isDateWithin, isInstantWithin, type DateBounds } from '../workflows/date-bounds';

/**
 * What JSON Schema admits is not always what the server can compute with and store. A value that passes
 * validation and then fails further on becomes a 500 — or, inside a workflow, an event that can never be
 * recorded and is retried forever. These rules narrow validation to what Postgres and JavaScript accept.
 */

/**
 * Formats as the server uses them: `date`/`date-time` that JavaScript's Date parses (not leap seconds `23:59:60`,
 * nor hour-only offsets `+01`) and that a person can mean: within the dialogue's lifetime (workflows/date-bounds.ts),
 * no later than the deployment's horizon; `uuid` in its plain form, since ajv-formats also admits `urn:uuid:…`,
 * which Postgres' uuid type refuses.
 */
export function useStorableFormats(ajv: Ajv, bounds: DateBounds): Ajv {
  const rfc3339 = (name: 'date' | 'date-time') => ajv.formats[name] as { validate: (value: string) => boolean };
  const date = rfc3339('date');
  const dateTime = rfc3339('date-time');
  ajv.addFormat('date', { ...date, validate: (value: string) => date.validate(value) && isDateWithin(value, bounds) });
  ajv.addFormat('date-time', { ...dateTime, validate: (value: string) => dateTime.validate(value) && isInstantWithin(value, bounds) });
  ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
  return ajv;
}

/** U+0000 (Postgres text and jsonb refuse it) and unpaired surrogates (jsonb refuses them; text would store U+FFFD). */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The JSON pointer of the first string (value or key) that cannot be stored, or null. */
export function unstorableTextIn(value: unknown, pointer = ''): string | null {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? pointer : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, item] of Object.entries(value)) {
    const at = `${pointer}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    if (UNSTORABLE.test(key)) return at;
    const found = unstorableTextIn(item, at);
    if (found !== null) return found;
  }
  return null;
}
