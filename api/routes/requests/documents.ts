import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { documentContentStream, eraseDocumentContent, erasuresOf, sha256Hex, storedDocumentSize, storeDocumentContent } from '../../../db/documents-repository';
import type { RequestDocument as StoredDocument } from '../../../workflows/request-model';
import { checkAction } from '../../../workflows/request-rules';
import { commaList } from '../../../i18n/localized';
import { ApiError } from '../../api-error';
import { byteSize } from '../../byte-size';
import { signatureMismatch } from '../../document-signatures';
import { errorResponses, RequestIdParams, StepIdempotencyHeaders } from '../../schemas/common';
import { binaryContent, DOCUMENT_MEDIA_TYPES, DocumentIdParams, DocumentQuery, type DocumentMediaType } from '../../schemas/document-schemas';
import { ReasonBody, RequestDocument, RequestView } from '../../schemas/request-schemas';
import { documentErasureRefusal } from '../../access-rules';
import { loadVisibleRequest } from './load-request';
import { runStep } from './run-step';
import { toRequestView } from '../../request-view';

/**
 * Documents attached to a request: concept notes, terms of reference, agendas, reports, the studies an activity
 * produced. The bytes are the HTTP body and go to Postgres, stored once per content; the workflow records only what
 * the document is (name, type, size, SHA-256) as a step, so it stands in the audit trail like any other.
 */
