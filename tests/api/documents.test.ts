import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { documentContentStream, sha256Hex, storeDocumentContent } from '../../db/documents-repository';
import { call, submit, type Person } from '../support/cast';
import { useTestSystem } from '../support/use-test-system';

/** Documents attached to a request: stored once, recorded as steps, downloaded by whoever may see the request. */
const MAX_BYTES = 64 * 1024;
const ctx = useTestSystem({ documentMaxBytes: MAX_BYTES });

/** A file that starts as a PDF does (the API checks), with `size` random bytes after that: each one different. */
const pdf = (size: number) => Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(size), Buffer.from('\n%%EOF\n')]);
const PDF = pdf(20_000);
/** A .xlsx is a ZIP archive: it starts with PK. */
const xlsx = (size: number) => Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), randomBytes(size)]);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

interface Upload {
  name?: string;
  description?: string;
  contentType?: string | null;
  idempotencyKey?: string;
}

async function upload(requestId: string, who: Person, bytes: Buffer, { name = 'concept-note.pdf', description, contentType = 'application/pdf', idempotencyKey }: Upload = {}) {
  const query = new URLSearchParams({ ...(name === '' ? {} : { name }), ...(description ? { description } : {}) });
  const response = await ctx.system.app.inject({
    method: 'POST',
    url: `/requests/${requestId}/documents?${query.toString()}`,
    headers: {
      authorization: `Bearer ${who.token}`,
      ...(contentType === null ? {} : { 'content-type': contentType }),
      ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
    },
    payload: bytes,
  });
  return { status: response.statusCode, body: response.json(), headers: response.headers };
}

async function download(requestId: string, documentId: string, who: Person) {
  const response = await ctx.system.app.inject({
    method: 'GET',
    url: `/requests/${requestId}/documents/${documentId}`,
    headers: { authorization: `Bearer ${who.token}` },
  });
  return { status: response.statusCode, bytes: response.rawPayload, headers: response.headers };
}

const documentsOf = async (requestId: string) => (await call(ctx.system, 'GET', `/requests/${requestId}`, ctx.cast.secretariat)).body.documents;
const storedContents = async () => Number((await ctx.system.database.pool.query('select count(*) from document_contents')).rows[0].count);

describe('attaching a document', () => {
  it('records it as a step of the request, with who attached it, and serves the same bytes back', async () => {
    const { system, cast } = ctx;
    const id = await submit(system, cast);
    const attached = await upload(id, cast.partner, PDF, { description: 'Concept note agreed with the Ministry of the Interior' });
    expect(attached.status).toBe(201);
    const { document, request } = attached.body;
    expect(document).toEqual({
      documentId: expect.any(String),
      name: 'concept-note.pdf',
      mediaType: 'application/pdf',
      sizeBytes: PDF.length,
      sha256: sha256(PDF),
      description: 'Concept note agreed with the Ministry of the Interior',
      attached: { by: { userId: cast.partner.actor.userId, name: cast.partner.actor.name, role: 'partner' }, at: expect.any(String) },
    });
    expect(attached.headers.location).toBe(`/requests/${id}/documents/${document.documentId}`);
    expect(request).toMatchObject({ phase: 'screening', documents: [document] });
    expect(request.allowedActions).toContain('attach_document');
    expect(await documentsOf(id)).toEqual([document]);

    const events = (await call(system, 'GET', `/requests/${id}/events`, cast.monitor)).body.items;
    expect(events.at(-1)).toMatchObject({ type: 'document_attached', actorName: cast.partner.actor.name, actorRole: 'partner', payload: { document } });

    for (const reader of [cast.partner, cast.secretariat, cast.monitor]) {
      const got = await download(id, document.documentId, reader);
      expect(got.status).toBe(200);
      expect(got.bytes.equals(PDF)).toBe(true);
      expect(got.headers).toMatchObject({
        'content-type': 'application/pdf',
        'content-length': String(PDF.length),
        'content-disposition': 'attachment; filename="concept-note.pdf"; filename*=UTF-8\'\'concept-note.pdf',
        etag: `"${sha256(PDF)}"`,
        'x-content-type-options': 'nosniff',
        'cache-control': 'private, no-store',
      });
    }
  });

  it('names a download in UTF-8 with an ASCII fallback, and finds the request by its documents’ names and descriptions', async () => {
    const { system, cast } = ctx;
    const id = await submit(system, cast);
    const { body } = await upload(id, cast.secretariat, Buffer.from('Programme,Day\nOpening,1\n'), {
      name: "Programme d'atelier – Sénégal.csv",
      description: 'Provisional agenda of the Saly workshop',
      contentType: 'text/csv; charset=utf-8',
    });
    expect(body.document).toMatchObject({ mediaType: 'text/csv', attached: { by: { role: 'secretariat' } } });
    const got = await download(id, body.document.documentId, cast.partner);
    expect(got.headers['content-disposition']).toBe(
      'attachment; filename="Programme d\'atelier _ S_n_gal.csv"; filename*=UTF-8\'\'Programme%20d%27atelier%20%E2%80%93%20S%C3%A9n%C3%A9gal.csv',
    );
    const found = await call(system, 'GET', '/requests?q=Saly', cast.secretariat);
    expect(found.body.items.map((item: { id: string }) => item.id)).toEqual([id]);
  });

  it('stores the same bytes once, however many requests attach them, takes a retried upload once, and refuses the same file twice', async () => {
    const { system, cast } = ctx;
    const bytes = pdf(5_000);
    const [first, second] = [await submit(system, cast), await submit(system, cast)];
    const before = await storedContents();
    await upload(first, cast.partner, bytes, { name: 'study.pdf', idempotencyKey: 'study-upload-1' });
    const retried = await upload(first, cast.partner, bytes, { name: 'study.pdf', idempotencyKey: 'study-upload-1' });
    expect(retried.status).toBe(201);
    await upload(second, cast.secretariat, bytes, { name: 'same-study.pdf' });
    expect(await storedContents()).toBe(before + 1);
    // Without the key, the same file again is a mix-up: refused, saying where it already is.
    const again = await upload(first, cast.partner, bytes, { name: 'study-copy.pdf' });
    expect(again).toMatchObject({ status: 409, body: { message: expect.stringContaining("This file is already attached to the request, as 'study.pdf'") } });
    expect(await documentsOf(first)).toHaveLength(1);
    expect(retried.body.document).toEqual((await documentsOf(first))[0]);
    expect((await documentsOf(second))[0]).toMatchObject({ name: 'same-study.pdf', sha256: sha256(bytes) });
  });
});

