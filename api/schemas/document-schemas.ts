import { Type, type TSchema } from '@sinclair/typebox';
import { Text, Uuid } from './common';

/**
 * Documents attached to a request: what may be uploaded, and how a document is described. The bytes travel as the
 * HTTP body (not JSON), with the document's media type as Content-Type.
 */

/** Office documents, PDFs, plain text and pictures: what concept notes, agendas, reports and studies come as. */
export const DOCUMENT_MEDIA_TYPES = [
  'application/pdf',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
  'application/rtf',
  'application/zip',
  'text/plain',
  'text/csv',
  'text/markdown',
  'image/png',
  'image/jpeg',
] as const;
export type DocumentMediaType = (typeof DOCUMENT_MEDIA_TYPES)[number];

/**
 * A body of raw bytes. `contentEncoding: binary` tells the validator (api/validation.ts) to expect bytes rather than
 * JSON, and becomes `format: binary` in the OpenAPI.
 */
export const BinaryBody: TSchema = Type.Unsafe<Buffer>({ type: 'string', contentEncoding: 'binary' });

/** One entry per media type, as OpenAPI and Fastify's per-type body and response schemas take them. */
export const binaryContent = (description: string) =>
  Object.fromEntries(DOCUMENT_MEDIA_TYPES.map((mediaType) => [mediaType, { schema: { ...BinaryBody, description } }]));

export const DocumentIdParams = Type.Object({ id: Uuid, documentId: Uuid });

export const DocumentQuery = Type.Object(
  {
    name: Type.String({
      minLength: 1,
      maxLength: 200,
      // No path separators or control characters: the name is shown to people and offered as a download's file name.
      pattern: '^[^/\\\\\\x00-\\x1f\\x7f]+$',
      description: 'The file name, e.g. concept-note.pdf (no slashes or control characters)',
    }),
    description: Type.Optional(Text(500, 'What the document is, in a sentence')),
  },
  { additionalProperties: false },
);
