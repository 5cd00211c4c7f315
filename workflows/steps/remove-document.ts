/** A document is removed (a wrong file, personal data): it stays on record; the workflow then erases its bytes. */
import { IN_PROGRESS } from './shared-rules';
import { defineStep } from './step-definition';
import { stamp, transition } from './transition';

export type RemoveDocumentStep = { action: 'remove_document'; documentId: string; reason: string };

export const removeDocument = defineStep<RemoveDocumentStep>({
  action: 'remove_document',
  rule: {
    phases: IN_PROGRESS,
    roles: ['partner', 'secretariat'],
    ownCountryOnly: true,
    describe: 'remove a document',
    ancillary: true,
    precondition: (state) =>
      (state.documents ?? []).some((d) => !d.removed) ? null : { kind: 'conflict', message: 'This request has no documents to remove.' },
  },
  check: (state, actor, step) => {
    const document = state.documents?.find((d) => d.documentId === step.documentId);
    if (!document) return { kind: 'not_found', field: 'documentId', message: `This request has no document ${step.documentId}.` };
    if (document.removed) return { kind: 'conflict', message: `'${document.name}' was already removed on ${document.removed.at} by ${document.removed.by.name}.` };
    if (actor.role === 'partner' && document.attached.by.userId !== actor.userId) {
      return { kind: 'forbidden', message: `You may remove only documents you attached; ask the Secretariat to remove '${document.name}'.` };
    }
    return null;
  },
  apply(state, actor, step, { now }) {
    const by = stamp(actor, now);
    const removed = { ...by, reason: step.reason };
    const documents = (state.documents ?? []).map((d) => (d.documentId === step.documentId ? { ...d, removed } : d));
    const document = documents.find((d) => d.documentId === step.documentId)!;
    return transition(state, { ...state, documents }, actor, now, 'document_removed', {
      documentId: step.documentId,
      name: document.name,
      sha256: document.sha256,
      reason: step.reason,
    });
  },
});
