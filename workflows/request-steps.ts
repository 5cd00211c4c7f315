import type {
  ActivityStatus,
  BudgetLine,
  Deliverable,
  DocumentFile,
  LegacyActivityStatus,
  Participants,
  Venue,
  ActivityType,
  DecisionValue,
  Indicators,
  ReportKind,
  SubmissionChanges,
  VoteValue,
} from './request-model';

/**
 * Every human step on a request, as one discriminated union. The API builds these from HTTP bodies; the
 * workflow validates and applies them; the rules module says who may take which, when.
 */
export type Step =
  | { action: 'screen'; outcome: 'accept' | 'request_information' | 'reject'; note: string }
  | { action: 'provide_information'; response: string }
  | { action: 'vote'; vote: VoteValue; comment: string | null }
  | {
      action: 'decide';
      decision: DecisionValue;
      rationale: string;
      /** Items to meet before implementation starts; a single string in steps taken before 2026-11. */
      conditions: string[] | string | null;
      approvedBudgetEur: number | null;
      /** With request_revision: the points the partner must answer. */
      points?: string[];
      /** Set when the decision is one of a meeting's minutes (workflows/meeting-minutes.ts): which meeting took it. */
      meetingId?: string;
    }
  | { action: 'revise'; changes: SubmissionChanges; answers?: string[] }
  | { action: 'extend_information_deadline'; until: string; reason: string }
  | { action: 'extend_review'; until: string; reason: string }
  | { action: 'close_review'; reason: string }
  | { action: 'meet_condition'; conditionIndex: number; note: string }
  | { action: 'correct_decision'; note: string }
  | {
      action: 'plan_activity';
      type: ActivityType;
      title: string;
      startDate: string;
      endDate: string;
      location: string;
      budgetEur: number;
      language?: string | null;
      experts?: string[];
      budgetLines?: BudgetLine[];
      venue?: Venue | null;
    }
  | {
      action: 'update_activity';
      activityId: string;
      status: Exclude<ActivityStatus, 'planned'> | LegacyActivityStatus;
      /** postponed, cancelled */
      reason?: string | null;
      /** postponed: the new dates */
      startDate?: string;
      endDate?: string;
      /** held */
      participants?: Participants;
      deliverables?: Deliverable[];
      spentEur?: number;
    }
  | { action: 'increase_budget'; approvedBudgetEur: number; rationale: string }
  | { action: 'complete_implementation'; note: string | null }
  | { action: 'submit_report'; kind: ReportKind; summary: string; indicators: Indicators | null }
  | { action: 'accept_report'; reportIndex: number }
  | { action: 'return_report'; reportIndex: number; comments: string }
  | { action: 'close'; lessonsLearned: string; goodPractices?: string[] }
  | { action: 'attach_document'; document: DocumentFile }
  | { action: 'remove_document'; documentId: string; reason: string }
  | { action: 'withdraw'; reason: string }
  | { action: 'cancel'; reason: string };

export type Action = Step['action'];

export const ACTIONS: readonly Action[] = [
  'screen',
  'provide_information',
  'vote',
  'decide',
  'revise',
  'plan_activity',
  'update_activity',
  'complete_implementation',
  'submit_report',
  'close',
  'withdraw',
  'cancel',
  'extend_information_deadline',
  'extend_review',
  'close_review',
  'meet_condition',
  'correct_decision',
  'increase_budget',
  'accept_report',
  'return_report',
  'attach_document',
  'remove_document',
];
