import { issueToken, revokeToken } from '../../db/users-repository';
import { advanceTo, call, sampleActivity, submit, type Cast } from '../support/cast';
import type { TestSystem } from '../support/test-system';

/**
 * What generated calls aim at besides made-up IDs: real requests in the phases where steps are possible, an
 * activity, a document, a meeting with an agenda, the cast's users, a webhook subscription and one of its deliveries (to a
 * closed loopback port: it fails at once, offline) — and tokens that exist but must be refused.
 */
export interface RealTargets {
  requestIds: Record<string, string>;
  activityId: string;
  documentId: string;
  meetingId: string;
  userIds: string[];
  webhookId: string;
  deliveryId: string;
  /** A page cursor the API issued. */
  cursor: string;
  refusedTokens: string[];
}

export async function createRealTargets(system: TestSystem, cast: Cast): Promise<RealTargets> {
  const ok = async (result: ReturnType<typeof call>, what: string) => {
    const response = await result;
    if (response.status >= 300) throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };
  const webhook = await ok(call(system, 'POST', '/admin/webhooks', cast.admin, { url: 'http://127.0.0.1:9/hook', eventTypes: ['submitted'] }), 'subscribe');
  const [screening, awaitingInformation, review, approval, revisionRequested, implementation, monitoring] = await Promise.all(
    Array.from({ length: 7 }, () => submit(system, cast)),
  );
  await ok(call(system, 'POST', `/requests/${awaitingInformation}/screening`, cast.secretariat, { outcome: 'request_information', note: 'Which airports?' }), 'ask');
  await advanceTo(system, cast, review!, 'review');
  for (const id of [approval!, revisionRequested!]) {
    await advanceTo(system, cast, id, 'review');
    await ok(call(system, 'POST', `/requests/${id}/votes`, cast.scMember, { vote: 'objection', comment: 'Overlaps a 2026 project.' }), 'object');
  }
  await ok(
    call(system, 'POST', `/requests/${revisionRequested}/decision`, cast.chair, { decision: 'request_revision', rationale: 'Clarify.', points: ['Budget lines', 'Dates'] }),
    'ask for a revision',
  );
  await advanceTo(system, cast, implementation!, 'implementation');
  const planned = await ok(
    call(system, 'POST', `/requests/${implementation}/activities`, cast.secretariat, sampleActivity({ budgetEur: 10_000 })),
    'plan an activity',
  );
  await advanceTo(system, cast, monitoring!, 'monitoring');
  const attached = await system.app.inject({
    method: 'POST',
    url: `/requests/${implementation}/documents?name=terms-of-reference.pdf`,
    headers: { authorization: `Bearer ${cast.secretariat.token}`, 'content-type': 'application/pdf' },
    payload: '%PDF-1.7\n%%EOF\n',
  });
  if (attached.statusCode !== 201) throw new Error(`attach a document: ${attached.statusCode} ${attached.body}`);
  const meeting = await ok(call(system, 'POST', '/meetings', cast.secretariat, { title: 'SC meeting', scheduledFor: '2027-06-01T09:00:00Z' }), 'schedule a meeting');

  const deliveries = await ok(call(system, 'GET', `/admin/webhooks/${webhook.id}/deliveries`, cast.admin), 'list deliveries');
  const page = await ok(call(system, 'GET', '/requests?limit=2&sort=oldest', cast.monitor), 'list a page');

  const revoked = await issueToken(system.database.db, { name: cast.monitor.actor.name, role: 'monitor', country: null });
  await revokeToken(system.database.db, revoked.tokenId, 'test');
  const expired = await issueToken(system.database.db, { name: cast.monitor.actor.name, role: 'monitor', country: null }, { expiresAt: '2020-01-01T00:00:00Z' });
  const [, realTokenId] = /^rbt_([0-9a-f]{32})_/.exec(cast.admin.token)!;

  return {
    requestIds: { screening: screening!, awaitingInformation: awaitingInformation!, review: review!, approval: approval!, revisionRequested: revisionRequested!, implementation: implementation!, monitoring: monitoring! },
    activityId: planned.activityId as string,
    documentId: attached.json().document.documentId as string,
    meetingId: meeting.meetingId as string,
    userIds: Object.values(cast).map((person) => person.actor.userId),
    webhookId: webhook.id as string,
    deliveryId: deliveries.items[0].deliveryId as string,
    cursor: page.nextCursor as string,
    refusedTokens: [revoked.token, expired.token, `rbt_${realTokenId}_${'A'.repeat(43)}`, `rbt_${'0'.repeat(32)}_${'A'.repeat(43)}`],
  };
}
