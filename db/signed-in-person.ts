import type { Language } from '../i18n/languages';
import type { Role } from '../workflows/request-model';
import { users } from './schema';

/** The person an API token or a browser session signs in, as either check reads them beside its own row. */
export const SIGNED_IN_PERSON = {
  userId: users.id,
  name: users.name,
  role: users.role,
  country: users.country,
  language: users.language,
  deactivatedAt: users.deactivatedAt,
};

/** Who is signed in, and the language they chose (null: none, the request's own then decides). */
export function signedInAs(row: { userId: string; name: string; role: Role; country: string | null; language: Language | null }) {
  return { user: { userId: row.userId, name: row.name, role: row.role, country: row.country ?? null }, language: row.language ?? null };
}
