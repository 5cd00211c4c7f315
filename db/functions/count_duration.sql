-- One duration into the histogram: always in the country's figures, and in the committee's when the request is
-- one the Steering Committee sees.
CREATE OR REPLACE FUNCTION count_duration(measure_name text, request_country char(2), seconds float8, committee_sees boolean) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO duration_histogram AS h (measure, country, committee, bucket, count)
  SELECT measure_name, request_country, c, duration_bucket(seconds), 1
    FROM unnest(CASE WHEN committee_sees THEN ARRAY[false, true] ELSE ARRAY[false] END) AS c
  ON CONFLICT (measure, country, committee, bucket) DO UPDATE SET count = h.count + 1;
$$;
