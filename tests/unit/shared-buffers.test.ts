import { describe, expect, it } from 'vitest';
import { sharedBuffersMiB } from '../../launcher/embedded-postgres';

const GiB = 1024 ** 3;

describe('the embedded Postgres cache (shared_buffers)', () => {
  it('is a quarter of the memory, never below Postgres’ default of 128 MB nor above 2 GB', () => {
    expect(sharedBuffersMiB(4 * GiB)).toBe(1024);
    expect(sharedBuffersMiB(24 * GiB)).toBe(2048);
    expect(sharedBuffersMiB(256 * 1024 ** 2)).toBe(128);
  });
});
