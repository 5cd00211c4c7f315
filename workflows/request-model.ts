/**
 * The shape of a capacity-building request as the workflow holds it. Pure types: imported by the workflow,
 * the activities (to project it into Postgres) and the API (to answer with it).
 */

export const PHASES = [
  'screening',
  'awaiting_information',
  'review',
  'approval',
  'revision_requested',
  'implementation',
  'monitoring',
  'completed',
  'rejected',
  'withdrawn',
  'cancelled',
] as const;
export type Phase = (typeof PHASES)[number];

export const TERMINAL_PHASES: readonly Phase[] = ['completed', 'rejected', 'withdrawn', 'cancelled'];

export const ROLES = ['partner', 'secretariat', 'sc_member', 'chair', 'monitor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Roles that speak for a country and therefore must carry one. */
export const COUNTRY_BOUND_ROLES: readonly Role[] = ['partner', 'sc_member'];

export const ACTIVITY_TYPES = [
  'training',
  'workshop',
  'study',
  'expert_mission',
  'study_visit',
  'technical_assistance',
  'peer_exchange',
] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

/** Who did something. The API authenticates the person; the workflow trusts what the API passes. */
export interface Actor {
  userId: string;
  name: string;
  role: Role;
  country: string | null;
  /** For a chair: the term of office that covers the moment the API authenticated them, if any. */
  chairTerm?: { startsAt: string; endsAt: string } | null;
}

/** Who an event or a stamp names: a person with their role, or the system itself. */
export interface ActorRef {
  userId: string;
  name: string;
  role: Role | 'system';
}

/** The system itself acts when a timer fires or a rule completes a step (e.g. review closing). */
export const SYSTEM_ACTOR: ActorRef = { userId: 'system', name: 'system', role: 'system' };

export interface Submission {
  title: string;
  description: string;
  country: string;
  /** Cadiz Action Plan action area, 1–5. */
  domain: number;
  activityType: ActivityType;
  objectives: string;
  expectedOutcomes: string;
  estimatedBudgetEur: number;
  preferredPeriod: string | null;
  /** Personal data: who to contact about the request. Absent in requests submitted before it existed. */
  contact?: Contact | null;
}

export interface Contact {
  name: string;
  email: string;
  phone?: string | null;
}

export type SubmissionChanges = Partial<Omit<Submission, 'country'>>;

export interface Stamp {
  by: ActorRef;
  at: string;
}

export interface InformationExchange {
  question: string;
  requested: Stamp;
  response: string | null;
  responded: Stamp | null;
}

export const VOTES = ['no_objection', 'objection', 'abstain'] as const;
export type VoteValue = (typeof VOTES)[number];

export interface Reviewer {
  userId: string;
  name: string;
  country: string | null;
  /** A member does not review a request from the country they represent. */
  conflicted: boolean;
}

export interface Vote extends Stamp {
  vote: VoteValue;
  comment: string | null;
}

export interface Review {
  openedAt: string;
  deadline: string;
  reviewers: Reviewer[];
  votes: Vote[];
  closedAt: string | null;
  closedBecause: 'all_voted' | 'deadline_passed' | null;
}

export const DECISIONS = ['approve', 'reject', 'request_revision'] as const;
export type DecisionValue = (typeof DECISIONS)[number];

export interface Decision extends Stamp {
  decision: DecisionValue;
  rationale: string;
  conditions: string | null;
  approvedBudgetEur: number | null;
}

export const ACTIVITY_STATUSES = ['planned', 'done', 'cancelled'] as const;
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];

export interface ImplementationActivity {
  activityId: string;
  type: ActivityType;
  title: string;
  startDate: string;
  endDate: string;
  location: string;
  budgetEur: number;
  status: ActivityStatus;
  planned: Stamp;
  updated: Stamp | null;
}

export const REPORT_KINDS = ['progress', 'final'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export interface Report extends Stamp {
  kind: ReportKind;
  summary: string;
  indicators: Record<string, string | number> | null;
}

export interface Ending extends Stamp {
  reason: string;
}

export interface RequestState {
  requestId: string;
  /** Number of events so far; every event carries the version it produced. */
  version: number;
  phase: Phase;
  submission: Submission;
  /** Every version of the content, oldest first; the last is the current one. */
  submissionVersions: Array<{ submission: Submission } & Stamp>;
  submitted: Stamp;
  screeningNote: string | null;
  informationExchanges: InformationExchange[];
  review: Review | null;
  decisions: Decision[];
  activities: ImplementationActivity[];
  implementationCompleted: (Stamp & { note: string | null }) | null;
  reports: Report[];
  closure: (Stamp & { lessonsLearned: string }) | null;
  /** Why a request ended early (rejected, withdrawn, cancelled). */
  ending: Ending | null;
  updatedAt: string;
}

/** One entry of the append-only audit trail. */
export interface DomainEvent {
  seq: number;
  type: string;
  actor: ActorRef;
  at: string;
  phaseBefore: Phase;
  phaseAfter: Phase;
  payload: Record<string, unknown>;
}
