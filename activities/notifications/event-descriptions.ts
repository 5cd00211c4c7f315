import type { DomainEvent } from '../../workflows/request-model';

/** An event in words, for people reading an e-mail: a short headline (subjects) and a sentence (bodies). */
export interface EventDescription {
  headline: string;
  sentence: string;
}

const WHO: Record<string, string> = {
  partner: 'The focal point',
  secretariat: 'The Secretariat',
  sc_member: 'A Steering Committee member',
  chair: 'The Chair',
  monitor: 'A monitor',
  admin: 'An administrator',
  system: 'The system',
};

/** "The final report", "The progress report". */
const reportKind = (event: DomainEvent): string => (typeof event.payload.kind === 'string' ? `The ${event.payload.kind} report` : 'A report');

/** Headline and what happened, by event type; `who` is the actor's role in words. */
const DESCRIPTIONS: Record<string, (who: string, event: DomainEvent) => EventDescription> = {
  submitted: (who) => ({ headline: 'New request', sentence: `${who} submitted a new capacity-building request` }),
  revised: (who) => ({ headline: 'Request revised', sentence: `${who} revised the request; it is back in screening` }),
  information_requested: (who) => ({ headline: 'Information requested', sentence: `${who} asked the focal point for more information` }),
  information_provided: (who) => ({ headline: 'Information provided', sentence: `${who} answered the Secretariat's questions` }),
  screening_accepted: (who) => ({ headline: 'Accepted for review', sentence: `${who} accepted the request for the Steering Committee's review` }),
  screening_rejected: (who) => ({ headline: 'Not eligible', sentence: `${who} rejected the request as ineligible` }),
  review_closed: () => ({ headline: 'Review closed', sentence: "The Steering Committee's review closed; the request goes to the Chair" }),
  approved: (who) => ({ headline: 'Approved', sentence: `${who} approved the request` }),
  rejected: (who) => ({ headline: 'Rejected', sentence: `${who} rejected the request` }),
  revision_requested: (who) => ({ headline: 'Revision requested', sentence: `${who} asked for a revision of the request` }),
  implementation_completed: (who) => ({ headline: 'Implementation completed', sentence: `${who} completed the implementation; the final report is due` }),
  report_submitted: (who, event) => ({ headline: 'Report submitted', sentence: `${who} submitted ${reportKind(event).replace(/^The/, 'the')}` }),
  report_returned: (who) => ({ headline: 'Report returned', sentence: `${who} returned a report for changes` }),
  closed: (who) => ({ headline: 'Closed', sentence: `${who} closed the request with its lessons learned` }),
  withdrawn: (who, event) =>
    event.payload.reason === 'no_response'
      ? { headline: 'Withdrawn', sentence: 'The request was withdrawn: the information asked for did not arrive by the deadline' }
      : { headline: 'Withdrawn', sentence: `${who} withdrew the request` },
  cancelled: (who) => ({ headline: 'Cancelled', sentence: `${who} cancelled the request` }),
  screening_reminder: () => ({ headline: 'Reminder', sentence: 'Screening of this request is due soon' }),
  screening_escalated: () => ({ headline: 'Screening overdue', sentence: 'Screening of this request is overdue; the Chair is told' }),
  information_reminder: () => ({ headline: 'Reminder', sentence: "The Secretariat's questions on this request are still to be answered, and the deadline is near" }),
  review_reminder: () => ({ headline: 'Reminder', sentence: "The Steering Committee's review of this request closes soon" }),
  report_reminder: (_who, event) => ({ headline: 'Reminder', sentence: `${reportKind(event)} on this request is due soon` }),
  report_overdue: (_who, event) => ({ headline: 'Report overdue', sentence: `${reportKind(event)} on this request is overdue` }),
};

export function describeEvent(event: DomainEvent): EventDescription {
  const who = WHO[event.actor.role] ?? 'Someone';
  const describe = DESCRIPTIONS[event.type];
  if (describe) return describe(who, event);
  // A kind of event added later and not described here still reads as something, never as nothing.
  const words = event.type.replaceAll('_', ' ');
  return { headline: words.charAt(0).toUpperCase() + words.slice(1), sentence: `${who} recorded: ${words}` };
}
