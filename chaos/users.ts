import { handOverChair } from '../db/chair-terms-repository';
import type { Database } from '../db/client';
import { sql } from 'drizzle-orm';
import { users as userTable } from '../db/schema';
import { issueToken } from '../db/users-repository';
import type { Role } from './lifecycle';

/**
 * The people of a chaos run. Each virtual user is a National Focal Point of their own country and shares the
 * Secretariat, the one Steering Committee member (ES, so that no request is from their country and their vote
 * closes every review) and the Chair, who holds the office for the run. Each has an e-mail address.
 */
export interface ChaosUser {
  country: string;
  tokens: Record<Role, string>;
}

export interface ChaosCast {
  users: ChaosUser[];
  scMemberId: string;
}

const PARTNER_COUNTRIES = ['SN', 'ML', 'MA', 'NE', 'GM', 'CI', 'BF', 'GN', 'MR', 'NG', 'GH', 'TG', 'BJ', 'CM', 'TN', 'SL', 'LR', 'CV', 'GW', 'TD'];

export async function createCast(db: Database, userCount: number): Promise<ChaosCast> {
  const issuedBy = 'chaos';
  const secretariat = await issueToken(db, { name: 'chaos-secretariat', role: 'secretariat', country: null }, { issuedBy });
  const scMember = await issueToken(db, { name: 'chaos-sc-member-es', role: 'sc_member', country: 'ES' }, { issuedBy });
  const chair = await issueToken(db, { name: 'chaos-chair', role: 'chair', country: null }, { issuedBy });
  const now = Date.now();
  await handOverChair(db, { holder: 'chaos-chair', startsAt: new Date(now - 60_000), endsAt: new Date(now + 365 * 86_400_000), by: issuedBy });
  const users: ChaosUser[] = [];
  for (let i = 0; i < userCount; i++) {
    const country = PARTNER_COUNTRIES[i % PARTNER_COUNTRIES.length]!;
    const partner = await issueToken(db, { name: `chaos-partner-${i + 1}-${country.toLowerCase()}`, role: 'partner', country }, { issuedBy });
    users.push({ country, tokens: { partner: partner.token, secretariat: secretariat.token, sc_member: scMember.token, chair: chair.token } });
  }
  // Everyone has an address: the run's mail server must receive every e-mail the events cause.
  await db.update(userTable).set({ email: sql`${userTable.name} || '@chaos.example.org'` });
  return { users, scMemberId: scMember.userId };
}
