-- Moves a request's contribution to portfolio_tallies from its old row (NULL: a new request) to its new one. Rows
-- of the same key merge into their difference; a key whose figures did not change is not written. Rows are written
-- in key order, the same in every transaction, so two transactions never wait for each other's rows.
CREATE OR REPLACE FUNCTION move_portfolio_tallies(before requests, after requests) RETURNS void
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
