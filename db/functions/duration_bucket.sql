-- Log-scale bucket of a duration: 0 under a second, then 5 % wide. The same formula as db/duration-buckets.ts and
-- the backfill of migration 0007.
CREATE OR REPLACE FUNCTION duration_bucket(seconds float8) RETURNS smallint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (CASE WHEN seconds < 1 THEN 0 ELSE 1 + floor(ln(seconds) / ln(1.05)) END)::smallint;
