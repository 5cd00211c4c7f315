/** The buckets of duration_histogram (db/schema.ts). Pure. */

/** Log-scale bucket of a duration: 0 under a second, then 5 % wide. Mirrored in SQL by the backfill migration. */
export function durationBucket(seconds: number): number {
  return seconds < 1 ? 0 : 1 + Math.floor(Math.log(seconds) / Math.log(1.05));
}

/** The middle of a bucket, in seconds (what a percentile read from the histogram reports). */
export function bucketMiddle(bucket: number): number {
  return bucket === 0 ? 0.5 : 1.05 ** (bucket - 1) * Math.sqrt(1.05);
}
