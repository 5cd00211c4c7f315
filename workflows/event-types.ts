/**
 * Every kind of event a request's history holds, past and present: the audit trail, the read model's projections,
 * the e-mails and the timeline are keyed by these. Never renamed or removed (histories of years hold them); a new
 * kind is added here, and then the compiler asks for its projection (activities/record-event.ts) and its words
 * (the catalogs' `event.<type>.headline` and `.sentence`, as activities/notifications/event-descriptions.ts reads them).
 */
export const EVENT_TYPES = [
  'submitted',
  'screening_accepted',
  'screening_rejected',
  'information_requested',
  'information_provided',
  'information_deadline_extended',
  'revised',
  'vote_recorded',
  'review_extended',
  'review_closed',
  'approved',
  'rejected',
  'revision_requested',
  'decision_corrected',
  'condition_met',
  'budget_increased',
  'activity_planned',
  'activity_status_changed',
  'document_attached',
  'document_removed',
  'implementation_completed',
  'report_submitted',
  'report_accepted',
  'report_returned',
  'closed',
  'withdrawn',
  'cancelled',
  'screening_reminder',
  'screening_escalated',
  'information_reminder',
  'review_reminder',
  'report_reminder',
  'report_overdue',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** The events of a decision on a request (by the Chair, the minutes of a meeting, or a review procedure). */
export const DECISION_EVENTS = ['approved', 'rejected', 'revision_requested'] as const satisfies readonly EventType[];
