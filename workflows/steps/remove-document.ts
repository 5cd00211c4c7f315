/** A document is removed (a wrong file, personal data): it stays on record; the workflow then erases its bytes. */
import { IN_PROGRESS } from './shared-rules';
import type { Refusal } from '../rules/refusal';
import { defineStep } from './step-definition';
import { stamp, transition } from './transition';

export type RemoveDocumentStep = { action: 'remove_document'; documentId: string; reason: string };

export const removeDocument = defineStep<RemoveDocumentStep>({
  action: 'remove_document',
  rule: {
    phases: IN_PROGRESS,
    roles: ['partner', 'secretariat'],
    ownCountryOnly: true,
    ancillary: true,
    precondition: (state) =>
      (state.documents ?? []).some((d) => !d.removed) ? null : { kind: 'conflict', key: 'error.noDocumentsToRemove' },
  },
  check: (state, actor, step): Refusal | null => {
    const document = state.documents?.find((d) => d.documentId === step.documentId);
    if (!document) return { kind: 'not_found', field: 'documentId', key: 'error.noSuchDocument', values: { documentId: step.documentId } };
    if (document.removed) {
      return { kind: 'conflict', key: 'error.documentAlreadyRemoved', values: { name: document.name, at: document.removed.at, by: document.removed.by.name } };
    }
    if (actor.role === 'partner' && document.attached.by.userId !== actor.userId) {
      return { kind: 'forbidden', key: 'error.removeOwnOnly', values: { name: document.name } };
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
