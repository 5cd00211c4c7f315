import pg from 'pg';
import { encodeCursor } from '../../db/requests-repository';
import { connectDatabase, migrateDatabase } from '../../db/client';
import type { BenchServers } from '../environment';
import { step, timeEach, type LatencySummary } from '../measure';
import { benchKeyring, benchUser, getJson, getText, startApi } from '../system-under-test';
import { seedPortfolio, vocabularyWord } from './seed';

export interface ReadSideResult {
  requests: number;
  events: number;
  seedSeconds: number;
  databaseSizeMiB: number;
  /** Each read through the HTTP API, and beside it the naive way of answering the same question. */
  reads: Array<{ read: string; api: LatencySummary; naive?: { how: string } & LatencySummary }>;
}

/** Part 4: lists, deep pages, search and statistics over a seeded portfolio, next to their naive alternatives. */
export async function measureReadSide(
  servers: BenchServers,
  options: { requests: number; eventsPerRequest: number; samples: number; naiveSamples: number; reuseSeed: boolean },
): Promise<ReadSideResult> {
  const name = `bench_read_side_${options.requests}_${options.eventsPerRequest}`;
  const reusing = options.reuseSeed && (await servers.databaseExists(name));
  const databaseUrl = reusing ? servers.databaseUrl(name) : await servers.createDatabase(name);
  const database = connectDatabase(databaseUrl);
  await migrateDatabase(database.pool);
  const client = new pg.Client({ connectionString: databaseUrl });
  // A lost connection surfaces as the failed query's error, not as an unhandled 'error' event that hides it.
  client.on('error', () => undefined);
  await client.connect();
  const seedStarted = Date.now();
  if (reusing) console.log(`  reusing the portfolio seeded earlier in this data directory (${name})`);
  else await seedPortfolio(client, options);
  const seedSeconds = reusing ? Number.NaN : Math.round((Date.now() - seedStarted) / 100) / 10;
  const size = await client.query<{ mib: number }>('select (pg_database_size(current_database()) / 1048576)::int as mib');

  const api = await startApi({ databaseUrl, temporalAddress: servers.temporal.address, taskQueue: 'bench-read-side', keyring: benchKeyring() });
  const monitor = await benchUser(database.db, 'monitor');
  const committee = await benchUser(database.db, 'sc_member', 'ES');
  const partner = await benchUser(database.db, 'partner', 'SN');
  const get = (path: string, token = monitor) => getJson(`${api.url}${path}`, token);
  const sql = (text: string, values: unknown[] = []) => client.query(text, values);
  const { samples, naiveSamples } = options;
  const reads: ReadSideResult['reads'] = [];
  const measure = async (
    read: string,
    apiCall: (i: number) => Promise<unknown>,
    naive?: { how: string; run: (i: number) => Promise<unknown>; samples?: number },
    apiSamples = samples,
  ) =>
    step(read, async () => {
      reads.push({
        read,
        api: await timeEach(apiSamples, apiCall),
        ...(naive ? { naive: { how: naive.how, ...(await timeEach(naive.samples ?? naiveSamples, naive.run, 1)) } } : {}),
      });
    });

  const deep = options.requests / 2;
  const { rows: deepRows } = await client.query<{ submitted_at: Date; id: string }>(
    'select submitted_at, id from requests order by submitted_at desc, id desc offset $1 limit 1',
    [deep],
  );
  const deepCursor = encodeCursor({ sort: 'newest', key: deepRows[0]!.submitted_at.toISOString(), id: deepRows[0]!.id });

  console.log(`  Reads (${samples} samples each through the API; ${naiveSamples} for each naive alternative):`);
  await measure('list: first page, newest first', () => get('/requests?limit=20'), {
    how: 'same page by OFFSET 0 on an unindexed sort key (title)',
    run: () => sql('select id from requests order by title desc limit 20'),
  });
  await measure('list: country + phase filter', (i) => get(`/requests?country=${i % 2 ? 'SN' : 'ML'}&phase=${i % 3 ? 'implementation' : 'approval'}&limit=20`));
  await measure('list: overdue', () => get('/requests?overdue=true&limit=20'));
  await measure('list: who must act, soonest deadline first (open requests)', () => get('/requests?open=true&sort=due&limit=20'));
  await measure('list: the same, 100 at a time (the dashboard)', () => get('/requests?open=true&sort=due&limit=100'));
  await measure('list: one objective of the plan', (i) => get(`/requests?actionPlan=cadiz-2023-2027&objective=${['1', '3', '5a', '6'][i % 4]}&limit=20`));
  await measure('list: has objections, committee member', () => get('/requests?hasObjections=true&limit=20', committee));
  await measure(`list: deep keyset page (row ${deep.toLocaleString('en')})`, () => get(`/requests?limit=20&cursor=${deepCursor}`), {
    how: `OFFSET ${deep.toLocaleString('en')} LIMIT 20`,
    run: () => sql('select id, title, phase from requests order by submitted_at desc, id desc offset $1 limit 20', [deep]),
  });
  await measure('search: one word (~0.3 % of requests)', (i) => get(`/requests?q=${vocabularyWord(i % 5000)}&limit=20`), {
    how: 'ILIKE scan of the search document',
    run: (i) => sql('select id from requests where search_document ilike $1 order by submitted_at desc limit 20', [`%${vocabularyWord(i % 5000)}%`]),
  });
  await measure('search: two words', (i) => get(`/requests?q=${vocabularyWord(i % 5000)}+${vocabularyWord((i * 7) % 5000)}&limit=20`));
  await measure('search: a word every request has (both languages)', () => get('/requests?q=migration&limit=20'));
  await measure('search: one word, French requests only (language=fr)', (i) => get(`/requests?q=${vocabularyWord((i * 3) % 5000)}&language=fr&limit=20`));
  await measure('search: a French word without its accents (half the requests)', () => get('/requests?q=frontieres&limit=20'));
  await measure('search: a French plural, French only (half the requests)', () => get('/requests?q=formations&language=fr&limit=20'));
  await measure('statistics: monitor (whole portfolio)', () => get('/statistics'), {
    how: 'counts and phase durations computed live from requests and events',
    // Each takes tens of seconds at this scale.
    samples: 3,
    run: () =>
      Promise.all([
        sql('select phase, count(*) from requests group by 1'),
        sql(`with visits as (select phase_after as phase, occurred_at, lead(occurred_at) over (partition by request_id order by seq) as left_at
                               from request_events)
             select phase, percentile_cont(0.5) within group (order by extract(epoch from left_at - occurred_at)) from visits
              where left_at is not null group by 1`),
      ]),
  });
  await measure('statistics: committee member', () => get('/statistics', committee));
  await measure('statistics: partner (one country)', () => get('/statistics', partner));
  await measure('coverage matrix', () => get('/statistics/coverage'));
  // Calendar programs poll each person's feed (about hourly: the feed asks for PT1H): up to 500 requests with a
  // deadline and 500 with activities under way, rendered as iCalendar. A tenth of the samples: each call is larger.
  const feedUrl = async (token: string) => ((await get('/me/calendar', token)) as { url: string }).url;
  const feeds = { monitor: await feedUrl(monitor), committee: await feedUrl(committee), partner: await feedUrl(partner) };
  const feedSamples = Math.max(Math.round(samples / 10), 10);
  await measure('calendar feed: monitor (whole portfolio)', () => getText(feeds.monitor), undefined, feedSamples);
  await measure('calendar feed: committee member', () => getText(feeds.committee), undefined, feedSamples);
  await measure('calendar feed: partner (one country)', () => getText(feeds.partner), undefined, feedSamples);

  await api.app.close();
  await client.end();
  await database.close();
  return { requests: options.requests, events: options.requests * options.eventsPerRequest, seedSeconds, databaseSizeMiB: size.rows[0]!.mib, reads };
}
