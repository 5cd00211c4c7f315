import { DrizzleQueryError } from 'drizzle-orm';

/**
 * A failed query as the log may keep it: its SQL and Postgres's reason, never the values it was given. Those are
 * people's words, and for a sign-in or an invitation the e-mail that carries its secret link (README, "Signing in").
 */
export function withoutQueryValues(error: unknown): Error | Record<string, unknown> {
  if (!(error instanceof DrizzleQueryError)) return error instanceof Error ? error : { message: String(error) };
  const cause = error.cause instanceof Error ? error.cause : undefined;
  return { type: error.name, message: `Failed query: ${error.query}`, cause: cause ? { type: cause.name, message: cause.message } : undefined, stack: cause?.stack };
}
