-- record_event(input): everything the recordEvent activity writes for one event, in one call, so one round trip
-- to Postgres instead of the ten or so statements it took (140 statements per request lifecycle became 36; see
-- bench/THROUGHPUT.md for what that does to throughput). The activity (activities/record-event.ts) computes what the event and the state mean
-- (the read-model row and its facts, the projection row); these functions do the bookkeeping: the audit trail, the
-- read model, the pre-aggregated statistics of migration 0007 and the webhook outbox of migration 0006.
-- A change to any of those tables' columns must be made here too; tests/activities and tests/api (statistics,
-- webhooks) fail when it is not.

-- Log-scale bucket of a duration: 0 under a second, then 5 % wide. The same formula as db/duration-buckets.ts and
-- the backfill of migration 0007.
CREATE FUNCTION duration_bucket(seconds float8) RETURNS smallint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (CASE WHEN seconds < 1 THEN 0 ELSE 1 + floor(ln(seconds) / ln(1.05)) END)::smallint;
--> statement-breakpoint

-- Which service-level tally an event counts in, if any.
CREATE FUNCTION breach_kind(event_type text, payload jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE
  WHEN event_type = 'screening_escalated' THEN 'screening'
  WHEN event_type = 'report_overdue' THEN 'reports'
  WHEN event_type = 'review_closed' AND payload->>'because' = 'deadline_passed' THEN 'review'
END;
--> statement-breakpoint

-- One duration into the histogram: always in the country's figures, and in the committee's when the request is
-- one the Steering Committee sees.
CREATE FUNCTION count_duration(measure_name text, request_country char(2), seconds float8, committee_sees boolean) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO duration_histogram AS h (measure, country, committee, bucket, count)
  SELECT measure_name, request_country, c, duration_bucket(seconds), 1
    FROM unnest(CASE WHEN committee_sees THEN ARRAY[false, true] ELSE ARRAY[false] END) AS c
  ON CONFLICT (measure, country, committee, bucket) DO UPDATE SET count = h.count + 1;
$$;
--> statement-breakpoint

-- Moves a request's contribution to portfolio_tallies from its old row (NULL: a new request) to its new one. Rows
-- of the same key merge into their difference; a key whose figures did not change is not written. Rows are written
-- in key order, the same in every transaction, so two transactions never wait for each other's rows.
CREATE FUNCTION move_tallies(before requests, after requests) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO portfolio_tallies AS t (phase, country, domain, activity_type, committee_visible, requests,
                                      requested_eur, approved_eur, spent_eur, trained_total, trained_women, trained_men)
  SELECT phase, country, domain, activity_type, committee_visible, sum(n), sum(requested), sum(approved), sum(spent),
         sum(total), sum(women), sum(men)
    FROM (
      SELECT before.phase, before.country, before.domain, before.activity_type, before.committee_visible, -1 AS n,
             -before.requested_budget_eur AS requested, -coalesce(before.approved_budget_eur, 0) AS approved,
             -before.spent_budget_eur AS spent, -before.trained_total AS total, -before.trained_women AS women,
             -before.trained_men AS men
       WHERE before.id IS NOT NULL
      UNION ALL
      SELECT after.phase, after.country, after.domain, after.activity_type, after.committee_visible, 1,
             after.requested_budget_eur, coalesce(after.approved_budget_eur, 0), after.spent_budget_eur,
             after.trained_total, after.trained_women, after.trained_men
    ) AS contribution
   GROUP BY phase, country, domain, activity_type, committee_visible
  HAVING sum(n) <> 0 OR sum(requested) <> 0 OR sum(approved) <> 0 OR sum(spent) <> 0
      OR sum(total) <> 0 OR sum(women) <> 0 OR sum(men) <> 0
   ORDER BY phase, country, domain, activity_type, committee_visible
  ON CONFLICT (phase, country, domain, activity_type, committee_visible) DO UPDATE SET
    requests = t.requests + excluded.requests,
    requested_eur = t.requested_eur + excluded.requested_eur,
    approved_eur = t.approved_eur + excluded.approved_eur,
    spent_eur = t.spent_eur + excluded.spent_eur,
    trained_total = t.trained_total + excluded.trained_total,
    trained_women = t.trained_women + excluded.trained_women,
    trained_men = t.trained_men + excluded.trained_men;
$$;
--> statement-breakpoint

-- A request the Steering Committee now sees for the first time: its earlier phase visits and breaches join the
-- committee's histograms and tallies (the event that made it visible counts itself, in record_event).
CREATE FUNCTION admit_to_committee(request uuid, request_country char(2), before_seq integer) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO duration_histogram AS h (measure, country, committee, bucket, count)
  SELECT phase_before, request_country, true, duration_bucket(seconds), count(*)
    FROM (SELECT seq, phase_before, extract(epoch FROM occurred_at - lag(occurred_at) OVER (ORDER BY seq))::float8 AS seconds
            FROM request_events
           WHERE request_id = request AND seq < before_seq AND (seq = 1 OR phase_before <> phase_after)) AS visit
   WHERE seq > 1
   GROUP BY phase_before, duration_bucket(seconds)
  ON CONFLICT (measure, country, committee, bucket) DO UPDATE SET count = h.count + excluded.count;

  INSERT INTO sla_tallies AS s (kind, country, committee, count)
  SELECT kind, request_country, true, count(*)
    FROM (SELECT breach_kind(type, payload) AS kind FROM request_events WHERE request_id = request AND seq < before_seq) AS breach
   WHERE kind IS NOT NULL
   GROUP BY kind
  ON CONFLICT (kind, country, committee) DO UPDATE SET count = s.count + excluded.count;
$$;
--> statement-breakpoint

-- input: {event: <request_events row>, request: <requests row>, projection: null | {table, row},
--         firstDecisionSeconds: null | seconds from submission to the first decision}
-- Keyed by (request_id, seq): called again for the same event (a retried activity) it writes nothing twice, and an
-- older state never replaces a newer one in the read model. Returns the webhook deliveries to dispatch as
-- [{id, redeliveries}]: those queued now, or on a repeated call those still never attempted.
CREATE FUNCTION record_event(input jsonb) RETURNS jsonb
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
                          approved_budget_eur, spent_budget_eur, trained_total, trained_women, trained_men, search_document)
    VALUES (after.id, after.workflow_id, after.title, after.country, after.domain, after.activity_type, after.phase,
            after.version, after.state, after.committee_visible, after.submitted_by, after.submitted_at, after.updated_at,
            after.decided_at, after.due_at, after.has_objections, after.requested_budget_eur, after.approved_budget_eur,
            after.spent_budget_eur, after.trained_total, after.trained_women, after.trained_men, after.search_document)
    ON CONFLICT (id) DO UPDATE SET
      workflow_id = excluded.workflow_id, title = excluded.title, country = excluded.country, domain = excluded.domain,
      activity_type = excluded.activity_type, phase = excluded.phase, version = excluded.version, state = excluded.state,
      committee_visible = excluded.committee_visible, submitted_by = excluded.submitted_by,
      submitted_at = excluded.submitted_at, updated_at = excluded.updated_at, decided_at = excluded.decided_at,
      due_at = excluded.due_at, has_objections = excluded.has_objections,
      requested_budget_eur = excluded.requested_budget_eur, approved_budget_eur = excluded.approved_budget_eur,
      spent_budget_eur = excluded.spent_budget_eur, trained_total = excluded.trained_total,
      trained_women = excluded.trained_women, trained_men = excluded.trained_men,
      search_document = excluded.search_document;
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
