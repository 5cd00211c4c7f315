import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/client';
import { requests } from '../../db/schema';
import type { RequestState } from '../../workflows/request-model';

export interface SeededRow {
  id: string;
  submittedAt: string;
  updatedAt: string;
}

/**
 * Rows straight into the read model, for tests of reads over more requests than a test can run through
 * workflows (pagination, exports). `timestamps` distinct submission times are shared among the rows, so that
 * ties — where keyset pagination goes wrong — are plentiful.
 */
export async function insertRequestRows(
  db: Database,
  count: number,
  options: { country: string; timestamps: number },
): Promise<SeededRow[]> {
  const base = Date.parse('2026-01-05T09:00:00Z');
  const rows = Array.from({ length: count }, (_, i) => {
    const id = randomUUID();
    const submittedAt = new Date(base + (i % options.timestamps) * 60_000).toISOString();
    const updatedAt = new Date(base + 86_400_000 + ((i * 7) % 11) * 60_000).toISOString();
    return {
      id,
      workflowId: `seeded-${id}`,
      title: `Seeded request ${i}`,
      country: options.country,
      domain: (i % 5) + 1,
      activityType: 'training',
      phase: 'screening' as const,
      version: 1,
      // Lists and exports never read the state; the detail route is not used on these rows.
      state: {} as RequestState,
      submittedBy: 'seed',
      submittedAt,
      updatedAt,
      requestedBudgetEur: '1000',
    };
  });
  for (let start = 0; start < rows.length; start += 500) await db.insert(requests).values(rows.slice(start, start + 500));
  return rows.map(({ id, submittedAt, updatedAt }) => ({ id, submittedAt, updatedAt }));
}
