/** The partner or the Secretariat attaches a document (its bytes already stored by the API under their SHA-256). */
import type { DocumentFile } from '../request-model';
import { IN_PROGRESS } from './shared-rules';
import { defineStep } from './step-definition';
import { stamp, transition } from './transition';

export type AttachDocumentStep = { action: 'attach_document'; document: DocumentFile };

/** A request keeps at most this many documents, so that its state (carried in every step's answer) stays small. */
export const MAX_DOCUMENTS = 100;

export const attachDocument = defineStep<AttachDocumentStep>({
  action: 'attach_document',
  rule: {
    phases: IN_PROGRESS,
    roles: ['partner', 'secretariat'],
    ownCountryOnly: true,
    ancillary: true,
    precondition: (state) =>
      (state.documents ?? []).length < MAX_DOCUMENTS
        ? null
        : { kind: 'conflict', key: 'error.tooManyDocuments', values: { max: MAX_DOCUMENTS } },
  },
  check: (state, _actor, step) => {
    // The API stores the bytes under this key before it sends the step: a document is never recorded without them.
    if (!/^[0-9a-f]{64}$/.test(step.document.sha256)) {
      return { kind: 'invalid', field: 'sha256', key: 'error.documentSha' };
    }
    // The same file twice is a double click or a mix-up, not a second document.
    const twin = state.documents?.find((d) => d.sha256 === step.document.sha256 && !d.removed);
    return twin
      ? { kind: 'conflict', key: 'error.documentTwin', values: { name: twin.name, at: twin.attached.at, by: twin.attached.by.name } }
      : null;
  },
  apply(state, actor, step, ctx) {
    const { now } = ctx;
    const by = stamp(actor, now);
    if (!ctx.documentId) throw new Error('Attaching a document needs its ID');
    const document = { documentId: ctx.documentId, ...step.document, attached: by };
    return transition(state, { ...state, documents: [...(state.documents ?? []), document] }, actor, now, 'document_attached', { document });
  },
});
