import type { Language } from '../i18n/languages';
import type { DocumentErasure } from '../db/documents-repository';
import { budgetSummary } from '../workflows/budget';
import { allowedActions, conditionList } from '../workflows/request-rules';
import { waitingFor } from '../read-model/waiting-for';
import { currentActivityStatus, type Actor, type RequestState } from '../workflows/request-model';
import { documentErasureRefusal, PERSONAL_FIELDS, seesPersonalData, withoutPersonalData } from './access-rules';
import type { RequestView } from './schemas/request-schemas';

/**
 * A request as the caller sees it: its state, who must act next, and what the caller may do. `erasures` marks the
 * documents whose bytes were erased after the request ended (they are not in the workflow's state: it had ended).
 */
/** `language`: that of `waitingFor.what`, the caller's (the rest holds no words of the API's). */
export function toRequestView(state: RequestState, actor: Actor, erasures: ReadonlyMap<string, DocumentErasure> = new Map(), language: Language = 'en'): RequestView {
  const personal = seesPersonalData(state, actor);
  const visible = personal ? state : withoutPersonalData(state);
  const { requestId, submission, submissionVersions, submitted, policy: _policy, ...rest } = visible;
  return {
    id: requestId,
    ...submission,
    ...rest,
    // Requests decided before conditions became items carried them as one text.
    decisions: rest.decisions.map((decision) => ({ ...decision, conditions: conditionList(decision.conditions) })),
    conditions: rest.conditions ?? [],
    screeningClock: rest.screeningClock ?? null,
    reportingClock: rest.reportingClock ?? null,
    activities: rest.activities.map((a) => ({ ...a, status: currentActivityStatus(a.status) })),
    documents: (rest.documents ?? []).map((document) => {
      const erased = erasures.get(document.documentId);
      return erased ? { ...document, erased } : document;
    }),
    budget: { ...budgetSummary(state), increases: state.budgetIncreases ?? [] },
    submitted,
    contentVersions: submissionVersions,
    waitingFor: waitingFor(state, language),
    allowedActions: [...allowedActions(state, actor), ...(mayEraseDocuments(state, actor, erasures) ? (['erase_document'] as const) : [])],
    restrictedFields: personal ? [] : [...PERSONAL_FIELDS],
  };
}

/** Erasure is no workflow step (the request has ended), but it is something the caller may do: said with the rest. */
const mayEraseDocuments = (state: RequestState, actor: Actor, erasures: ReadonlyMap<string, DocumentErasure>) =>
  documentErasureRefusal(state, actor) === null && (state.documents ?? []).some((document) => !document.removed && !erasures.has(document.documentId));
