import { asc, eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import { users } from '../db/schema';
import { recordEvent, type RecordEventInput } from './record-event';

export interface ActivityDependencies {
  db: Database;
}

/**
 * The only code with side effects in a request's life. The worker calls this with its database; the
 * workflow sees only the types (`proxyActivities<ReturnType<typeof createActivities>>`).
 */
export function createActivities({ db }: ActivityDependencies) {
  return {
    /** Appends one event to the audit trail and projects it into the read model, exactly once. */
    async recordEvent(input: RecordEventInput): Promise<void> {
      await recordEvent(db, input);
    },

    /** The Steering Committee as it stands now: everyone with the sc_member role. */
    async listReviewers(): Promise<Array<{ userId: string; name: string; country: string | null }>> {
      const members = await db
        .select({ userId: users.id, name: users.name, country: users.country })
        .from(users)
        .where(eq(users.role, 'sc_member'))
        .orderBy(asc(users.name));
      return members;
    },
  };
}
