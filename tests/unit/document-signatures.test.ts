import { describe, expect, it } from 'vitest';
import { signatureMismatch } from '../../api/document-signatures';
import { DOCUMENT_MEDIA_TYPES } from '../../api/schemas/document-schemas';
import { translate } from '../../i18n/messages';

const bytes = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part))));
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const ZIP = [0x50, 0x4b, 0x03, 0x04];

describe('a document is what its media type says', () => {
  it.each([
    ['application/pdf', bytes('%PDF-1.7\n', [0xe2, 0xe3, 0xcf, 0xd3])],
    ['application/msword', bytes(OLE2, 'rest')],
    ['application/vnd.ms-excel', bytes(OLE2)],
    ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', bytes(ZIP, '[Content_Types].xml')],
    ['application/vnd.oasis.opendocument.text', bytes(ZIP, 'mimetypeapplication/vnd.oasis.opendocument.text')],
    ['application/zip', bytes([0x50, 0x4b, 0x05, 0x06], [0, 0, 0, 0])],
    ['application/rtf', bytes('{\\rtf1\\ansi Hello}')],
    ['image/png', bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'IHDR')],
    ['image/jpeg', bytes([0xff, 0xd8, 0xff, 0xe0])],
    ['text/csv', Buffer.from('Pays,Participants\nSénégal,40\n', 'utf8')],
    ['text/markdown', Buffer.from('# Termes de référence ✓', 'utf8')],
  ] as const)('%s', (mediaType, content) => {
    expect(signatureMismatch(mediaType, content)).toBeNull();
  });

  it.each([
    ['application/pdf', bytes('MZ\x90\x00'), 'a PDF (it starts with %PDF-)'],
    ['application/pdf', bytes('%PD'), 'a PDF (it starts with %PDF-)'],
    ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', bytes(OLE2), 'a ZIP-based file (it starts with PK)'],
    ['application/msword', bytes(ZIP), 'an Office 97–2003 file'],
    ['image/png', bytes([0xff, 0xd8, 0xff]), 'a PNG image'],
    ['text/plain', Buffer.from('Sénégal', 'latin1'), 'UTF-8 text'],
    ['text/csv', bytes('a,b\n', [0], 'c'), 'UTF-8 text'],
  ] as const)('refuses %s that is not one', (mediaType, content, looksLike) => {
    const expected = signatureMismatch(mediaType, content);
    expect(expected && translate('en', expected)).toBe(looksLike);
  });

  it('has a signature for every accepted media type', () => {
    for (const mediaType of DOCUMENT_MEDIA_TYPES) expect(() => signatureMismatch(mediaType, Buffer.alloc(0))).not.toThrow();
    expect(translate('fr', signatureMismatch('application/rtf', Buffer.alloc(0))!)).toBe('un fichier RTF (qui commence par {\\rtf)');
  });
});
