import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Database } from './client';
import { documentContents } from './schema';

/**
 * The bytes of attached documents, addressed by their SHA-256. Storing is idempotent (the same bytes twice are one
 * row), so a retried upload, or the same file attached to two requests, costs nothing more.
 */

export const sha256Hex = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** Stores the bytes under their SHA-256 (`sha256Hex`), if not stored already; Postgres checks that the two match. */
export async function storeDocumentContent(db: Database, sha256: string, bytes: Buffer): Promise<void> {
  await db.insert(documentContents).values({ sha256, sizeBytes: bytes.length, content: bytes }).onConflictDoNothing();
}

export async function readDocumentContent(db: Database, sha256: string): Promise<Buffer | null> {
  const [row] = await db.select({ content: documentContents.content }).from(documentContents).where(eq(documentContents.sha256, sha256));
  return row?.content ?? null;
}
