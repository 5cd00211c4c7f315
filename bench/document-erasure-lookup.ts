import { eraseUnreferencedContent } from '../db/documents-repository';
import { withScratchDatabase } from './scratch-database';

/**
 * What erasing a removed document's bytes costs when the portfolio is large: before it erases, it must know that no
 * other document of any request has the same bytes. Seeds requests with a real-sized state (one in 300 with a
 * document), then shows the plan of that lookup (the partial GIN index, requests_documents_idx) and times the erasure.
 *
 *   node --import tsx bench/document-erasure-lookup.ts [requests]
 */

const requests = Number(process.argv[2] ?? 300_000);
await withScratchDatabase('erasure', async (database) => {
  console.log(`Seeding ${requests.toLocaleString('en')} requests (~3.4 KB of state each; one in 300 with a document) …`);
  await database.pool.query(
    `insert into requests (id, workflow_id, title, country, domain, activity_type, phase, version, state, submitted_by, submitted_at, updated_at)
     select gen_random_uuid(), 'erasure-' || i, 'Erasure lookup', 'SN', 4, 'training', 'review', 3,
            jsonb_build_object('submission', '{}'::jsonb, 'padding', repeat('x', 3400))
              || case when i % 300 = 0
                   then jsonb_build_object('documents', jsonb_build_array(jsonb_build_object('documentId', gen_random_uuid(), 'name', 'a.pdf', 'sha256', md5(i::text) || md5(i::text))))
                   else '{}'::jsonb end,
            'bench', now(), now()
       from generate_series(1, $1::int) i`,
    [requests],
  );
  await database.pool.query('analyze requests');
  const sha256 = 'f'.repeat(64);
  const plan = await database.pool.query(
    `explain analyze select 1 from requests r
      where r.state ? 'documents' and r.state -> 'documents' @> jsonb_build_array(jsonb_build_object('sha256', $1::text))`,
    [sha256],
  );
  console.log(plan.rows.map((row: Record<string, string>) => `  ${row['QUERY PLAN']}`).join('\n'));
  const started = performance.now();
  await eraseUnreferencedContent(database.db, sha256);
  console.log(`eraseUnreferencedContent: ${(performance.now() - started).toFixed(1)} ms`);
});