describe('what is refused, and why', () => {
  it('refuses what is not a document, or not of its type, an empty body, a bad name and an oversized file, each saying what to do, and records nothing', async () => {
    const { system, cast } = ctx;
    const id = await submit(system, cast);
    const before = await storedContents();

    const json = await upload(id, cast.partner, Buffer.from('{"a":1}'), { contentType: 'application/json' });
    expect(json).toMatchObject({ status: 415, body: { code: 'unsupported_document_type' } });
    expect(json.body.message).toContain("this one came as 'application/json'");
    expect(json.body.message).toContain('application/pdf');
    const exe = await upload(id, cast.partner, Buffer.from('MZ'), { contentType: 'application/x-msdownload', name: 'setup.exe' });
    expect(exe.status).toBe(415);
    const untyped = await upload(id, cast.partner, PDF, { contentType: null });
    expect(untyped.status).toBe(415);
    const renamed = await upload(id, cast.partner, Buffer.from('MZ\x90\x00 a program'), { name: 'report.pdf' });
    expect(renamed).toMatchObject({
      status: 415,
      body: { code: 'document_not_of_its_type', message: 'The body was sent as application/pdf, but it is not a PDF (it starts with %PDF-). Send the file with its own media type as Content-Type.' },
    });

    const empty = await upload(id, cast.partner, Buffer.alloc(0));
    expect(empty).toMatchObject({ status: 400, body: { code: 'empty_document', field: 'body' } });
    expect(await upload(id, cast.partner, PDF, { name: '' })).toMatchObject({ status: 400, body: { field: 'querystring.name' } });
    expect(await upload(id, cast.partner, PDF, { name: '../../etc/passwd' })).toMatchObject({ status: 400, body: { field: 'querystring.name' } });

    const huge = await upload(id, cast.partner, randomBytes(MAX_BYTES + 1));
    expect(huge.status).toBe(413);
    expect(huge.body.message).toBe('The body is larger than 64 KiB, the most POST /requests/:id/documents takes.');

    expect(await documentsOf(id)).toEqual([]);
    expect(await storedContents()).toBe(before);
  });

  it('lets only the requesting partner and the Secretariat attach, and only while the request is in progress', async () => {
    const { system, cast } = ctx;
    const id = await submit(system, cast);
    expect(await upload(id, cast.monitor, PDF)).toMatchObject({ status: 403, body: { message: expect.stringContaining('Only a National Focal Point (partner) or the Secretariat may attach a document') } });
    expect((await upload(id, cast.otherPartner, PDF)).status).toBe(404);

    await call(system, 'POST', `/requests/${id}/withdrawal`, cast.partner, { reason: 'Funded by another programme.' });
    const late = await upload(id, cast.secretariat, PDF);
    expect(late).toMatchObject({ status: 409, body: { phase: 'withdrawn' } });
    expect(late.body.message).toMatch(/^The request is in phase 'withdrawn', where you cannot attach a document/);
  });

  it('serves a document only to those who may see its request, and says where the documents are listed', async () => {
    const { system, cast } = ctx;
    const id = await submit(system, cast);
    const { body } = await upload(id, cast.partner, PDF);
    // The request has not reached the committee yet: the Chair and another country's partner do not see it.
    expect((await download(id, body.document.documentId, cast.chair)).status).toBe(404);
    expect((await download(id, body.document.documentId, cast.otherPartner)).status).toBe(404);
    const unknown = await call(system, 'GET', `/requests/${id}/documents/00000000-0000-4000-8000-000000000000`, cast.secretariat);
    expect(unknown).toMatchObject({ status: 404, body: { code: 'document_not_found', message: expect.stringContaining(`GET /requests/${id}`) } });
    expect((await call(system, 'GET', `/requests/${id}/documents/${body.document.documentId}`)).status).toBe(401);
  });
});

