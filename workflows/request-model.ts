import type { EventType } from './event-types';
/**
 * The shape of a capacity-building request as the workflow holds it. Pure types: imported by the workflow,
 * the activities (to project it into Postgres) and the API (to answer with it).
 *
 * Longer than 300 lines on purpose: it is the one place a reader sees a request's whole state, each part beside the
 * parts it refers to (a review's votes, a decision's conditions, an activity's participants), and nothing but types
 * and their value lists. Split by part, every change to the state would be read across a dozen files.
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
  /** Action area of the plan, 1–5 (the same five areas in the Cadiz, Marrakesh and Valletta plans). */
  domain: number;
  /**
   * The multi-annual action plan in force when the request was submitted (its ID in the reference data), set by
   * the API; absent in requests submitted before plans were reference data, null when none was in force.
   */
  actionPlan?: string | null;
  /** The plan's objective the request serves (its code, e.g. "5a"), under `domain`; null or absent when not given. */
  objective?: string | null;
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
  /** The partner's deadline to answer (absent under policies without one). */
  clock?: Clock | null;
}

/**
 * A deadline with its reminder. `remindAt` null: no reminder. The flags make each reminder and each expiry
 * happen once, whatever replays or retries do.
 */
export interface Clock {
  deadline: string;
  remindAt: string | null;
  reminded: boolean;
  expired: boolean;
  /** Set while the clock is paused (screening, while waiting for the partner's answer). */
  pausedAt?: string | null;
  extensions: Array<Stamp & { deadline: string; reason: string }>;
}

export const REVIEW_PROCEDURES = ['chair_decides', 'no_objection', 'majority'] as const;
/**
 * `no_objection`: the written no-objection procedure — silence until the deadline is consent; any objection
 * sends the request to the Chair. `majority`: with a quorum, a majority of votes cast decides approval; a tie or
 * a missed quorum goes to the Chair. `chair_decides`: the Chair decides after every review (how every request before 2026-11 was reviewed).
 */
export type ReviewProcedure = (typeof REVIEW_PROCEDURES)[number];

/** Durations and procedures, copied into the workflow at submission so config changes never alter a running request. */
export interface RequestPolicy {
  /** ISO-8601 duration of the Steering Committee review, e.g. P14D. */
  reviewPeriod: string;
  /** Absent in requests submitted before procedures existed: they follow `chair_decides`. */
  reviewProcedure?: ReviewProcedure;
  /** For `majority`: the share of eligible members who must vote, 0–1. */
  reviewQuorum?: number;
  /** Reminder to members who have not voted, this long before the deadline. */
  reviewReminderLead?: string;
  /** Screening deadline; its days are working days (see working-time.ts). */
  screeningPeriod?: string;
  screeningReminderLead?: string;
  /** The partner's deadline to answer a request for information; after it the request is withdrawn. */
  informationPeriod?: string;
  informationReminderLead?: string;
  /** During implementation a progress report is due this often; reminders this long before each due date. */
  progressReportInterval?: string;
  /** The final report is due this long after implementation completes. */
  finalReportWithin?: string;
  reportReminderLead?: string;
  /**
   * A run's history length at which the request continues as a new run (state carried over), well below
   * Temporal's limits; Temporal's own suggestion to continue also counts. Default 2,000 events.
   */
  historyLimit?: number;
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

export type ReviewClosure = 'all_voted' | 'deadline_passed' | 'objection_raised' | 'closed_by_chair';

export interface Review {
  openedAt: string;
  deadline: string;
  reviewers: Reviewer[];
  /** Every vote cast, in order; a member's last vote is the one that counts. */
  votes: Vote[];
  closedAt: string | null;
  closedBecause: ReviewClosure | null;
  /** Absent in reviews opened before procedures existed. */
  procedure?: ReviewProcedure;
  /** For `majority`: how many votes make a quorum. */
  quorum?: number | null;
  remindAt?: string | null;
  reminded?: boolean;
  extensions?: Array<Stamp & { deadline: string; reason: string }>;
  /** How it ended: approved by the procedure itself, or handed to the Chair (and why). */
  outcome?: { result: 'approved_by_procedure' | 'to_chair'; reason: string } | null;
}

export const DECISIONS = ['approve', 'reject', 'request_revision'] as const;
export type DecisionValue = (typeof DECISIONS)[number];

export interface Decision extends Stamp {
  decision: DecisionValue;
  rationale: string;
  /** Conditions of an approval: items the Secretariat marks as met before implementation starts. */
  conditions: string[];
  approvedBudgetEur: number | null;
  /** Points the partner must answer in a revision. */
  points?: string[];
  /** True when the review procedure itself approved (no Chair involved). */
  byProcedure?: boolean;
  /** The meeting whose minutes took the decision (since 2026-12; absent: taken on its own). */
  meetingId?: string;
  /** A decision is never edited: corrections are recorded next to it, each an event of its own. */
  corrections?: Array<Stamp & { note: string }>;
}

export interface Condition {
  text: string;
  met: (Stamp & { note: string }) | null;
}

/**
 * planned → confirmed → held; or postponed (new dates, reason) and then confirmed again; or cancelled (reason).
 * Held and cancelled are final.
 */
export const ACTIVITY_STATUSES = ['planned', 'confirmed', 'held', 'postponed', 'cancelled'] as const;
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];
/** Steps taken before the activity lifecycle (2026-11) marked an activity 'done'; it reads as 'held'. */
export type LegacyActivityStatus = 'done';

