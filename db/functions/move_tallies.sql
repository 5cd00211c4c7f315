-- A request's contribution to every pre-aggregated tally, moved from its old row (NULL: a new request) to its new one.
CREATE OR REPLACE FUNCTION move_tallies(before requests, after requests) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM move_portfolio_tallies(before, after);
  PERFORM move_objective_tallies(before, after);
END;
$$;