const documentRoutes: FastifyPluginAsyncTypebox<{ maxBytes: number }> = async (fastify, { maxBytes }) => {
  // The upload in a context of its own, where every body is the document's bytes, whatever its type (JSON and CSV
  // files included); the other routes read JSON as usual.
  await fastify.register(async (context) => {
    const binary = context.withTypeProvider<TypeBoxTypeProvider>();
    binary.removeAllContentTypeParsers();
    binary.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxBytes }, (_request, body, done) => done(null, body));

    binary.post(
      '/requests/:id/documents',
      {
        bodyLimit: maxBytes,
        schema: {
          summary: `Attach a document to a request (the requesting partner, the Secretariat) while it is in progress: the file's bytes as the body, its media type as Content-Type; at most ${byteSize(maxBytes)}`,
          tags: ['documents'],
          params: RequestIdParams,
          querystring: DocumentQuery,
          headers: StepIdempotencyHeaders,
          body: { content: binaryContent('The document’s bytes') },
          response: {
            201: Type.Object({ document: RequestDocument, request: RequestView }),
            ...errorResponses(400, 401, 403, 404, 409, 413, 415),
          },
        },
      },
      async (request, reply) => {
        // As Fastify parsed the Content-Type: lower case, without parameters (`; charset=utf-8`).
        const mediaType = request.mediaType ?? '';
        if (!isDocumentMediaType(mediaType)) {
          const sent = mediaType || request.headers['content-type'];
          throw new ApiError(415, 'unsupported_document_type', {
            key: 'error.documentType',
            values: { types: commaList(DOCUMENT_MEDIA_TYPES), sent: sent ? `'${sent}'` : { key: 'error.noContentType' } },
          });
        }
        const bytes = request.body as Buffer;
        if (bytes.length === 0) {
          throw new ApiError(400, 'empty_document', { key: 'error.emptyDocument' }, { field: 'body' });
        }
        const expected = signatureMismatch(mediaType, bytes);
        if (expected) {
          throw new ApiError(415, 'document_not_of_its_type', { key: 'error.documentNotOfItsType', values: { mediaType, expected: { key: expected } } });
        }
        const { name, description } = request.query;
        const sha256 = sha256Hex(bytes);
        const { view, events } = await runStep(
          fastify,
          request,
          request.params.id,
          { action: 'attach_document', document: { name, mediaType, sizeBytes: bytes.length, sha256, description: description ?? null } },
          request.headers['idempotency-key'],
          // Stored before the workflow records the step, so that a recorded document always has its bytes; and only when
          // the rules allow it (a refused retry under an Idempotency-Key was either taken before, bytes and all, or never).
          async (step, state) => {
            if (checkAction(state, request.actor, step.action) === null) await storeDocumentContent(fastify.db, sha256, bytes);
            return step;
          },
        );
        const document = events[0]?.payload.document as StoredDocument;
        // Bytes erased meanwhile because the same file was removed from another request: store them again.
        if (document.sha256 === sha256 && (await storedDocumentSize(fastify.db, sha256)) === null) await storeDocumentContent(fastify.db, sha256, bytes);
        return reply
          .status(201)
          .header('location', `/requests/${request.params.id}/documents/${document.documentId}`)
          .send({ document, request: view });
      },
    );
  });

  fastify.post(
    '/requests/:id/documents/:documentId/removal',
    {
      schema: {
        summary:
          'Remove a document (the Secretariat, or the partner who attached it), with the reason: it stays on record, is no longer downloadable, and its bytes are erased unless another document has them',
        tags: ['documents'],
        params: DocumentIdParams,
        headers: StepIdempotencyHeaders,
        body: ReasonBody,
        response: { 200: RequestView, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      (await runStep(fastify, request, request.params.id, { action: 'remove_document', documentId: request.params.documentId, reason: request.body.reason }, request.headers['idempotency-key'])).view,
  );

  fastify.post(
    '/requests/:id/documents/:documentId/erasure',
    {
      schema: {
        summary:
          'Erase a document’s bytes for good once the request has ended (the Secretariat, administrators), with the reason: for a file attached by mistake, or personal data that must not be kept. The document stays on record, marked erased; the same bytes attached to other requests before now are erased with it',
        description: 'While the request is in progress, remove the document instead (POST …/removal): that is a step on record, and erases its bytes too.',
        tags: ['documents'],
        params: DocumentIdParams,
        body: ReasonBody,
        response: { 200: RequestView, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { actor } = request;
      const state = await loadVisibleRequest(fastify, request.params.id, actor);
      const refusal = documentErasureRefusal(state, actor, request.params.documentId);
      if (refusal?.status === 403) throw new ApiError(refusal.status, refusal.code, refusal.localized);
      const document = state.documents?.find((d) => d.documentId === request.params.documentId);
      if (!document) throw documentNotFound(request.params.id, request.params.documentId);
      if (refusal) throw new ApiError(refusal.status, refusal.code, refusal.localized);
      await eraseDocumentContent(fastify.db, {
        sha256: document.sha256,
        requestId: state.requestId,
        documentId: document.documentId,
        by: { userId: actor.userId, name: actor.name, role: actor.role },
        reason: request.body.reason,
      });
      request.log.info({ requestId: state.requestId, documentId: document.documentId }, 'Document bytes erased');
      return toRequestView(state, actor, await erasuresOf(fastify.db, state.documents ?? []), request.language);
    },
  );

  fastify.get(
    '/requests/:id/documents/:documentId',
    {
      // The stored bytes with their stored length and hash (ETag), as attached; most kinds are compressed already.
      compress: false,
      schema: {
        summary: 'Download a document of a request (everyone who may see the request)',
        tags: ['documents'],
        params: DocumentIdParams,
        response: { 200: { content: binaryContent('The document, as attached') }, ...errorResponses(401, 404, 410) },
      },
    },
    async (request, reply) => {
      const state = await loadVisibleRequest(fastify, request.params.id, request.actor);
      const document = state.documents?.find((d) => d.documentId === request.params.documentId);
      if (document?.removed) {
        const { at, by, reason } = document.removed;
        throw new ApiError(410, 'document_removed', { key: 'error.documentRemoved', values: { name: document.name, at, by: by.name, reason } });
      }
      const erased = document ? (await erasuresOf(fastify.db, [document])).get(document.documentId) : undefined;
      if (document && erased) {
        throw new ApiError(410, 'document_erased', { key: 'error.documentErased', values: { name: document.name, at: erased.at, by: erased.by.name, reason: erased.reason } });
      }
      const stored = document ? await storedDocumentSize(fastify.db, document.sha256) : null;
      if (!document || stored === null) throw documentNotFound(request.params.id, request.params.documentId);
      return reply
        .header('content-type', document.mediaType)
        .header('content-length', stored)
        .header('content-disposition', attachmentNamed(document.name))
        .header('etag', `"${document.sha256}"`)
        // Always a download, never rendered in the API's origin: a document is the uploader's content, not ours.
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        // Not kept by browsers or proxies: a document may hold what should not linger, and may be removed later.
        .header('cache-control', 'private, no-store')
        .send(documentContentStream(fastify.db, document.sha256, stored));
    },
  );
};

export default documentRoutes;

const documentNotFound = (requestId: string, documentId: string) =>
  new ApiError(404, 'document_not_found', { key: 'error.documentNotFound', values: { requestId, documentId } });

const isDocumentMediaType = (mediaType: string): mediaType is DocumentMediaType => (DOCUMENT_MEDIA_TYPES as readonly string[]).includes(mediaType);

/** RFC 6266: an ASCII fallback name, and the real one in UTF-8 (RFC 8187) for names like "note-Sénégal.pdf". */
function attachmentNamed(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
