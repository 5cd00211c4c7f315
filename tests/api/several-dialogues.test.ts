import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DialogueName } from '../../config/dialogue';
import { call, createCast, submit, type Cast, type Person } from '../support/cast';
import { startMailReceiver } from '../support/mail-receiver';
import { startTestSystem, type TestSystem } from '../support/test-system';
import { waitFor } from '../support/wait-for';

/**
 * Sister dialogues side by side, as README "Several dialogues" deploys them: each its own deployment (database,
 * task queue, worker, API) on the same Temporal server, the same Postgres server and the same mail server. Each
 * speaks in its own name, and neither sees, tells or admits anything of the other.
 */
const KHARTOUM: DialogueName = { en: 'Khartoum Process', fr: 'Processus de Khartoum' };

let mail: Awaited<ReturnType<typeof startMailReceiver>>;
const rabat = {} as { system: TestSystem; cast: Cast };
const khartoum = {} as { system: TestSystem; cast: Cast };

const OFFICERS = { rabat: 'officer@rabat.example.org', khartoum: 'officer@khartoum.example.org' };
const mailAbout = (address: string, requestId: string) => mail.to(address).filter((m) => m.text.includes(requestId));

beforeAll(async () => {
  mail = await startMailReceiver();
  [rabat.system, khartoum.system] = await Promise.all([
    startTestSystem({ smtpUrl: mail.url }),
    startTestSystem({ smtpUrl: mail.url, dialogue: KHARTOUM }),
  ]);
  for (const [side, address] of [
    [rabat, OFFICERS.rabat],
    [khartoum, OFFICERS.khartoum],
  ] as const) {
    side.cast = await createCast(side.system);
    const set = await call(side.system, 'PUT', `/admin/users/${side.cast.secretariat.actor.userId}/email`, side.cast.admin, { email: address });
    expect(set.status).toBe(200);
  }
});
afterAll(async () => {
  await Promise.all([rabat.system?.stop(), khartoum.system?.stop()]);
  await mail?.stop();
});

describe('several dialogues on the same servers', () => {
  it('keeps each portfolio to its own deployment, and tells each Secretariat in its own dialogue’s name', async () => {
    const [inRabat, inKhartoum] = await Promise.all([
      submit(rabat.system, rabat.cast, { title: 'Training on document fraud' }),
      submit(khartoum.system, khartoum.cast, { title: 'Study on smuggling routes' }),
    ]);

    const [toKhartoum] = await waitFor(async () => mailAbout(OFFICERS.khartoum, inKhartoum), (found) => found.length > 0);
    expect(toKhartoum!.subject).toBe('[Khartoum Process] Your turn · À vous: Study on smuggling routes');
    const [toRabat] = await waitFor(async () => mailAbout(OFFICERS.rabat, inRabat), (found) => found.length > 0);
    expect(toRabat!.subject).toBe('[Rabat Process] Your turn · À vous: Training on document fraud');
    expect(mailAbout(OFFICERS.rabat, inKhartoum)).toEqual([]);
    expect(mailAbout(OFFICERS.khartoum, inRabat)).toEqual([]);

    const listed = async (side: typeof rabat) => (await call(side.system, 'GET', '/requests', side.cast.monitor)).body.items.map((r: { id: string }) => r.id);
    expect(await listed(rabat)).toEqual([inRabat]);
    expect(await listed(khartoum)).toEqual([inKhartoum]);
    expect((await call(khartoum.system, 'GET', `/requests/${inRabat}`, khartoum.cast.secretariat)).status).toBe(404);
    // A person of one dialogue has no account in the other: their token is not valid there.
    expect((await call(khartoum.system, 'GET', '/me', rabat.cast.secretariat)).status).toBe(401);
  });

  it('names its own dialogue in its dashboard, its API document, its unsubscribe page and its address confirmations', async () => {
    const page = await khartoum.system.app.inject({ method: 'GET', url: '/dashboard' });
    expect(page.body).toContain('<title>Dashboard — Khartoum Process capacity-building requests</title>');
    expect(page.body).toContain('<span class="subtitle">Khartoum Process dashboard</span>');
    expect(page.body).not.toContain('%DIALOGUE%');
    expect((await rabat.system.app.inject({ method: 'GET', url: '/dashboard/index.html' })).body).toContain('Rabat Process dashboard');
    expect((await call(khartoum.system, 'GET', '/openapi.json')).body.info.title).toBe('Khartoum Process — capacity-building requests');

    const id = await submit(khartoum.system, khartoum.cast, { title: 'Peer exchange on reintegration' });
    const [told] = await waitFor(async () => mailAbout(OFFICERS.khartoum, id), (found) => found.length > 0);
    const link = new URL((told!.headers.get('list') as { unsubscribe: { url: string } }).unsubscribe.url);
    const unsubscribePage = await khartoum.system.app.inject({ method: 'GET', url: link.pathname });
    expect(unsubscribePage.statusCode).toBe(200);
    expect(unsubscribePage.body).toContain('<h1>Khartoum Process · Processus de Khartoum</h1>');
    expect(unsubscribePage.body).toContain('Stop the Khartoum Process notifications to o•••@khartoum.example.org?');
    expect(unsubscribePage.body).toContain('les notifications « Processus de Khartoum » ?');

    const member: Person = khartoum.cast.scMember;
    expect((await call(khartoum.system, 'PUT', '/me/language', member, { language: 'fr' })).status).toBe(200);
    expect((await call(khartoum.system, 'PUT', '/me/email', member, { email: 'member@khartoum.example.org' })).status).toBe(202);
    const [confirmation] = await waitFor(async () => mail.to('member@khartoum.example.org'), (found) => found.length > 0);
    expect(confirmation!.subject).toBe('[Processus de Khartoum] Confirmez votre adresse');
    expect(confirmation!.text).toContain('les notifications « Processus de Khartoum » sur les demandes de renforcement des capacités');
  });
});
