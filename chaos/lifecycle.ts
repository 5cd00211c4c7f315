import type { Phase } from '../workflows/request-model';
import { sampleSubmission } from '../tests/support/cast';

/**
 * The whole life of one request as HTTP steps (the walk-through in the README, as tests/support/cast.ts
 * drives it): what each step sends, the phase it leads to, and how to see in the request, read back, whether
 * the step took effect — and how many times. The driver sends these; the checker expects their events.
 */

export type Role = 'partner' | 'secretariat' | 'sc_member' | 'chair';

/** The part of GET /requests/:id (and of every step's answer) the driver looks at. */
export interface RequestView {
  id: string;
  phase: Phase;
  version: number;
  review: { votes: Array<{ by: { userId: string }; vote: string }> } | null;
  decisions: Array<{ decision: string }>;
  activities: Array<{ activityId: string; title: string; status: string }>;
  reports: Array<{ kind: string; summary: string; status?: string }>;
  documents: Array<{ name: string }>;
}

/** What a request's driver knows as it goes: its ID, its own marker, and what earlier steps produced. */
export interface RequestContext {
  requestId: string;
  /** Unique per request; marks what the request's steps create (the activity, the report). */
  marker: string;
  scMemberId: string;
  activityId?: string;
  reportIndex?: number;
}

export interface LifecycleStep {
  name: string;
  as: Role;
  method: 'POST' | 'PATCH';
  path(ctx: RequestContext): string;
  /** JSON, or a file's bytes sent as they are with `contentType`. */
  body(ctx: RequestContext): unknown;
  contentType?: string;
  /** The phase the request is in once the step took effect. */
  phaseAfter: Phase;
  /** The events it records in the audit trail, in order. */
  events: string[];
  /**
   * How many times the step's effect shows in the request (0: not applied; 1: applied; more: applied twice,
   * e.g. a second activity planned by a retry).
   */
  effects(view: RequestView, ctx: RequestContext): number;
  /** Remembers what later steps need (the activity's ID, the report's index) from the request once applied. */
  remember?(view: RequestView, ctx: RequestContext): void;
}

export const submission = (marker: string, country: string) =>
  sampleSubmission({ title: `Training on document fraud detection (${marker})`, country });

const documentName = (ctx: RequestContext) => `terms-of-reference-${ctx.marker}.pdf`;
/** A 64 KiB PDF of its own per request: a fault between storing its bytes and recording the step must lose neither. */
const documentBytes = (ctx: RequestContext) => Buffer.from(`%PDF-1.7\nTerms of reference ${ctx.marker}\n${'x'.repeat(64 * 1024)}\n%%EOF\n`);
const activityTitle = (ctx: RequestContext) => `Fraud detection training ${ctx.marker}`;
const reportSummary = (ctx: RequestContext) => `Final report ${ctx.marker}: 38 officers trained.`;
const inPhase = (phase: Phase) => (view: RequestView) => (view.phase === phase ? 1 : 0);
const ourActivities = (view: RequestView, ctx: RequestContext) => view.activities.filter((a) => a.title === activityTitle(ctx));
const ourActivity = (view: RequestView, ctx: RequestContext) => view.activities.find((a) => a.activityId === ctx.activityId);
const ourReports = (view: RequestView, ctx: RequestContext) => view.reports.filter((r) => r.summary === reportSummary(ctx));

