-- A request's contribution to objective_tallies, moved from its old row (NULL: a new request) to its new one, as
-- move_tallies does for portfolio_tallies. The plan and objective are the submission's (state.submission.actionPlan,
-- .objective, set by the API from this reference data); requests that name no plan are not counted here.
CREATE OR REPLACE FUNCTION move_objective_tallies(before requests, after requests) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO objective_tallies AS t (plan_id, objective, country, committee_visible, requests, requested_eur)
  SELECT plan_id, objective, country, committee_visible, sum(n), sum(requested)
    FROM (
      SELECT before.state #>> '{submission,actionPlan}' AS plan_id,
             coalesce(before.state #>> '{submission,objective}', '') AS objective,
             before.country, before.committee_visible, -1 AS n, -before.requested_budget_eur AS requested
       WHERE before.id IS NOT NULL
      UNION ALL
      SELECT after.state #>> '{submission,actionPlan}', coalesce(after.state #>> '{submission,objective}', ''),
             after.country, after.committee_visible, 1, after.requested_budget_eur
    ) AS contribution
   WHERE plan_id IS NOT NULL
   GROUP BY plan_id, objective, country, committee_visible
  HAVING sum(n) <> 0 OR sum(requested) <> 0
   ORDER BY plan_id, objective, country, committee_visible
  ON CONFLICT (plan_id, objective, country, committee_visible) DO UPDATE SET
    requests = t.requests + excluded.requests,
    requested_eur = t.requested_eur + excluded.requested_eur;
$$;
