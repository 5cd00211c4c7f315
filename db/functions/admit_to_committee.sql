-- A request the Steering Committee now sees for the first time: its earlier phase visits and breaches join the
-- committee's histograms and tallies (the event that made it visible counts itself, in record_event).
CREATE OR REPLACE FUNCTION admit_to_committee(request uuid, request_country char(2), before_seq integer) RETURNS void
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