/** Every step after submission, in order. */
export const LIFECYCLE: LifecycleStep[] = [
  {
    name: 'screening (accept)',
    as: 'secretariat',
    method: 'POST',
    path: (ctx) => `/requests/${ctx.requestId}/screening`,
    body: () => ({ outcome: 'accept', note: 'Complete and eligible.' }),
    phaseAfter: 'review',
    events: ['screening_accepted'],
    effects: inPhase('review'),
  },
  {
    name: 'vote (no objection)',
    as: 'sc_member',
    method: 'POST',
    path: (ctx) => `/requests/${ctx.requestId}/votes`,
    body: () => ({ vote: 'no_objection' }),
    // The only eligible member has voted: the review closes and goes to the Chair.
    phaseAfter: 'approval',
    events: ['vote_recorded', 'review_closed'],
    effects: (view, ctx) => (view.review?.votes ?? []).filter((v) => v.by.userId === ctx.scMemberId).length,
  },
  {
    name: 'decision (approve)',
    as: 'chair',
    method: 'POST',
    path: (ctx) => `/requests/${ctx.requestId}/decision`,
    body: () => ({ decision: 'approve', rationale: 'Fits action area 4.' }),
    phaseAfter: 'implementation',
    events: ['approved'],
    effects: (view) => view.decisions.filter((d) => d.decision === 'approve').length,
  },
  {
    name: 'activity planned',
    as: 'secretariat',
    method: 'POST',
    path: (ctx) => `/requests/${ctx.requestId}/activities`,
    body: (ctx) => ({
      type: 'training',
      title: activityTitle(ctx),
      startDate: '2027-04-10',
      endDate: '2027-04-11',
      location: 'Dakar, SN',
      budgetEur: 40000,
    }),
    phaseAfter: 'implementation',
    events: ['activity_planned'],
    effects: (view, ctx) => ourActivities(view, ctx).length,
    remember: (view, ctx) => {
      ctx.activityId = ourActivities(view, ctx)[0]!.activityId;
    },
  },
  {
    name: 'activity confirmed',
    as: 'secretariat',
    method: 'PATCH',
    path: (ctx) => `/requests/${ctx.requestId}/activities/${ctx.activityId}`,
    body: () => ({ status: 'confirmed' }),
    phaseAfter: 'implementation',
    events: ['activity_status_changed'],
    effects: (view, ctx) => (ourActivity(view, ctx)?.status === 'confirmed' ? 1 : 0),
  },
  {
    name: 'activity held',
    as: 'secretariat',
    method: 'PATCH',
    path: (ctx) => `/requests/${ctx.requestId}/activities/${ctx.activityId}`,
    body: () => ({ status: 'held', participants: { total: 38, women: 14, men: 24, institutions: 3 }, spentEur: 37250 }),
    phaseAfter: 'implementation',
    events: ['activity_status_changed'],
    effects: (view, ctx) => (ourActivity(view, ctx)?.status === 'held' ? 1 : 0),
  },
  {
    name: 'document attached',
    as: 'secretariat',
    method: 'POST',
    path: (ctx) => `/requests/${ctx.requestId}/documents?name=${documentName(ctx)}`,
    contentType: 'application/pdf',
    body: documentBytes,
    phaseAfter: 'implementation',
    events: ['document_attached'],
    effects: (view, ctx) => view.documents.filter((d) => d.name === documentName(ctx)).length,
  },
  {
    name: 'implementation complete',
    as: 'secretariat',
    method: 'POST',
    path: (ctx) => `/requests/${ctx.requestId}/implementation/complete`,
    body: () => ({ note: 'Held as planned.' }),
    phaseAfter: 'monitoring',
    events: ['implementation_completed'],
    effects: inPhase('monitoring'),

  },
  {
    name: 'final report',
    as: 'partner',
    method: 'POST',
    path: (ctx) => `/requests/${ctx.requestId}/reports`,
    body: (ctx) => ({ kind: 'final', summary: reportSummary(ctx) }),
    phaseAfter: 'monitoring',
    events: ['report_submitted'],
    effects: (view, ctx) => ourReports(view, ctx).length,
    remember: (view, ctx) => {
      ctx.reportIndex = view.reports.findIndex((r) => r.summary === reportSummary(ctx));
    },
  },
  {
    name: 'final report accepted',
    as: 'secretariat',
    method: 'POST',
    path: (ctx) => `/requests/${ctx.requestId}/reports/${ctx.reportIndex}/acceptance`,
    body: () => ({}),
    phaseAfter: 'monitoring',
    events: ['report_accepted'],
    effects: (view, ctx) => (view.reports[ctx.reportIndex!]?.status === 'accepted' ? 1 : 0),
  },
  {
    name: 'closure',
    as: 'secretariat',
    method: 'POST',
    path: (ctx) => `/requests/${ctx.requestId}/closure`,
    body: () => ({ lessonsLearned: 'Plan early; involve the airport authority.' }),
    phaseAfter: 'completed',
    events: ['closed'],
    effects: inPhase('completed'),
  },
];

/** HTTP steps per request: the submission and every step above. */
export const STEPS_PER_REQUEST = 1 + LIFECYCLE.length;

export const FINAL_PHASE: Phase = 'completed';

/** The audit trail one whole lifecycle leaves, in order: the submission, then each step's events. */
export const EXPECTED_EVENTS: readonly string[] = ['submitted', ...LIFECYCLE.flatMap((step) => step.events)];
