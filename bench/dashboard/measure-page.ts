import { chromium, type CDPSession, type Page } from 'playwright-core';
import { loadConfig } from '../../config/env';
import { connectDatabase, migrateDatabase } from '../../db/client';
import { DEFAULT_SESSION_LIFETIME, openSession } from '../../db/sessions-repository';
import { startRequestWorker } from '../../worker/create-worker';
import { describeMachine, startBenchServers } from '../environment';
import { SUBMISSION } from '../product/lifecycle';
import { benchKeyring, benchUser, getJson, startApi } from '../system-under-test';

/**
 * `npm run bench:page`: the dashboard as a partner on a slow link receives it, in each language.
 *
 * - What its first load costs on the wire: every response's bytes as sent (compressed), from Chromium's own network
 *   log (`Network.loadingFinished`'s encodedDataLength), an empty cache, signed out — the page, its modules, its
 *   styles and its one catalog.
 * - The time to a usable request page over a throttled link (Chromium's network emulation: 400 kbit/s each way, 400 ms
 *   round trip): a committee member, signed in, opens a request in review from an e-mail's link; the clock runs from
 *   the navigation until the vote button and the request's objectives are on the screen. Three runs, each with an
 *   empty cache; the median is reported.
 *
 * The real system: Postgres, the Temporal dev server, a worker and the API, on this machine.
 */

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SLOW_LINK = { offline: false, latency: 400, downloadThroughput: 400_000 / 8, uploadThroughput: 400_000 / 8 };
const RUNS = 3;

async function transferred(page: Page, session: CDPSession, url: string): Promise<{ bytes: number; files: number }> {
  const sizes = new Map<string, number>();
  session.on('Network.loadingFinished', (event: { requestId: string; encodedDataLength: number }) => sizes.set(event.requestId, event.encodedDataLength));
  await page.goto(url, { waitUntil: 'networkidle' });
  return { bytes: [...sizes.values()].reduce((sum, size) => sum + size, 0), files: sizes.size };
}

async function main() {
  console.log('Starting Postgres and Temporal…');
  const servers = await startBenchServers();
  const databaseUrl = await servers.createDatabase('bench_page');
  const database = connectDatabase(databaseUrl);
  await migrateDatabase(database.pool);
  const keyring = benchKeyring();
  const taskQueue = 'bench-page';
  const worker = await startRequestWorker({ ...loadConfig({}), TEMPORAL_TASK_QUEUE: taskQueue }, { temporalAddress: servers.temporal.address, db: database.db, keyring });
  const { app, url } = await startApi({ databaseUrl, temporalAddress: servers.temporal.address, taskQueue, keyring });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox'] });
  try {
    const partner = await benchUser(database.db, 'partner', 'SN');
    const secretariat = await benchUser(database.db, 'secretariat');
    const member = await benchUser(database.db, 'sc_member', 'ES');
    const send = async (path: string, token: string, body: unknown) => {
      const response = await fetch(`${url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (!response.ok) throw new Error(`POST ${path} answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as { id?: string };
    };
    const { id } = await send('/requests', partner, SUBMISSION);
    await send(`/requests/${id}/screening`, secretariat, { outcome: 'accept', note: 'Complete and eligible.' });
    for (let phase = ''; phase !== 'review'; ) phase = ((await getJson(`${url}/requests/${id}`, member)) as { phase: string }).phase;

    const { user } = (await getJson(`${url}/auth/session`, member)) as { user: { userId: string; name: string } };

    const results: Record<string, unknown> = {};
    for (const language of ['en', 'fr']) {
      console.log(`Measuring the page in ${language}…`);
      const firstLoad = await (async () => {
        const context = await browser.newContext({ locale: language === 'fr' ? 'fr-FR' : 'en-GB' });
        const page = await context.newPage();
        const session = await context.newCDPSession(page);
        await session.send('Network.enable');
        const sent = await transferred(page, session, `${url}/dashboard?lang=${language}`);
        await context.close();
        return sent;
      })();
      const times: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const context = await browser.newContext({ locale: language === 'fr' ? 'fr-FR' : 'en-GB', viewport: { width: 1366, height: 768 } });
        // Signed in already, as after the sign-in page: a session of the member's, its cookie in the browser.
        const { secret } = await openSession(database.db, {
          userId: user.userId,
          userName: user.name,
          method: 'email_link',
          client: { clientAddress: '127.0.0.1', userAgent: 'bench' },
          lifetime: DEFAULT_SESSION_LIFETIME,
        });
        await context.addCookies([{ name: 'rbt_session', value: secret, url, httpOnly: true, sameSite: 'Lax' }]);
        const page = await context.newPage();
        const session = await context.newCDPSession(page);
        await session.send('Network.enable');
        await session.send('Network.setCacheDisabled', { cacheDisabled: true });
        await session.send('Network.emulateNetworkConditions', SLOW_LINK);
        const started = Date.now();
        await page.goto(`${url}/dashboard?lang=${language}#request/${id}`, { waitUntil: 'commit' });
        await page.locator('#request .steps details[data-action="vote"]').waitFor({ timeout: 120_000 });
        await page.locator('#request .request-part h4').first().waitFor({ timeout: 120_000 });
        times.push(Date.now() - started);
        await context.close();
      }
      times.sort((a, b) => a - b);
      results[language] = { firstLoadKiB: Math.round((firstLoad.bytes / 1024) * 10) / 10, files: firstLoad.files, usableRequestPageMs: { median: times[Math.floor(RUNS / 2)], runs: times } };
    }
    const machine = await describeMachine(servers);
    console.log(JSON.stringify({ command: 'npm run bench:page', at: new Date().toISOString(), machine, link: SLOW_LINK, results }, null, 2));
  } finally {
    await browser.close();
    await app.close();
    await worker.stop();
    await database.pool.end();
    await servers.stop();
  }
}

await main();
