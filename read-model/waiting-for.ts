import { dueNow } from '../workflows/due-now';
import type { RequestState, Reviewer, Role } from '../workflows/request-model';
import { LANGUAGES, type Language } from '../i18n/languages';
import { translate } from '../i18n/messages';

/**
 * What people and the read model are told about a request: who must act next, on what, by when. Not part of the
 * workflow (nothing here decides what a request does), so it changes without a patch. The deadline is what is due
 * now (workflows/due-now.ts), the same date as the read model's `due_at` and the workflow's timers.
 */

export interface WaitingFor {
  roles: Role[];
  what: string;
  deadline: string | null;
}

/** What a request waits for now, by kind: the one place that decides it (waitingFor words it; e-mails translate it). */
export type NextStep =
  | 'screen'
  | 'answer_questions'
  | 'vote'
  | 'decide'
  | 'revise'
  | 'implement'
  | 'final_report'
  | 'revise_final_report'
  | 'review_final_report'
  | 'close';

export function nextStep(state: RequestState): NextStep | null {
  switch (state.phase) {
    case 'screening':
      return 'screen';
    case 'awaiting_information':
      return 'answer_questions';
    case 'review':
      return 'vote';
    case 'approval':
      return 'decide';
    case 'revision_requested':
      return 'revise';
    case 'implementation':
      return 'implement';
    case 'monitoring': {
      const finals = state.reports.filter((r) => r.kind === 'final');
      const latest = finals.at(-1);
      if (!latest) return 'final_report';
      // Before report reviews (2026-11) a final report had no status: it sufficed for closure.
      if (latest.status === undefined || finals.some((r) => r.status === 'accepted')) return 'close';
      return latest.status === 'returned' ? 'revise_final_report' : 'review_final_report';
    }
    default:
      return null;
  }
}

/** The committee members who may vote and have not yet. */
export function pendingReviewers(state: RequestState): Reviewer[] {
  const voted = new Set(state.review?.votes.map((v) => v.by.userId));
  return (state.review?.reviewers ?? []).filter((r) => !r.conflicted && !voted.has(r.userId));
}

/** Who must act next, and by when: the first thing a person asks about a request; `what` in `language`. */
export function waitingFor(state: RequestState, language: Language = 'en'): WaitingFor | null {
  const step = nextStep(state);
  return step === null ? null : { roles: ROLES_OF[step], what: nextStepWords(state, step, language), deadline: dueNow(state)?.by ?? null };
}

/**
 * As the read model keeps it (`requests.waiting_for`): `what` in English, as it always was, and in every language
 * (`whatIn`), so that a list reads it in its reader's language without reading each request's state. Rows written
 * before `whatIn` lack it until their next event; their readers word it from the state.
 */
export interface StoredWaitingFor extends WaitingFor {
  whatIn?: Partial<Record<Language, string>>;
}

export function storedWaitingFor(state: RequestState): StoredWaitingFor | null {
  const step = nextStep(state);
  if (step === null) return null;
  const whatIn = Object.fromEntries(LANGUAGES.map((language) => [language, nextStepWords(state, step, language)]));
  return { ...waitingFor(state, 'en')!, whatIn };
}

/** The stored column as a reader of `language` reads it; undefined when it was stored without that language. */
export function storedInLanguage(stored: StoredWaitingFor, language: Language): WaitingFor | undefined {
  const what = stored.whatIn?.[language];
  return what === undefined ? undefined : { roles: stored.roles, what, deadline: stored.deadline };
}

const ROLES_OF: Record<NextStep, Role[]> = {
  screen: ['secretariat'],
  answer_questions: ['partner'],
  vote: ['sc_member'],
  decide: ['chair'],
  revise: ['partner'],
  implement: ['secretariat'],
  final_report: ['partner', 'secretariat'],
  revise_final_report: ['partner', 'secretariat'],
  review_final_report: ['secretariat'],
  close: ['secretariat'],
};

/** The next step in words (the catalogs' `next.*`): the read model, the API's answers and the e-mails say it so. */
export function nextStepWords(state: RequestState, step: NextStep, language: Language): string {
  // The submission is read only where it is worded: callers may pass a partial state for the other steps.
  if (step === 'answer_questions' || step === 'revise') return translate(language, `next.${step}`, { country: state.submission.country });
  if (step === 'vote') {
    const pending = pendingReviewers(state);
    return translate(language, 'next.vote', { count: pending.length, names: pending.map((r) => r.name).join(', ') || translate(language, 'next.voteNone') });
  }
  return translate(language, `next.${step}`);
}

/** A request reaches the Steering Committee when review opens, and stays in its sight from then on. */
export function reachedCommittee(state: RequestState): boolean {
  return state.review !== null || state.decisions.length > 0;
}