describe('removing a document', () => {
  const reason = { reason: 'Wrong file: it lists the participants’ passport numbers.' };

  it('keeps it on record but no longer serves it, erases its bytes, and says why to whoever asks for it', async () => {
    const { system, cast } = ctx;
    const id = await submit(system, cast);
    const bytes = xlsx(4_000);
    const { body } = await upload(id, cast.partner, bytes, { name: 'participants.xlsx', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    const documentId = body.document.documentId;

    const removed = await call(system, 'POST', `/requests/${id}/documents/${documentId}/removal`, cast.partner, reason);
    expect(removed.status).toBe(200);
    expect(removed.body.documents).toEqual([{ ...body.document, removed: { by: expect.objectContaining({ name: cast.partner.actor.name }), at: expect.any(String), ...reason } }]);
    const events = (await call(system, 'GET', `/requests/${id}/events`, cast.monitor)).body.items;
    expect(events.at(-1)).toMatchObject({ type: 'document_removed', actorRole: 'partner', payload: { documentId, name: 'participants.xlsx', ...reason } });

    const gone = await call(system, 'GET', `/requests/${id}/documents/${documentId}`, cast.secretariat);
    expect(gone).toMatchObject({ status: 410, body: { code: 'document_removed' } });
    expect(gone.body.message).toMatch(new RegExp(`^'participants.xlsx' was removed on .+ by ${cast.partner.actor.name}: Wrong file`));
    const rows = await system.database.pool.query('select 1 from document_contents where sha256 = $1', [sha256(bytes)]);
    expect(rows.rowCount).toBe(0);
    expect((await call(system, 'POST', `/requests/${id}/documents/${documentId}/removal`, cast.secretariat, reason)).status).toBe(409);
  });

  it('keeps the bytes while another document still has them', async () => {
    const { system, cast } = ctx;
    const [first, second] = [await submit(system, cast), await submit(system, cast)];
    const bytes = pdf(4_000);
    const kept = (await upload(first, cast.partner, bytes)).body.document;
    const removedOne = (await upload(second, cast.partner, bytes)).body.document;
    expect((await call(system, 'POST', `/requests/${second}/documents/${removedOne.documentId}/removal`, cast.secretariat, reason)).status).toBe(200);
    const got = await download(first, kept.documentId, cast.monitor);
    expect(got.status).toBe(200);
    expect(got.bytes.equals(bytes)).toBe(true);
  });

  it('lets a partner remove only what they attached, and nobody else than the partner and the Secretariat', async () => {
    const { system, cast } = ctx;
    const id = await submit(system, cast);
    const bySecretariat = (await upload(id, cast.secretariat, PDF)).body.document;
    const refused = await call(system, 'POST', `/requests/${id}/documents/${bySecretariat.documentId}/removal`, cast.partner, reason);
    expect(refused).toMatchObject({ status: 403, body: { message: "You may remove only documents you attached; ask the Secretariat to remove 'concept-note.pdf'." } });
    expect((await call(system, 'POST', `/requests/${id}/documents/${bySecretariat.documentId}/removal`, cast.monitor, reason)).status).toBe(403);
    const unknown = await call(system, 'POST', `/requests/${id}/documents/00000000-0000-4000-8000-000000000000/removal`, cast.secretariat, reason);
    expect(unknown).toMatchObject({ status: 404, body: { field: 'documentId' } });
    expect((await download(id, bySecretariat.documentId, cast.partner)).status).toBe(200);
  });
});

describe('erasing a document of a request that has ended', () => {
  const why = { reason: 'The list of participants holds their passport numbers; not to be kept.' };

  it('erases its bytes for good, keeps it on record marked erased, and says why to whoever asks for it', async () => {
    const { system, cast } = ctx;
    const [ending, running] = [await submit(system, cast), await submit(system, cast)];
    const bytes = pdf(3_000);
    const document = (await upload(ending, cast.partner, bytes, { name: 'participants.pdf' })).body.document;
    const sameBytesElsewhere = (await upload(running, cast.partner, bytes, { name: 'participants-copy.pdf' })).body.document;
    const erase = (who: Person, requestId = ending, documentId = document.documentId) =>
      call(system, 'POST', `/requests/${requestId}/documents/${documentId}/erasure`, who, why);

    // In progress, a document is removed (a step on record), not erased.
    const early = await erase(cast.secretariat);
    expect(early).toMatchObject({ status: 409, body: { code: 'request_in_progress', message: expect.stringContaining(`/documents/${document.documentId}/removal`) } });
    expect(await storedContents()).toBeGreaterThan(0);
    expect((await call(system, 'POST', `/requests/${ending}/withdrawal`, cast.partner, { reason: 'Covered by another programme.' })).status).toBe(200);

    // Only the Secretariat and administrators erase; refusals change nothing. Each request says who may.
    const mayErase = async (who: Person, requestId = ending) => (await call(system, 'GET', `/requests/${requestId}`, who)).body.allowedActions.includes('erase_document');
    expect([await mayErase(cast.secretariat), await mayErase(cast.admin), await mayErase(cast.partner), await mayErase(cast.monitor)]).toEqual([true, true, false, false]);
    expect(await mayErase(cast.secretariat, running)).toBe(false);
    for (const who of [cast.partner, cast.monitor]) expect((await erase(who)).status).toBe(403);
    expect((await erase(cast.secretariat, ending, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await download(ending, document.documentId, cast.monitor)).status).toBe(200);

    const erased = await erase(cast.secretariat);
    expect(erased.status).toBe(200);
    const mark = { by: { userId: cast.secretariat.actor.userId, name: cast.secretariat.actor.name, role: 'secretariat' }, at: expect.any(String), ...why };
    expect(erased.body.documents).toEqual([{ ...document, erased: mark }]);
    expect((await ctx.system.database.pool.query('select 1 from document_contents where sha256 = $1', [sha256(bytes)])).rowCount).toBe(0);
    const gone = await download(ending, document.documentId, cast.monitor);
    expect(gone.status).toBe(410);
    expect(JSON.parse(gone.bytes.toString())).toMatchObject({ code: 'document_erased', message: expect.stringMatching(/^The bytes of 'participants.pdf' were erased on .+: The list of participants/) });
    expect(await documentsOf(ending)).toEqual([{ ...document, erased: mark }]);
    // Nothing is left to erase there.
    expect(erased.body.allowedActions).not.toContain('erase_document');
    expect(await mayErase(cast.secretariat)).toBe(false);
    // Erasing again is no change: the first erasure stands.
    expect((await erase(cast.admin)).body.documents[0].erased).toEqual(erased.body.documents[0].erased);

    // The same bytes attached elsewhere before are erased with it; attached again since, they are another document's.
    expect((await documentsOf(running))[0].erased).toEqual(mark);
    expect((await download(running, sameBytesElsewhere.documentId, cast.secretariat)).status).toBe(410);
    const third = await submit(system, cast);
    const later = (await upload(third, cast.secretariat, bytes, { name: 'participants-anonymised.pdf' })).body.document;
    expect((await download(third, later.documentId, cast.secretariat)).bytes.equals(bytes)).toBe(true);
    expect((await documentsOf(third))[0].erased).toBeUndefined();
    expect((await download(ending, document.documentId, cast.secretariat)).status).toBe(410);
    const log = await system.database.pool.query("select actor_name, payload from admin_events where type = 'document_erased'");
    expect(log.rows).toEqual([{ actor_name: cast.secretariat.actor.name, payload: { requestId: ending, documentId: document.documentId, sha256: sha256(bytes), ...why } }]);
  });
});

describe('stored bytes', () => {
  it('are read back in slices, whole and in order, however large', async () => {
    const { db } = ctx.system.database;
    const bytes = randomBytes(2.5 * 1024 * 1024);
    await storeDocumentContent(db, sha256Hex(bytes), bytes);
    const slices: Buffer[] = [];
    for await (const slice of documentContentStream(db, sha256Hex(bytes), bytes.length)) slices.push(slice as Buffer);
    expect(slices.map((slice) => slice.length)).toEqual([1024 * 1024, 1024 * 1024, 512 * 1024]);
    expect(Buffer.concat(slices).equals(bytes)).toBe(true);
  });

  it('cannot be stored under another SHA-256 than their own', async () => {
    await expect(storeDocumentContent(ctx.system.database.db, sha256Hex(Buffer.from('other')), Buffer.from('these'))).rejects.toMatchObject({ cause: { constraint: 'document_contents_sha256_matches' } });
  });
});
