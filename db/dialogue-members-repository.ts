import { asc, eq, sql } from 'drizzle-orm';
import type { Database } from './client';
import { adminEvents, dialogueMembers, requests, users } from './schema';
import { UserInputError } from './user-input-error';
import { allOf, type LocalizedMessage } from '../i18n/localized';
import { render } from '../i18n/messages';

/**
 * The dialogue's members — partner countries, observers, and the organisations that sit beside them: reference data
 * that administrators keep (PUT and DELETE /countries/{code}), and the list every `country` of a user, a token and a
 * request is checked against. The API calls them countries, as the `country` fields that name one do.
 *
 * Codes are two letters, as every country column is (char(2)): ISO 3166-1 alpha-2 for countries, EU (ISO's
 * exceptionally reserved code) for the European Union, and for ECOWAS, which has no ISO code, XW, from the range
 * ISO leaves to users (XA–XZ).
 */

export const MEMBER_KINDS = ['country', 'organisation'] as const;
export type MemberKind = (typeof MEMBER_KINDS)[number];
export const MEMBER_STATUSES = ['partner', 'observer'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];
/** Keys, never labels (translated where they are shown). East Africa is for sister dialogues (the Khartoum Process). */
export const REGIONS = ['europe', 'north_africa', 'west_africa', 'central_africa', 'east_africa'] as const;
export type Region = (typeof REGIONS)[number];

export const MEMBER_CODE_PATTERN = /^[A-Z]{2}$/;

export interface MemberDocument {
  nameEn: string;
  nameFr: string;
  kind: MemberKind;
  status: MemberStatus;
  region: Region | null;
  /** When it joined the dialogue (YYYY-MM-DD); null where not on record. */
  memberSince: string | null;
}

export interface DialogueMember extends MemberDocument {
  code: string;
}

/** A database or a transaction on it. */
type Reader = Pick<Database, 'select'>;

/** What people are told when they name a country that is not on the list: where the list is. */
export class UnknownCountryError extends UserInputError {
  constructor(readonly country: string) {
    super({ key: 'error.notAMember', values: { country } });
  }
}

/** A member that users or requests name as their country: removing it would leave them naming nothing. */
export class MemberInUseError extends Error {
  constructor(readonly localized: LocalizedMessage) {
    super(render('en', localized));
  }
}

const COLUMNS = {
  code: dialogueMembers.code,
  nameEn: dialogueMembers.nameEn,
  nameFr: dialogueMembers.nameFr,
  kind: dialogueMembers.kind,
  status: dialogueMembers.status,
  region: dialogueMembers.region,
  memberSince: dialogueMembers.memberSince,
};

export async function listMembers(db: Reader): Promise<DialogueMember[]> {
  return db.select(COLUMNS).from(dialogueMembers).orderBy(asc(dialogueMembers.code));
}

export async function findMember(db: Reader, code: string): Promise<DialogueMember | null> {
  const [row] = await db.select(COLUMNS).from(dialogueMembers).where(eq(dialogueMembers.code, code));
  return row ?? null;
}

/**
 * Refuses a code that is not a member's. In a transaction it also holds the member (FOR SHARE) until the
 * transaction ends, so that an administrator's removal waits for a user being created with it, and then sees them.
 */
export async function checkMember(db: Pick<Database, 'execute'>, code: string): Promise<void> {
  const { rows } = await db.execute(sql`select 1 from ${dialogueMembers} where ${dialogueMembers.code} = ${code} for share`);
  if (rows.length === 0) throw new UnknownCountryError(code);
}

/** What a member document must be beyond its schema. */
export function checkMemberDocument(code: string, member: MemberDocument): void {
  if (!MEMBER_CODE_PATTERN.test(code)) throw new UserInputError({ key: 'error.memberCode', values: { code } });
  for (const [field, name] of [['nameEn', member.nameEn], ['nameFr', member.nameFr]] as const) {
    if (name.trim() !== name || name.length === 0) throw new UserInputError({ key: 'error.nameSpaces', values: { field } });
  }
}

/** Adds a member, or replaces what is on record of it; both recorded on the administrators' log with what was before. */
export async function saveMember(db: Database, code: string, member: MemberDocument, by: string): Promise<{ created: boolean; member: DialogueMember }> {
  checkMemberDocument(code, member);
  return db.transaction(async (tx) => {
    const [before] = await tx.select(COLUMNS).from(dialogueMembers).where(eq(dialogueMembers.code, code)).for('update');
    const values = { nameEn: member.nameEn, nameFr: member.nameFr, kind: member.kind, status: member.status, region: member.region, memberSince: member.memberSince };
    await tx
      .insert(dialogueMembers)
      .values({ code, ...values })
      .onConflictDoUpdate({ target: dialogueMembers.code, set: { ...values, updatedAt: sql`now()` } });
    const saved = { code, ...values };
    await tx.insert(adminEvents).values({
      type: before ? 'country_changed' : 'country_added',
      actorName: by,
      payload: before ? { code, before, after: saved } : { code, member: saved },
    });
    return { created: before === undefined, member: saved };
  });
}

/** How many of each name a member as their country, and the first few of them, to say which. */
const EXAMPLES = 5;

/**
 * Removes a member no user and no request names; null if there is none with that code. Refused (MemberInUseError)
 * while any does: their records would name a country the list no longer has.
 */
export async function removeMember(db: Database, code: string, by: string): Promise<DialogueMember | null> {
  return db.transaction(async (tx) => {
    // FOR UPDATE waits for a user being created with this country (checkMember holds it FOR SHARE), then sees them.
    const [member] = await tx.select(COLUMNS).from(dialogueMembers).where(eq(dialogueMembers.code, code)).for('update');
    if (!member) return null;
    const [people, recorded] = await Promise.all([
      tx.execute<{ total: number; names: string[] }>(
        sql`select count(*)::int as total, (array_agg(name order by name))[1:${EXAMPLES}] as names from ${users} where ${users.country} = ${code}`,
      ),
      tx.execute<{ total: number; ids: string[] }>(
        sql`select count(*)::int as total, (array_agg(id::text order by submitted_at desc))[1:${EXAMPLES}] as ids from ${requests} where ${requests.country} = ${code}`,
      ),
    ]);
    const problems = [
      described('error.memberUsers', people.rows[0]!.total, people.rows[0]!.names),
      described('error.memberRequests', recorded.rows[0]!.total, recorded.rows[0]!.ids),
    ].filter((problem) => problem !== null);
    if (problems.length > 0) {
      const name = { inEachLanguage: { en: member.nameEn, fr: member.nameFr } };
      throw new MemberInUseError({ key: 'error.memberInUse', values: { code, name, problems: allOf(problems) } });
    }
    await tx.delete(dialogueMembers).where(eq(dialogueMembers.code, code));
    await tx.insert(adminEvents).values({ type: 'country_removed', actorName: by, payload: { code, member } });
    return member;
  });
}

function described(key: 'error.memberUsers' | 'error.memberRequests', total: number, examples: string[] | null): LocalizedMessage | null {
  if (total === 0) return null;
  const listed = (examples ?? []).join(', ');
  return { key, values: { count: total, listed: `${listed}${total > EXAMPLES ? ', …' : ''}` } };
}
