import { listNotifications } from '../db/notifications-repository';
import { issueToken } from '../db/users-repository';
import { step, timeEach } from './measure';
import { withScratchDatabase } from './scratch-database';

/**
 * What the lists of e-mails cost once the outbox is large: a person's own (GET /me/notifications) and everybody's
 * (administrators), newest first, over `count` sent notifications shared by six people — with the indexes of
 * migration 0022 and the order spelled as they are built, then with the index and the plain DESC order before it.
 *
 *   node --import tsx bench/notification-lists.ts [count]
 */

const count = Number(process.argv[2] ?? 3_000_000);
await withScratchDatabase('notification-lists', async ({ db, pool }) => {
  const people: string[] = [];
  for (const role of ['secretariat', 'secretariat', 'chair', 'sc_member', 'partner', 'monitor'] as const) {
    people.push((await issueToken(db, { name: `bench-${people.length}`, role, country: role === 'partner' || role === 'sc_member' ? 'SN' : null })).userId);
  }
  await step(`queueing ${count.toLocaleString('en')} sent e-mails (one a second, going back in time)`, async () => {
    await pool.query('set synchronous_commit = off');
    await pool.query(
      `insert into notifications (request_id, seq, user_id, reason, subject, body, status, attempts, sent_to, sent_at, created_at)
       select gen_random_uuid(), 1, ($1::uuid[])[1 + i % cardinality($1::uuid[])], 'your_turn', 'Your turn: request ' || i,
              repeat('A message body. ', 40), 'sent', 1, 'person@example.org', now() - make_interval(secs => i), now() - make_interval(secs => i)
         from generate_series(1, $2::int) as i`,
      [people, count],
    );
    await pool.query('analyze notifications');
  });
  const measure = async (label: string) => {
    const own = await timeEach(50, () => listNotifications(db, { userId: people[0], withoutConfirmations: true, limit: 50 }));
    const all = await timeEach(50, () => listNotifications(db, { limit: 50 }));
    console.log(`  ${label}`);
    console.log(`    a person's e-mails, first page: p50 ${own.p50} ms, p99 ${own.p99} ms`);
    console.log(`    every e-mail, first page:       p50 ${all.p50} ms, p99 ${all.p99} ms`);
  };
  await measure('with migration 0022 (indexes in the lists order, ties by id):');
  // Before 0022: one index (person, newest first, as migration 0016 built it) and a plain DESC order it cannot serve.
  await pool.query('drop index notifications_created_idx; drop index notifications_user_idx');
  await pool.query('create index notifications_user_idx on notifications (user_id, created_at desc nulls last)');
  // The query listNotifications sent before 0022 (drizzle's desc(): a plain DESC, which means NULLS FIRST).
  const timePlain = (where: string, values: unknown[]) =>
    timeEach(20, () =>
      pool.query(`select n.id, n.subject, u.name from notifications n join users u on u.id = n.user_id where ${where} order by n.created_at desc, n.id desc limit 51`, values),
    );
  const own = await timePlain("n.user_id = $1 and n.reason <> 'email_confirmation'", [people[0]]);
  const all = await timePlain('true', []);
  console.log('  before migration 0022 (the same query with a plain DESC order):');
  console.log(`    a person's e-mails, first page: p50 ${own.p50} ms, p99 ${own.p99} ms`);
  console.log(`    every e-mail, first page:       p50 ${all.p50} ms, p99 ${all.p99} ms`);
});
