import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/client';
import { requests } from '../../db/schema';
import type { Phase, RequestState } from '../../workflows/request-model';
import { waitingFor } from '../../read-model/waiting-for';

export interface SeededRow {
  id: string;
  submittedAt: string;
  updatedAt: string;
  phase: Phase;
  dueAt: string | null;
}

/**
 * Rows straight into the read model, for tests of reads over more requests than a test can run through
 * workflows (pagination, exports). `timestamps` distinct submission times are shared among the rows, so that
 * ties — where keyset pagination goes wrong — are plentiful.
 */
export async function insertRequestRows(
  db: Database,
  count: number,
  options: {
    country: string;
    timestamps: number;
    /** Row i's phase (default: screening) and deadline (default: none). */
    phase?: (i: number) => Phase;
    dueAt?: (i: number) => string | null;
    /** Row i as written before the waiting_for column existed (SQL null: lists compute it from the state). */
    beforeWaitingFor?: (i: number) => boolean;
  },
): Promise<SeededRow[]> {
  const base = Date.parse('2026-01-05T09:00:00Z');
  const rows = Array.from({ length: count }, (_, i) => {
    const id = randomUUID();
    const submittedAt = new Date(base + (i % options.timestamps) * 60_000).toISOString();
    const updatedAt = new Date(base + 86_400_000 + ((i * 7) % 11) * 60_000).toISOString();
    const phase = options.phase?.(i) ?? 'screening';
    // Only the phase: enough for waitingFor in the phases these tests use, and for the list's fallback to it.
    const state = { phase } as RequestState;
    const who = waitingFor(state);
    return {
      id,
      workflowId: `seeded-${id}`,
      title: `Seeded request ${i}`,
      country: options.country,
      domain: (i % 5) + 1,
      activityType: 'training',
      phase,
      version: 1,
      // The detail route is not used on these rows.
      state,
      dueAt: options.dueAt?.(i) ?? null,
      waitingFor: options.beforeWaitingFor?.(i) ? null : who,
      submittedBy: 'seed',
      submittedAt,
      updatedAt,
      requestedBudgetEur: '1000',
    };
  });
  for (let start = 0; start < rows.length; start += 500) await db.insert(requests).values(rows.slice(start, start + 500));
  return rows.map(({ id, submittedAt, updatedAt, phase, dueAt }) => ({ id, submittedAt, updatedAt, phase, dueAt }));
}
