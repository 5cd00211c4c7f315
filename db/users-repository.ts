import { createHash, randomBytes } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import type { Database } from './client';
import { apiTokens, users } from './schema';
import { COUNTRY_BOUND_ROLES, ROLES, type Actor, type Role } from '../workflows/request-model';

/** Users and their API tokens: shared by the API's authentication and the admin CLI. */

const TOKEN_PREFIX = 'rbt_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export class UserInputError extends Error {}

export interface NewUser {
  name: string;
  role: Role;
  country: string | null;
}

export function validateNewUser(input: { name: string; role: string; country?: string | null }): NewUser {
  const name = input.name.trim();
  if (name.length === 0 || name.length > 200) throw new UserInputError('--name must be 1 to 200 characters');
  if (!(ROLES as readonly string[]).includes(input.role)) {
    throw new UserInputError(`--role must be one of ${ROLES.join(', ')} (got '${input.role}')`);
  }
  const role = input.role as Role;
  const country = input.country ? input.country.toUpperCase() : null;
  if (country !== null && !/^[A-Z]{2}$/.test(country)) {
    throw new UserInputError(`--country must be an ISO 3166-1 alpha-2 code such as SN or ES (got '${input.country}')`);
  }
  if (COUNTRY_BOUND_ROLES.includes(role) && country === null) {
    throw new UserInputError(`a ${role} speaks for a country: add --country <ISO2>`);
  }
  if (!COUNTRY_BOUND_ROLES.includes(role) && country !== null) {
    throw new UserInputError(`a ${role} is not bound to a country: leave out --country`);
  }
  return { name, role, country };
}

/**
 * Issues a new token for the named user, creating the user if new. An existing user keeps their role:
 * asking for a different one is refused rather than silently changing who can do what.
 */
export async function issueToken(db: Database, input: NewUser): Promise<{ token: string; userId: string; created: boolean }> {
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(users)
      .values(input)
      .onConflictDoNothing({ target: users.name })
      .returning({ id: users.id });
    let userId = inserted[0]?.id;
    if (!userId) {
      const [existing] = await tx.select().from(users).where(eq(users.name, input.name));
      if (!existing) throw new Error(`user ${input.name} vanished during token creation`);
      if (existing.role !== input.role || (existing.country ?? null) !== input.country) {
        throw new UserInputError(
          `user '${input.name}' already exists as ${existing.role}${existing.country ? ` (${existing.country})` : ''}; ` +
            'pass the same --role and --country, or choose another --name',
        );
      }
      userId = existing.id;
    }
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    await tx.insert(apiTokens).values({ userId, tokenHash: hashToken(token) });
    return { token, userId, created: inserted.length > 0 };
  });
}

export async function listUsers(db: Database) {
  return db.select({ name: users.name, role: users.role, country: users.country }).from(users).orderBy(asc(users.name));
}

export async function hasAnyUser(db: Database): Promise<boolean> {
  const rows = await db.select({ id: users.id }).from(users).limit(1);
  return rows.length > 0;
}

export async function findActorByToken(db: Database, token: string): Promise<Actor | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const [row] = await db
    .select({ userId: users.id, name: users.name, role: users.role, country: users.country })
    .from(apiTokens)
    .innerJoin(users, eq(apiTokens.userId, users.id))
    .where(eq(apiTokens.tokenHash, hashToken(token)));
  return row ? { ...row, role: row.role as Role, country: row.country ?? null } : null;
}
