import { DrizzleQueryError } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { withoutQueryValues } from '../../api/loggable-error';

describe('a failed query, as logged', () => {
  it('keeps its SQL and Postgres’s reason, never the values it was given (an e-mail with its secret link)', () => {
    const cause = new Error('new row for relation "notifications" violates check constraint "notifications_reason_known"');
    const failed = new DrizzleQueryError('insert into "notifications" ("body") values ($1)', ['…/dashboard#invitation=SECRET'], cause);
    const logged = JSON.stringify(withoutQueryValues(failed));
    expect(logged).toContain('insert into \\"notifications\\"');
    expect(logged).toContain('notifications_reason_known');
    expect(logged).not.toContain('SECRET');
    // Anything else is logged as it is.
    const other = new Error('other');
    expect(withoutQueryValues(other)).toBe(other);
  });
});
