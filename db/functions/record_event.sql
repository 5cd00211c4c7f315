-- record_event(input): everything the recordEvent activity writes for one event, in one call, so one round trip
-- to Postgres instead of the ten or so statements it took (140 statements per request lifecycle became 36; see
-- bench/THROUGHPUT.md for what that does to throughput). The activity (activities/record-event.ts) computes what the event and the state mean
-- (the read-model row and its facts, the projection row); these functions do the bookkeeping: the audit trail, the
-- read model, the pre-aggregated statistics of migration 0007 and the webhook outbox of migration 0006.
-- A change to any of those tables' columns must be made here too; tests/activities and tests/api (statistics,
-- webhooks) fail when it is not.
--
-- input: {event: <request_events row>, request: <requests row>, projection: null | {table, row},
--         firstDecisionSeconds: null | seconds from submission to the first decision}
-- Keyed by (request_id, seq): called again for the same event (a retried activity) it writes nothing twice, and an
-- older state never replaces a newer one in the read model. Returns the webhook deliveries to dispatch as
-- [{id, redeliveries}]: those queued now, or on a repeated call those still never attempted.
CREATE OR REPLACE FUNCTION record_event(input jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  event request_events := jsonb_populate_record(NULL::request_events, input->'event');
  after requests := jsonb_populate_record(NULL::requests, input->'request');
  before requests;
  projection jsonb := input->'projection';
  recorded_id bigint;
  entered timestamptz;
  breach text;
  queued jsonb;
BEGIN
  INSERT INTO request_events (request_id, seq, type, actor_id, actor_name, actor_role, phase_before, phase_after, occurred_at, payload)
  VALUES (event.request_id, event.seq, event.type, event.actor_id, event.actor_name, event.actor_role, event.phase_before,
          event.phase_after, event.occurred_at, event.payload)
  ON CONFLICT (request_id, seq) DO NOTHING
  RETURNING id INTO recorded_id;

  -- The read model, and the tallies moved from the row's old contribution to its new one. A transaction-scoped lock
  -- per request makes reading the old row and writing the new one one step. Activities may finish out of order:
  -- never replace a newer state with an older one.
  PERFORM pg_advisory_xact_lock(hashtextextended(after.id::text, 0));
  SELECT * INTO before FROM requests WHERE id = after.id;
  IF before.id IS NULL OR before.version < after.version THEN
    INSERT INTO requests (id, workflow_id, title, country, domain, activity_type, phase, version, state, committee_visible,
                          submitted_by, submitted_at, updated_at, decided_at, due_at, has_objections, requested_budget_eur,
                          approved_budget_eur, spent_budget_eur, trained_total, trained_women, trained_men, search_document,
                          waiting_for)
    VALUES (after.id, after.workflow_id, after.title, after.country, after.domain, after.activity_type, after.phase,
            after.version, after.state, after.committee_visible, after.submitted_by, after.submitted_at, after.updated_at,
            after.decided_at, after.due_at, after.has_objections, after.requested_budget_eur, after.approved_budget_eur,
            after.spent_budget_eur, after.trained_total, after.trained_women, after.trained_men, after.search_document,
            after.waiting_for)
    ON CONFLICT (id) DO UPDATE SET
      workflow_id = excluded.workflow_id, title = excluded.title, country = excluded.country, domain = excluded.domain,
      activity_type = excluded.activity_type, phase = excluded.phase, version = excluded.version, state = excluded.state,
      committee_visible = excluded.committee_visible, submitted_by = excluded.submitted_by,
      submitted_at = excluded.submitted_at, updated_at = excluded.updated_at, decided_at = excluded.decided_at,
      due_at = excluded.due_at, has_objections = excluded.has_objections,
      requested_budget_eur = excluded.requested_budget_eur, approved_budget_eur = excluded.approved_budget_eur,
      spent_budget_eur = excluded.spent_budget_eur, trained_total = excluded.trained_total,
      trained_women = excluded.trained_women, trained_men = excluded.trained_men,
      search_document = excluded.search_document, waiting_for = excluded.waiting_for;
    PERFORM move_tallies(before, after);
    IF before.id IS NOT NULL AND NOT before.committee_visible AND after.committee_visible THEN
      PERFORM admit_to_committee(after.id, after.country, event.seq);
    END IF;
  END IF;

  IF recorded_id IS NULL THEN
    -- Recorded before (this is a retry): what the first try queued but may not have dispatched.
    SELECT coalesce(jsonb_agg(jsonb_build_object('id', d.id, 'redeliveries', d.redeliveries)), '[]'::jsonb) INTO queued
      FROM webhook_deliveries d JOIN request_events e ON e.id = d.event_id
     WHERE e.request_id = event.request_id AND e.seq = event.seq AND d.status = 'pending' AND d.redeliveries = 0;
    RETURN queued;
  END IF;

  -- The event's row in the table of its kind.
  CASE projection->>'table'
    WHEN 'review_votes' THEN
      INSERT INTO review_votes SELECT * FROM jsonb_populate_record(NULL::review_votes, projection->'row');
    WHEN 'decisions' THEN
      INSERT INTO decisions SELECT * FROM jsonb_populate_record(NULL::decisions, projection->'row');
    WHEN 'reports' THEN
      INSERT INTO reports SELECT * FROM jsonb_populate_record(NULL::reports, projection->'row');
    WHEN 'implementation_activities' THEN
      INSERT INTO implementation_activities
      SELECT * FROM jsonb_populate_record(NULL::implementation_activities, projection->'row');
    WHEN 'implementation_activity_status' THEN
      UPDATE implementation_activities a
         SET status = r.status, last_seq = r.last_seq, start_date = r.start_date, end_date = r.end_date,
             reason = r.reason, spent_eur = r.spent_eur, participants = r.participants
        FROM jsonb_populate_record(NULL::implementation_activities, projection->'row') r
       WHERE a.id = r.id AND a.last_seq < r.last_seq;
    ELSE
      NULL;
  END CASE;

  -- The histograms: the time spent in the phase the event leaves (entered at the latest earlier phase change, or at
  -- submission), and the time to the first decision; the service-level breaches.
  IF event.phase_before <> event.phase_after THEN
    SELECT occurred_at INTO entered FROM request_events
     WHERE request_id = event.request_id AND seq < event.seq AND (seq = 1 OR phase_before <> phase_after)
     ORDER BY seq DESC LIMIT 1;
    IF entered IS NOT NULL THEN
      PERFORM count_duration(event.phase_before, after.country, extract(epoch FROM event.occurred_at - entered)::float8,
                             after.committee_visible);
    END IF;
  END IF;
  IF input->>'firstDecisionSeconds' IS NOT NULL THEN
    PERFORM count_duration('submission_to_decision', after.country, (input->>'firstDecisionSeconds')::float8,
                           after.committee_visible);
  END IF;
  breach := breach_kind(event.type, event.payload);
  IF breach IS NOT NULL THEN
    INSERT INTO sla_tallies AS s (kind, country, committee, count)
    SELECT breach, after.country, c, 1
      FROM unnest(CASE WHEN after.committee_visible THEN ARRAY[false, true] ELSE ARRAY[false] END) AS c
    ON CONFLICT (kind, country, committee) DO UPDATE SET count = s.count + 1;
  END IF;

  -- The outbox: one delivery for every active subscription that wants this type. Either the event and its deliveries
  -- are on record, or neither is.
  WITH delivery AS (
    INSERT INTO webhook_deliveries (subscription_id, event_id, request_id, event_type)
    SELECT s.id, recorded_id, event.request_id, event.type
      FROM webhook_subscriptions s
     WHERE s.disabled_at IS NULL AND (event.type = ANY (s.event_types) OR '*' = ANY (s.event_types))
    ON CONFLICT (subscription_id, event_id) DO NOTHING
    RETURNING id, redeliveries)
  SELECT coalesce(jsonb_agg(jsonb_build_object('id', id, 'redeliveries', redeliveries)), '[]'::jsonb) INTO queued FROM delivery;
  RETURN queued;
END;
$$;
