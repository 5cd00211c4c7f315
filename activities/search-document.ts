import type { RequestState } from '../workflows/request-model';

/**
 * The text full-text search reads for a request: its content, what was decided and why, what it taught, and the
 * names and descriptions of its documents (not their contents).
 * Personal data (contact details) never enters it, so search cannot reveal it.
 */
export function searchDocumentOf(state: RequestState): string {
  const s = state.submission;
  return [
    s.title,
    s.description,
    s.objectives,
    s.expectedOutcomes,
    state.screeningNote,
    ...state.decisions.map((d) => d.rationale),
    ...state.activities.map((a) => a.title),
    ...(state.documents ?? []).filter((d) => !d.removed).flatMap((d) => [d.name, d.description]),
    state.closure?.lessonsLearned,
    ...(state.closure?.goodPractices ?? []),
  ]
    .filter((part): part is string => typeof part === 'string' && part.length > 0)
    .join('\n');
}
