-- Which service-level tally an event counts in, if any.
CREATE OR REPLACE FUNCTION breach_kind(event_type text, payload jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE
  WHEN event_type = 'screening_escalated' THEN 'screening'
  WHEN event_type = 'report_overdue' THEN 'reports'
  WHEN event_type = 'review_closed' AND payload->>'because' = 'deadline_passed' THEN 'review'
END;
