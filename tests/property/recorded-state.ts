import type pg from 'pg';

/**
 * A fingerprint of everything a call could change: the requests and what people did to each (their events, and so
 * their version), users and their e-mail settings (addresses in use or waiting for a code, language), tokens, the Chair's terms,
 * meetings, action plans, the dialogue's members, stored documents, webhook subscriptions and redeliveries. Left out:
 * what the system does by itself at any moment — events of timers (reminders, expiries; actor `system`), webhook
 * delivery attempts, a token's last use — which no call can be blamed or credited for. Nor the record of a refused
 * sign-in (`sign_in_failed` on the administrators' log, the attempts a rate limit counts): a refusal must leave it.
 * Sessions and the secrets of invitations and sign-ins are in: a refused call opens or spends none.
 */
export type RecordedState = Record<string, string | number>;

export async function recordedState(pool: pg.Pool): Promise<RecordedState> {
  const { rows } = await pool.query<RecordedState>(`
    select
      (select count(*) from request_events where actor_role <> 'system')::int as events_by_people,
      (select coalesce(md5(string_agg(r.id::text || ':' || (select count(*) from request_events e where e.request_id = r.id and e.actor_role <> 'system'), ',' order by r.id)), '')
         from requests r) as requests,
      (select count(*) from submission_keys)::int as submission_keys,
      (select count(*) from users)::int as users,
      (select coalesce(md5(string_agg(id::text || coalesce(email, '') || coalesce(language, ''), ',' order by id)), '') from users) as email_settings,
      (select count(*) from email_confirmations)::int as email_confirmations,
      (select count(*) from api_tokens)::int as tokens,
      (select count(*) from api_tokens where revoked_at is not null)::int as revoked_tokens,
      (select count(*) from chair_terms)::int as chair_terms,
      (select count(*) from admin_events where type <> 'sign_in_failed')::int as admin_events,
      (select coalesce(md5(string_agg(id::text || coalesce(ended_at::text, ''), ',' order by id)), '') from sessions) as sessions,
      (select coalesce(md5(string_agg(id::text || coalesce(used_at::text, '') || failed_codes, ',' order by id)), '') from sign_in_secrets) as sign_in_secrets,
      (select coalesce(md5(string_agg(id::text || role || coalesce(country, '') || coalesce(deactivated_at::text, ''), ',' order by id)), '') from users) as access,
      (select coalesce(md5(string_agg(id::text || title || scheduled_for || agenda::text || coalesce(minutes::text, ''), ',' order by id)), '') from meetings) as meetings,
      (select coalesce(md5(string_agg(p.id || p.title || p.starts_on || p.ends_on
         || coalesce((select string_agg(o.code || o.area || o.title, ',' order by o.position) from action_plan_objectives o where o.plan_id = p.id), '')
         || coalesce((select string_agg(a.area || a.title, ',' order by a.area) from action_plan_areas a where a.plan_id = p.id), ''), ',' order by p.id)), '')
         from action_plans p) as action_plans,
      (select coalesce(md5(string_agg(code || name_en || name_fr || kind || status || coalesce(region, '') || coalesce(member_since::text, ''), ',' order by code)), '')
         from dialogue_members) as dialogue_members,
      (select count(*) from document_contents)::int as document_contents,
      (select count(*) from webhook_subscriptions)::int as webhook_subscriptions,
      (select count(*) from webhook_subscriptions where disabled_at is not null)::int as disabled_webhooks,
      (select coalesce(sum(redeliveries), 0)::int from webhook_deliveries) as redeliveries
  `);
  return rows[0]!;
}

/**
 * Waits until nothing changes any more: a step that succeeded may still be finishing what it started (a review
 * it opened, a run continuing as new), which must not be blamed on the next call.
 */
export async function settledState(pool: pg.Pool, quietMs = 100, timeoutMs = 5_000): Promise<RecordedState> {
  const deadline = Date.now() + timeoutMs;
  let last = await recordedState(pool);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, quietMs));
    const now = await recordedState(pool);
    if (JSON.stringify(now) === JSON.stringify(last) || Date.now() > deadline) return now;
    last = now;
  }
}
