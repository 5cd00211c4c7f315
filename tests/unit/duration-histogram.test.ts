import { describe, expect, it } from 'vitest';
import { bucketMiddle, durationBucket } from '../../db/duration-buckets';
import { percentileOf } from '../../db/statistics-repository';

describe('duration histograms', () => {
  it('put every duration in a bucket whose middle is within 2.5 % of it', () => {
    for (const seconds of [1, 1.5, 59, 3_600, 86_399, 86_400 * 14, 86_400 * 365 * 3]) {
      const middle = bucketMiddle(durationBucket(seconds));
      expect(Math.abs(middle - seconds) / seconds).toBeLessThanOrEqual(0.025);
    }
    expect(durationBucket(0)).toBe(0);
    expect(durationBucket(0.999)).toBe(0);
    expect(durationBucket(1)).toBe(1);
  });

  it('read percentiles by cumulative count, like percentile_disc', () => {
    const hour = durationBucket(3_600);
    const day = durationBucket(86_400);
    const buckets = [
      { bucket: day, count: 1 },
      { bucket: hour, count: 9 },
    ];
    expect(percentileOf(buckets, 0.5)).toBeCloseTo(bucketMiddle(hour));
    expect(percentileOf(buckets, 0.9)).toBeCloseTo(bucketMiddle(hour));
    expect(percentileOf(buckets, 0.95)).toBeCloseTo(bucketMiddle(day));
    expect(percentileOf([], 0.5)).toBeNull();
  });
});
