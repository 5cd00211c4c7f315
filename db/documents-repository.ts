import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Role } from '../workflows/request-model';
import type { Database } from './client';
import { adminEvents, documentContents, documentErasures } from './schema';
import { isoOfStored } from './stored-instants';

/**
 * The bytes of attached documents, addressed by their SHA-256. Storing is idempotent (the same bytes twice are one
 * row), so a retried upload, or the same file attached to two requests, costs nothing more.
 */

export const sha256Hex = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** Stores the bytes under their SHA-256 (`sha256Hex`), if not stored already; Postgres checks that the two match. */
export async function storeDocumentContent(db: Database, sha256: string, bytes: Buffer): Promise<void> {
  await db.insert(documentContents).values({ sha256, sizeBytes: bytes.length, content: bytes }).onConflictDoNothing();
}

/** How many bytes of a stored document there are, or null when none are stored under this SHA-256. */
export async function storedDocumentSize(db: Database, sha256: string): Promise<number | null> {
  const [row] = await db.select({ sizeBytes: documentContents.sizeBytes }).from(documentContents).where(eq(documentContents.sha256, sha256));
  return row?.sizeBytes ?? null;
}

/**
 * Erases the bytes of a removed document, unless a document of any request that is not removed still has them (the
 * same file attached twice). Idempotent: erasing twice, or bytes already gone, is no change.
 */
export async function eraseUnreferencedContent(db: Database, sha256: string): Promise<void> {
  // The containment test finds candidate requests by index (requests_documents_idx); the array then says whether
  // the document there is removed.
  await db.execute(sql`
    DELETE FROM document_contents WHERE sha256 = ${sha256} AND NOT EXISTS (
      SELECT 1 FROM requests r
       WHERE r.state ? 'documents' AND r.state -> 'documents' @> jsonb_build_array(jsonb_build_object('sha256', ${sha256}::text))
         AND EXISTS (SELECT 1 FROM jsonb_array_elements(r.state -> 'documents') AS d WHERE d ->> 'sha256' = ${sha256} AND NOT d ? 'removed'))`);
}

/** What erased a document's bytes: as the request view and the download's 410 tell it. */
export interface DocumentErasure {
  at: string;
  by: { userId: string; name: string; role: Role };
  reason: string;
}

/**
 * Erases a document's bytes for good (a request that has ended, where removal is no longer possible), and records
 * who did it and why, here and in the administrators' log. Once per document: a repeated call answers with the
 * first erasure and changes nothing.
 */
export async function eraseDocumentContent(
  db: Database,
  input: { sha256: string; requestId: string; documentId: string; by: { userId: string; name: string; role: Role }; reason: string },
): Promise<DocumentErasure> {
  return db.transaction(async (tx) => {
    const [recorded] = await tx
      .insert(documentErasures)
      .values({
        sha256: input.sha256,
        requestId: input.requestId,
        documentId: input.documentId,
        erasedByUserId: input.by.userId,
        erasedByName: input.by.name,
        erasedByRole: input.by.role,
        reason: input.reason,
      })
      .onConflictDoNothing()
      .returning();
    if (!recorded) {
      const [first] = await tx.select().from(documentErasures).where(eq(documentErasures.documentId, input.documentId));
      return erasureOf(first!);
    }
    await tx.delete(documentContents).where(eq(documentContents.sha256, input.sha256));
    await tx.insert(adminEvents).values({
      type: 'document_erased',
      actorName: input.by.name,
      payload: { requestId: input.requestId, documentId: input.documentId, sha256: input.sha256, reason: input.reason },
    });
    return erasureOf(recorded);
  });
}

/**
 * The erasure that concerns each document, by document ID: the first erasure of its bytes after it was attached.
 * Bytes attached again after an erasure belong to the later document only.
 */
export async function erasuresOf(db: Database, documents: ReadonlyArray<{ documentId: string; sha256: string; attached: { at: string } }>): Promise<Map<string, DocumentErasure>> {
  const found = new Map<string, DocumentErasure>();
  if (documents.length === 0) return found;
  const rows = await db
    .select()
    .from(documentErasures)
    .where(inArray(documentErasures.sha256, [...new Set(documents.map((d) => d.sha256))]))
    .orderBy(asc(documentErasures.erasedAt));
  for (const document of documents) {
    const erasure = rows.find((row) => row.sha256 === document.sha256 && Date.parse(row.erasedAt) >= Date.parse(document.attached.at));
    if (erasure) found.set(document.documentId, erasureOf(erasure));
  }
  return found;
}

const erasureOf = (row: typeof documentErasures.$inferSelect): DocumentErasure => ({
  at: isoOfStored(row.erasedAt),
  by: { userId: row.erasedByUserId, name: row.erasedByName, role: row.erasedByRole },
  reason: row.reason,
});

const SLICE_BYTES = 1024 * 1024;

/**
 * The stored bytes as a stream, read one slice at a time: memory stays flat whatever the size (the column is stored
 * uncompressed, so Postgres reads only the slice's part of it).
 */
export function documentContentStream(db: Database, sha256: string, sizeBytes: number): Readable {
  let offset = 0;
  return new Readable({
    read() {
      if (offset >= sizeBytes) {
        this.push(null);
        return;
      }
      db.execute<{ slice: Buffer | null }>(
        sql`SELECT substring(content FROM ${offset + 1} FOR ${SLICE_BYTES}) AS slice FROM document_contents WHERE sha256 = ${sha256}`,
      )
        .then(({ rows }) => {
          const slice = rows[0]?.slice;
          if (!slice || slice.length === 0) throw new Error(`document ${sha256} ended at byte ${offset} of ${sizeBytes}`);
          offset += slice.length;
          this.push(slice);
        })
        .catch((error: Error) => this.destroy(error));
    },
  });
}
