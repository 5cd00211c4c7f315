import type { MessageKey } from '../i18n/messages';
import type { DocumentMediaType } from './schemas/document-schemas';

/**
 * Whether a document's bytes are what its Content-Type says: each binary format by the signature its files start
 * with, text by being UTF-8. It keeps a renamed program or a mislabelled file from being offered to others as a
 * PDF or a spreadsheet. It is a check of the label, not a virus scan.
 */

interface Signature {
  /** How people know the format, for the error: "a PDF" (catalog `error.looksLike.*`). */
  looksLike: MessageKey;
  matches: (bytes: Buffer) => boolean;
}

const startingWith = (looksLike: MessageKey, ...prefixes: Array<string | number[]>): Signature => {
  const candidates = prefixes.map((prefix) => (typeof prefix === 'string' ? Buffer.from(prefix, 'latin1') : Buffer.from(prefix)));
  return { looksLike, matches: (bytes) => candidates.some((prefix) => bytes.subarray(0, prefix.length).equals(prefix)) };
};

const utf8 = new TextDecoder('utf-8', { fatal: true });
const TEXT: Signature = {
  looksLike: 'error.looksLike.text',
  matches: (bytes) => {
    if (bytes.includes(0)) return false;
    try {
      utf8.decode(bytes);
      return true;
    } catch {
      return false;
    }
  },
};

const PDF = startingWith('error.looksLike.pdf', '%PDF-');
/** Word 97–2003, Excel, PowerPoint: OLE2 compound files. */
const OLE2 = startingWith('error.looksLike.ole2', [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
/** .docx, .xlsx, .pptx, OpenDocument and plain ZIP files are all ZIP archives (an empty one starts differently). */
const ZIP = startingWith('error.looksLike.zip', [0x50, 0x4b, 0x03, 0x04], [0x50, 0x4b, 0x05, 0x06]);

const SIGNATURES: Record<DocumentMediaType, Signature> = {
  'application/pdf': PDF,
  'application/msword': OLE2,
  'application/vnd.ms-excel': OLE2,
  'application/vnd.ms-powerpoint': OLE2,
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ZIP,
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ZIP,
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': ZIP,
  'application/vnd.oasis.opendocument.text': ZIP,
  'application/vnd.oasis.opendocument.spreadsheet': ZIP,
  'application/vnd.oasis.opendocument.presentation': ZIP,
  'application/zip': ZIP,
  'application/rtf': startingWith('error.looksLike.rtf', '{\\rtf'),
  'image/png': startingWith('error.looksLike.png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  'image/jpeg': startingWith('error.looksLike.jpeg', [0xff, 0xd8, 0xff]),
  'text/plain': TEXT,
  'text/csv': TEXT,
  'text/markdown': TEXT,
};

/** Null when the bytes match the media type; otherwise what a file of that type would look like. */
export function signatureMismatch(mediaType: DocumentMediaType, bytes: Buffer): MessageKey | null {
  const signature = SIGNATURES[mediaType];
  return signature.matches(bytes) ? null : signature.looksLike;
}