/** The status as it reads now, for a status a step names or a stored activity carries (old ones may say 'done'). */
export const currentActivityStatus = (status: ActivityStatus | LegacyActivityStatus): ActivityStatus => (status === 'done' ? 'held' : status);

export interface Participants {
  total: number;
  women: number;
  men: number;
  institutions: number;
}

export interface Deliverable {
  title: string;
  kind: string;
  link: string | null;
}

export interface Venue {
  online: boolean;
  country: string | null;
  city: string | null;
}

export interface BudgetLine {
  label: string;
  amountEur: number;
}

export interface ImplementationActivity {
  activityId: string;
  type: ActivityType;
  title: string;
  startDate: string;
  endDate: string;
  /** City and country, or "online", as people write it. */
  location: string;
  /** The same, structured: where in the partner countries, or online. */
  venue?: Venue | null;
  language?: string | null;
  experts?: string[];
  budgetEur: number;
  budgetLines?: BudgetLine[];
  status: ActivityStatus;
  planned: Stamp;
  updated: Stamp | null;
  /** Why it was postponed or cancelled. */
  reason?: string | null;
  /** What a held activity cost, reached and produced. */
  spentEur?: number | null;
  participants?: Participants | null;
  deliverables?: Deliverable[];
}

export interface BudgetIncrease extends Stamp {
  fromEur: number;
  toEur: number;
  rationale: string;
}

export const REPORT_KINDS = ['progress', 'final'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** An indicator measured against the request's objectives, disaggregated by sex where it applies. */
export interface Indicator {
  name: string;
  unit: string;
  target: number | null;
  achieved: number;
  women?: number | null;
  men?: number | null;
}

/** Indicators as a list; reports before 2026-11 carried a plain name → value map. */
export type Indicators = Indicator[] | Record<string, string | number>;

export interface Report extends Stamp {
  kind: ReportKind;
  summary: string;
  indicators: Indicators | null;
  /** The Secretariat accepts a report or returns it with comments (absent: not reviewed yet). */
  status?: 'submitted' | 'accepted' | 'returned';
  reviewed?: (Stamp & { comments: string | null }) | null;
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
  submissionVersions: Array<{ submission: Submission; answers?: Array<{ point: string; answer: string }> } & Stamp>;
  submitted: Stamp;
  screeningNote: string | null;
  /** The policy the request was submitted under. */
  policy?: RequestPolicy;
  /** The screening deadline of the current screening round (absent under policies without one). */
  screeningClock?: Clock | null;
  informationExchanges: InformationExchange[];
  review: Review | null;
  decisions: Decision[];
  /** The conditions of the approval, and whether each is met. */
  conditions?: Condition[];
  /** When the next report is due (progress during implementation, final after it), with its reminder. */
  reportingClock?: (Clock & { kind: ReportKind }) | null;
  /** Increases of the approved budget granted by the Chair during implementation. */
  budgetIncreases?: BudgetIncrease[];
  activities: ImplementationActivity[];
  /** Documents attached to the request (concept notes, terms of reference, agendas, study deliverables…). */
  documents?: RequestDocument[];
  implementationCompleted: (Stamp & { note: string | null }) | null;
  reports: Report[];
  /** The dialogue's institutional memory: what was learned, and good practices tagged with the action area. */
  closure: (Stamp & { lessonsLearned: string; goodPractices?: string[]; actionArea?: number }) | null;
  /** Why a request ended early (rejected, withdrawn, cancelled). */
  ending: Ending | null;
  updatedAt: string;
}

/**
 * A file as a step describes it. The bytes never pass through Temporal: the API stores them in Postgres under their
 * SHA-256 before it sends the step, and the workflow keeps only this description.
 */
export interface DocumentFile {
  name: string;
  mediaType: string;
  sizeBytes: number;
  /** Hex SHA-256 of the bytes: the key they are stored under, and the download's ETag. */
  sha256: string;
  description: string | null;
}

export interface RequestDocument extends DocumentFile {
  documentId: string;
  attached: Stamp;
  /** Removed (a wrong file, personal data): it stays on record, its bytes are erased unless another document has them. */
  removed?: Stamp & { reason: string };
}

/** One entry of the append-only audit trail. */
export interface DomainEvent {
  seq: number;
  type: EventType;
  actor: ActorRef;
  at: string;
  phaseBefore: Phase;
  phaseAfter: Phase;
  payload: Record<string, unknown>;
}
