import { and, asc, desc, eq, gte, lt, or, sql, type SQL } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import type { Database } from './client';
import { requestEvents, requests, submissionKeys } from './schema';
import type { Phase, RequestState } from '../workflows/request-model';

/** Reads of the request read model and audit trail, and the submission idempotency keys. */

export interface RequestFilter {
  phase?: Phase;
  country?: string;
  domain?: number;
  /** Set for partners: they see only their own country's requests. */
  onlyCountry?: string;
  /** Set for the Steering Committee and the Chair: only requests that reached review. */
  committeeOnly?: boolean;
  /** Full-text search (web-search syntax: words, "phrases", -excluded, or). */
  q?: string;
  activityType?: string;
  submittedFrom?: string;
  submittedTo?: string;
}

export interface Cursor {
  submittedAt: string;
  id: string;
}

const toIso = (timestamp: string): string => new Date(timestamp).toISOString();

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.submittedAt, cursor.id])).toString('base64url');
}

/** Returns null for anything that is not a cursor this API issued. */
export function decodeCursor(text: string): Cursor | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [submittedAt, id] = value as unknown[];
    if (typeof submittedAt !== 'string' || Number.isNaN(Date.parse(submittedAt))) return null;
    if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/i.test(id)) return null;
    return { submittedAt, id };
  } catch {
    return null;
  }
}

export async function listRequests(db: Database, filter: RequestFilter, page: { limit: number; cursor: Cursor | null }) {
  const conditions: SQL[] = [];
  if (filter.phase) conditions.push(eq(requests.phase, filter.phase));
  if (filter.country) conditions.push(eq(requests.country, filter.country));
  if (filter.onlyCountry !== undefined) conditions.push(eq(requests.country, filter.onlyCountry));
  if (filter.committeeOnly) conditions.push(eq(requests.committeeVisible, true));
  if (filter.domain) conditions.push(eq(requests.domain, filter.domain));
  if (filter.activityType) conditions.push(eq(requests.activityType, filter.activityType));
  if (filter.submittedFrom) conditions.push(gte(requests.submittedAt, filter.submittedFrom));
  if (filter.submittedTo) conditions.push(lt(requests.submittedAt, filter.submittedTo));
  if (filter.q) conditions.push(sql`${requests.searchVector} @@ websearch_to_tsquery('simple', ${filter.q})`);
  if (page.cursor) {
    // Keyset: strictly after the last row of the previous page in (submitted_at desc, id desc) order.
    const { submittedAt, id } = page.cursor;
    conditions.push(
      or(lt(requests.submittedAt, submittedAt), and(eq(requests.submittedAt, submittedAt), lt(requests.id, id)))!,
    );
  }
  const rows = await db
    .select({
      id: requests.id,
      title: requests.title,
      country: requests.country,
      domain: requests.domain,
      activityType: requests.activityType,
      phase: requests.phase,
      submittedAt: requests.submittedAt,
      updatedAt: requests.updatedAt,
    })
    .from(requests)
    .where(and(...conditions))
    .orderBy(desc(requests.submittedAt), desc(requests.id))
    .limit(page.limit + 1);
  const items = rows.slice(0, page.limit).map((row) => ({
    ...row,
    submittedAt: toIso(row.submittedAt),
    updatedAt: toIso(row.updatedAt),
  }));
  const last = items.at(-1);
  const nextCursor = rows.length > page.limit && last ? encodeCursor({ submittedAt: last.submittedAt, id: last.id }) : null;
  return { items, nextCursor };
}

export async function findRequestState(db: Database, id: string): Promise<RequestState | null> {
  const [row] = await db.select({ state: requests.state }).from(requests).where(eq(requests.id, id));
  return row?.state ?? null;
}

export async function listRequestEvents(db: Database, requestId: string) {
  const rows = await db
    .select({
      seq: requestEvents.seq,
      type: requestEvents.type,
      actorName: requestEvents.actorName,
      actorRole: requestEvents.actorRole,
      phaseBefore: requestEvents.phaseBefore,
      phaseAfter: requestEvents.phaseAfter,
      occurredAt: requestEvents.occurredAt,
      payload: requestEvents.payload,
    })
    .from(requestEvents)
    .where(eq(requestEvents.requestId, requestId))
    .orderBy(asc(requestEvents.seq));
  return rows.map((row) => ({ ...row, occurredAt: toIso(row.occurredAt) }));
}

export function hashBody(body: unknown): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}

/**
 * Claims an Idempotency-Key for a new request ID, or returns what an earlier call with the same key claimed.
 * Concurrent retries race on the primary key; exactly one wins and the others read its row.
 */
export async function claimSubmissionKey(
  db: Database,
  claim: { userId: string; idempotencyKey: string; requestId: string; bodyHash: string },
): Promise<{ requestId: string; bodyHash: string; claimed: boolean }> {
  const inserted = await db.insert(submissionKeys).values(claim).onConflictDoNothing().returning();
  if (inserted.length > 0) return { requestId: claim.requestId, bodyHash: claim.bodyHash, claimed: true };
  const [existing] = await db
    .select()
    .from(submissionKeys)
    .where(and(eq(submissionKeys.userId, claim.userId), eq(submissionKeys.idempotencyKey, claim.idempotencyKey)));
  if (!existing) throw new Error('idempotency key vanished between insert and select');
  return { requestId: existing.requestId, bodyHash: existing.bodyHash, claimed: false };
}

export async function databaseIsReachable(db: Database): Promise<boolean> {
  try {
    await db.execute(sql`select 1`);
    return true;
  } catch {
    return false;
  }
}
