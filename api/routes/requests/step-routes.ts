import type { Static, TObject, TSchema } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import { RequestIdParams } from '../../schemas/common';
import {
  ActivityParams,
  ActivityStatusBody,
  BudgetIncreaseBody,
  ClosureBody,
  CompletionBody,
  ConditionMetBody,
  ConditionParams,
  CorrectionBody,
  DeadlineExtensionBody,
  DecisionBody,
  InformationBody,
  ReasonBody,
  ReportBody,
  ReportParams,
  ReturnReportBody,
  ScreeningBody,
  VoteBody,
} from '../../schemas/request-schemas';
import type { Step } from '../../../workflows/request-steps';
import { decisionStep } from './decision-step';

/**
 * The API side of the steps that answer with the request as it then is: the path, the body, and how a body (and
 * the path's parameters) become the workflow's step. Registered in a loop (steps.ts), in this order — the order of
 * the OpenAPI document. The two steps that answer otherwise (a revision, placed in the action plan; an activity
 * planned, 201 with its ID) are written out in steps.ts.
 */
export interface StepRoute<P extends TObject = TObject, B extends TSchema = TSchema> {
  method: 'POST' | 'PATCH';
  /** After `/requests/:id`. */
  path: string;
  summary: string;
  params: P;
  body: B;
  toStep(body: Static<B>, params: Static<P>): Step;
}

const route = <P extends TObject, B extends TSchema>(definition: StepRoute<P, B>): StepRoute =>
  definition;
const post = <B extends TSchema>(path: string, summary: string, body: B, toStep: (body: Static<B>) => Step): StepRoute =>
  route({ method: 'POST', path, summary, params: RequestIdParams, body, toStep });
const isoInstant = (text: string) => new Date(text).toISOString();

export const BEFORE_REVISION: StepRoute[] = [
  post('/screening', 'Screen a request (Secretariat): accept for review, ask for information, or reject', ScreeningBody, (body) => ({ action: 'screen', ...body })),
  post('/information', 'Answer the Secretariat’s request for information (the requesting partner)', InformationBody, (body) => ({ action: 'provide_information', ...body })),
  post('/votes', 'Vote in the Steering Committee review (SC members, once each)', VoteBody, ({ vote, comment }) => ({ action: 'vote', vote, comment: comment ?? null })),
  post('/decision', 'Decide on a request (the Chair): approve, reject, or request a revision', DecisionBody, (body) => decisionStep(body)),
];

export const AFTER_REVISION: StepRoute[] = [
  post('/decision/corrections', 'Record a correction to the last decision (the Chair); the decision itself is never edited', CorrectionBody, (body) => ({
    action: 'correct_decision',
    ...body,
  })),
  post('/information/deadline', 'Extend the partner’s deadline to answer (Secretariat); otherwise the request is withdrawn at the deadline', DeadlineExtensionBody, (body) => ({
    action: 'extend_information_deadline',
    until: isoInstant(body.until),
    reason: body.reason,
  })),
  post('/review/extension', 'Extend the review deadline (the Chair); members not yet voted are reminded again', DeadlineExtensionBody, (body) => ({
    action: 'extend_review',
    until: isoInstant(body.until),
    reason: body.reason,
  })),
  post('/review/closure', 'Close the review early and take the decision (the Chair)', ReasonBody, (body) => ({ action: 'close_review', ...body })),
  route({
    method: 'POST',
    path: '/conditions/:index/met',
    summary: 'Mark a condition of the approval as met (Secretariat); implementation starts once all are met',
    params: ConditionParams,
    body: ConditionMetBody,
    toStep: (body, params) => ({ action: 'meet_condition', conditionIndex: params.index, note: body.note }),
  }),
];

export const AFTER_PLANNING: StepRoute[] = [
  route({
    method: 'PATCH',
    path: '/activities/:activityId',
    summary: 'Move an activity on (Secretariat): confirmed, held (participants, spending, deliverables), postponed or cancelled',
    params: ActivityParams,
    body: ActivityStatusBody,
    toStep: ({ deliverables, ...body }, params) => ({
      action: 'update_activity',
      activityId: params.activityId,
      ...body,
      ...(deliverables ? { deliverables: deliverables.map((d) => ({ ...d, link: d.link ?? null })) } : {}),
    }),
  }),
  post('/budget/increase', 'Raise the approved budget (the Chair), e.g. so that more activities can be planned', BudgetIncreaseBody, (body) => ({ action: 'increase_budget', ...body })),
  post('/implementation/complete', 'Complete implementation (Secretariat); monitoring starts', CompletionBody, (body) => ({
    action: 'complete_implementation',
    note: body?.note ?? null,
  })),
  post('/reports', 'Submit a progress or final report (the requesting partner or the Secretariat)', ReportBody, ({ kind, summary, indicators }) => ({
    action: 'submit_report',
    kind,
    summary,
    // Structured indicators carry explicit nulls for what was not given.
    indicators: Array.isArray(indicators) ? indicators.map((i) => ({ ...i, target: i.target ?? null, women: i.women ?? null, men: i.men ?? null })) : (indicators ?? null),
  })),
  route({
    method: 'POST',
    path: '/reports/:index/acceptance',
    summary: 'Accept a report (Secretariat); closure needs an accepted final report',
    params: ReportParams,
    body: Type.Object({}, { additionalProperties: false }),
    toStep: (_body, params) => ({ action: 'accept_report', reportIndex: params.index }),
  }),
  route({
    method: 'POST',
    path: '/reports/:index/return',
    summary: 'Return a report with comments (Secretariat); the partner answers with a new report',
    params: ReportParams,
    body: ReturnReportBody,
    toStep: (body, params) => ({ action: 'return_report', reportIndex: params.index, comments: body.comments }),
  }),
  post('/closure', 'Close the request with lessons learned (Secretariat, after the final report)', ClosureBody, (body) => ({ action: 'close', ...body })),
  post('/withdrawal', 'Withdraw a request before implementation (the requesting partner)', ReasonBody, (body) => ({ action: 'withdraw', ...body })),
  post('/cancellation', 'Cancel a request during implementation or monitoring (the Chair)', ReasonBody, (body) => ({ action: 'cancel', ...body })),
];
