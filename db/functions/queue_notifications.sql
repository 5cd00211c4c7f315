/*
 * Queues the e-mails one event causes, in the event's transaction (called in the same statement as record_event).
 * input: {request_id, seq, at, actor_id, audiences: [{reason, subject, body, roles, country, user_ids}]}.
 * An audience is everyone with an address who has one of its roles (in its country, if it names one; the Chair only
 * while in office at the event's time), or whose ID it lists; never the person who caused the event. A person in
 * two audiences gets the first one's message. Keyed by (request, seq, person): a retried event queues nothing twice.
 * Each person gets the text in the language they chose, where the audience brings it (in_one_language: {en: {subject,
 * body}, fr: {…}}); otherwise, or without a choice, English then French.
 * Returns the IDs of the event's messages still pending, to be dispatched (again, on a retry).
 */
CREATE OR REPLACE FUNCTION queue_notifications(input jsonb) RETURNS uuid[] LANGUAGE plpgsql AS $$
DECLARE
  audience jsonb;
  request uuid := (input->>'request_id')::uuid;
  event_seq integer := (input->>'seq')::integer;
  event_at timestamptz := (input->>'at')::timestamptz;
  actor uuid := (input->>'actor_id')::uuid;
  pending uuid[];
BEGIN
  FOR audience IN SELECT * FROM jsonb_array_elements(input->'audiences') LOOP
    INSERT INTO notifications (request_id, seq, user_id, reason, subject, body)
    SELECT request, event_seq, u.id, audience->>'reason',
           coalesce(audience->'in_one_language'->u.language->>'subject', audience->>'subject'),
           coalesce(audience->'in_one_language'->u.language->>'body', audience->>'body')
    FROM users u
    WHERE u.email IS NOT NULL
      AND u.id IS DISTINCT FROM actor
      AND (
        u.id::text IN (SELECT jsonb_array_elements_text(audience->'user_ids'))
        OR (
          u.role IN (SELECT jsonb_array_elements_text(audience->'roles'))
          AND (audience->>'country' IS NULL OR u.country = audience->>'country')
          AND (u.role <> 'chair' OR EXISTS (
            SELECT 1 FROM chair_terms t WHERE t.user_id = u.id AND t.starts_at <= event_at AND t.ends_at > event_at
          ))
        )
      )
    ORDER BY u.name
    ON CONFLICT (request_id, seq, user_id) DO NOTHING;
  END LOOP;
  SELECT coalesce(array_agg(id ORDER BY created_at), '{}') INTO pending
  FROM notifications WHERE request_id = request AND seq = event_seq AND status = 'pending';
  RETURN pending;
END
$$;
