import { approvedBudget, spentBudget } from '../workflows/budget';
import { dueNow } from '../workflows/due-now';
import type { RequestState } from '../workflows/request-model';
import { storedWaitingFor, type StoredWaitingFor } from '../read-model/waiting-for';
import { effectiveVotes } from '../workflows/review-procedures';

/**
 * Facts of a request's state kept as columns of the read model, so that lists, filters and statistics are
 * index scans over narrow columns instead of reads of every request's JSON state. Pure.
 */
export interface ReadModelFacts {
  /** When the latest decision was taken; null before any. */
  decidedAt: string | null;
  /** The deadline somebody is working against now; past it, the request is overdue. */
  dueAt: string | null;
  /** Who must act next, on what (in every language), by when; null once the request ended. Lists show it for every item. */
  waitingFor: StoredWaitingFor | null;
  /** Whether a Steering Committee member objects in the current review. */
  hasObjections: boolean;
  requestedBudgetEur: string;
  approvedBudgetEur: string | null;
  spentBudgetEur: string;
  trainedTotal: number;
  trainedWomen: number;
  trainedMen: number;
}

export function readModelFacts(state: RequestState): ReadModelFacts {
  const approved = approvedBudget(state);
  return {
    decidedAt: state.decisions.at(-1)?.at ?? null,
    dueAt: dueNow(state)?.by ?? null,
    waitingFor: storedWaitingFor(state),
    hasObjections: state.review ? effectiveVotes(state.review).some((vote) => vote.vote === 'objection') : false,
    requestedBudgetEur: String(state.submission.estimatedBudgetEur),
    approvedBudgetEur: approved === null ? null : String(approved),
    spentBudgetEur: String(spentBudget(state.activities)),
    ...peopleTrained(state),
  };
}

/** Participants of the activities held, by sex. */
function peopleTrained(state: RequestState): { trainedTotal: number; trainedWomen: number; trainedMen: number } {
  // 'done' is how activities held before the activity lifecycle existed were recorded.
  const held = state.activities.filter((a) => (a.status === 'held' || (a.status as string) === 'done') && a.participants);
  return {
    trainedTotal: held.reduce((sum, a) => sum + a.participants!.total, 0),
    trainedWomen: held.reduce((sum, a) => sum + a.participants!.women, 0),
    trainedMen: held.reduce((sum, a) => sum + a.participants!.men, 0),
  };
}
