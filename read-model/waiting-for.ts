import { dueNow } from '../workflows/due-now';
import type { RequestState, Reviewer, Role } from '../workflows/request-model';

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

/** Who must act next, and by when: the first thing a person asks about a request. */
export function waitingFor(state: RequestState): WaitingFor | null {
  const step = nextStep(state);
  return step === null ? null : { ...wording(state, step), deadline: dueNow(state)?.by ?? null };
}

function wording(state: RequestState, step: NextStep): Omit<WaitingFor, 'deadline'> {
  // The submission is read only where it is worded: callers may pass a partial state for the other steps.
  const country = () => state.submission.country;
  switch (step) {
    case 'screen':
      return { roles: ['secretariat'], what: 'The Secretariat screens the request.' };
    case 'answer_questions':
      return { roles: ['partner'], what: `${country()}'s focal point answers the Secretariat's questions.` };
    case 'vote': {
      const pending = pendingReviewers(state);
      return { roles: ['sc_member'], what: `Steering Committee members vote (${pending.length} still to vote: ${pending.map((r) => r.name).join(', ') || 'none'}).` };
    }
    case 'decide':
      return { roles: ['chair'], what: 'The Chair approves, rejects or asks for a revision.' };
    case 'revise':
      return { roles: ['partner'], what: `${country()}'s focal point revises the request.` };
    case 'implement':
      return { roles: ['secretariat'], what: 'The Secretariat implements the planned activities.' };
    case 'final_report':
      return { roles: ['partner', 'secretariat'], what: 'The final report is due.' };
    case 'revise_final_report':
      return { roles: ['partner', 'secretariat'], what: 'The final report was returned for changes; a revised one is due.' };
    case 'review_final_report':
      return { roles: ['secretariat'], what: 'The Secretariat accepts the final report or returns it for changes.' };
    case 'close':
      return { roles: ['secretariat'], what: 'The Secretariat closes the request with lessons learned.' };
  }
}

/** A request reaches the Steering Committee when review opens, and stays in its sight from then on. */
export function reachedCommittee(state: RequestState): boolean {
  return state.review !== null || state.decisions.length > 0;
}
