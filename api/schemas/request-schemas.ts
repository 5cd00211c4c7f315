import { Type, type Static } from '@sinclair/typebox';
import {
  ACTIVITY_STATUSES,
  ACTIVITY_TYPES,
  DECISIONS,
  PHASES,
  REPORT_KINDS,
  REVIEW_PROCEDURES,
  ROLES,
  VOTES,
} from '../../workflows/request-model';
import { SORTS } from '../../db/requests-repository';
import { ACTIONS } from '../../workflows/request-steps';
import { Country, Euros, IsoDate, Nullable, READABLE_TEXT_PATTERN, Text, Timestamp, Uuid } from './common';
import { LANGUAGES } from '../../i18n/languages';

/**
 * The request as the API takes and gives it: the submission, every step's body, the request's representation and
 * its list items. Longer than 300 lines on purpose, as workflows/request-model.ts whose shape it mirrors: a field
 * added to the state is added beside its neighbours here, in one reading, and the dashboard's types
 * (dashboard/api-types.ts) are drawn from these very schemas.
 */

const literals = <T extends string>(values: readonly T[], description?: string) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    description ? { description } : {},
  );

export const PhaseSchema = literals(PHASES);
export const ActivityTypeSchema = literals(ACTIVITY_TYPES);
export const RoleSchema = literals(ROLES);
export const Domain = Type.Integer({
  minimum: 1,
  maximum: 5,
  description: 'Cadiz Action Plan action area: 1 development & root causes, 2 regular migration & mobility, ' +
    '3 protection & asylum, 4 irregular migration, smuggling & trafficking, 5 return & reintegration',
});
/** An objective's code in its action plan: "3", "5a", "2.1"… */
export const ObjectiveCodePattern = '^[0-9A-Za-z][0-9A-Za-z.]{0,9}$';
/** An action plan's ID in the reference data, e.g. cadiz-2023-2027 (GET /action-plans lists them). */
export const ActionPlanId = (description: string) => Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$', description });

const Items = (description: string) => Type.Array(Text(2_000), { maxItems: 50, description });

export const ContactSchema = Type.Object(
  {
    name: Text(200),
    email: Type.String({ format: 'email', maxLength: 320 }),
    phone: Type.Optional(Nullable(Text(50))),
  },
  { additionalProperties: false, description: 'Personal data: shown only to the requesting country, the Secretariat and administrators' },
);

const submissionFields = {
  title: Text(200),
  description: Text(10_000),
  domain: Domain,
  objective: Type.Optional(
    Nullable(
      Type.String({
        pattern: ObjectiveCodePattern,
        description: 'The action plan’s objective the request serves, by its code (e.g. "5a"; GET /action-plans lists them), under `domain`. Optional',
      }),
    ),
  ),
  activityType: ActivityTypeSchema,
  objectives: Text(5_000),
  expectedOutcomes: Text(5_000),
  estimatedBudgetEur: Euros,
  preferredPeriod: Type.Optional(Nullable(Text(200, 'e.g. "Q2 2027" or "March–April 2027"'))),
  contact: Type.Optional(Nullable(ContactSchema)),
};

export const SubmissionBody = Type.Object(
  {
    ...submissionFields,
    country: Country,
    language: Type.Optional(literals(LANGUAGES, 'The language the request is written in: search reads it so (stems, accents). English when left out')),
  },
  { additionalProperties: false },
);
export type SubmissionBody = Static<typeof SubmissionBody>;

export const RevisionBody = Type.Partial(
  Type.Object({ ...submissionFields, answers: Items('One answer per point the Chair listed, in order') }),
  { additionalProperties: false, minProperties: 1 },
);

const Person = Type.Object({ userId: Type.String(), name: Type.String(), role: Type.Union([RoleSchema, Type.Literal('system')]) });
const stamp = { by: Person, at: Timestamp };

const Submission = Type.Object({
  title: Type.String(),
  description: Type.String(),
  country: Type.String(),
  language: Type.Optional(literals(LANGUAGES, 'The language the request is written in; absent: English (submitted before it was asked)')),
  domain: Type.Integer(),
  actionPlan: Type.Optional(Nullable(Type.String({ description: 'The action plan in force when the request was submitted' }))),
  objective: Type.Optional(Nullable(Type.String())),
  activityType: ActivityTypeSchema,
  objectives: Type.String(),
  expectedOutcomes: Type.String(),
  estimatedBudgetEur: Type.Number(),
  preferredPeriod: Nullable(Type.String()),
  contact: Type.Optional(Nullable(ContactSchema)),
});

const StructuredIndicator = Type.Object(
  {
    name: Text(200, 'e.g. "Border officers trained"'),
    unit: Text(50, 'e.g. "people", "institutions", "products"'),
    target: Type.Optional(Nullable(Type.Number({ minimum: 0 }))),
    achieved: Type.Number({ minimum: 0 }),
    women: Type.Optional(Nullable(Type.Integer({ minimum: 0 }))),
    men: Type.Optional(Nullable(Type.Integer({ minimum: 0 }))),
  },
  { additionalProperties: false },
);
const Indicators = Type.Union(
  [
    Type.Array(StructuredIndicator, { maxItems: 100, description: 'Indicators against the objectives, by sex where it applies' }),
    Type.Record(Type.String({ minLength: 1, maxLength: 100, pattern: READABLE_TEXT_PATTERN }), Type.Union([Type.String({ maxLength: 1000, pattern: READABLE_TEXT_PATTERN }), Type.Number()]), {
      description: 'The earlier form: indicator name → value, e.g. {"people_trained_women": 14}',
    }),
  ],
);

const VenueSchema = Type.Object(
  { online: Type.Boolean(), country: Type.Optional(Nullable(Country)), city: Type.Optional(Nullable(Text(200))) },
  { additionalProperties: false, description: 'Where it takes place: a country and city, or online' },
);
const BudgetLineSchema = Type.Object({ label: Text(200), amountEur: Euros }, { additionalProperties: false });
const ParticipantsSchema = Type.Object(
  {
    total: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
    women: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
    men: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
    institutions: Type.Integer({ minimum: 0, maximum: 100_000 }),
  },
  { additionalProperties: false },
);
const DeliverableSchema = Type.Object(
  { title: Text(300), kind: Text(100, 'e.g. report, curriculum, toolkit'), link: Type.Optional(Nullable(Type.String({ format: 'uri', maxLength: 2_000 }))) },
  { additionalProperties: false },
);

const Extension = Type.Object({ ...stamp, deadline: Timestamp, reason: Type.String() });
const ClockSchema = Type.Object({
  deadline: Timestamp,
  remindAt: Nullable(Timestamp),
  reminded: Type.Boolean(),
  expired: Type.Boolean(),
  pausedAt: Type.Optional(Nullable(Timestamp)),
  extensions: Type.Array(Extension),
});

const WaitingForSchema = Nullable(
  Type.Object(
    { roles: Type.Array(RoleSchema), what: Type.String(), deadline: Nullable(Timestamp) },
    { description: 'Who must act next, on what, and by when; null once the request has ended' },
  ),
);

export const RequestDocument = Type.Object({
  documentId: Uuid,
  name: Type.String(),
  mediaType: Type.String(),
  sizeBytes: Type.Integer(),
  sha256: Type.String({ description: 'Hex SHA-256 of the bytes; the download’s ETag' }),
  description: Nullable(Type.String()),
  attached: Type.Object(stamp),
  removed: Type.Optional(Type.Object({ ...stamp, reason: Type.String() }, { description: 'Removed: on record, no longer downloadable' })),
  erased: Type.Optional(
    Type.Object({ ...stamp, reason: Type.String() }, { description: 'Its bytes erased for good after the request ended: on record, no longer downloadable' }),
  ),
});

export const RequestView = Type.Object(
  {
    id: Uuid,
    phase: PhaseSchema,
    version: Type.Integer({ description: 'Number of events so far' }),
    ...Submission.properties,
    submitted: Type.Object(stamp),
    updatedAt: Timestamp,
    waitingFor: WaitingForSchema,
    allowedActions: Type.Array(literals([...ACTIONS, 'erase_document']), {
      description: 'What the caller may do now: the steps, and erase_document (POST …/documents/{documentId}/erasure) once the request has ended',
    }),
    restrictedFields: Type.Array(Type.String(), { description: 'Personal fields withheld from you (shown as null)' }),
    contentVersions: Type.Array(
      Type.Object({
        submission: Submission,
        answers: Type.Optional(Type.Array(Type.Object({ point: Type.String(), answer: Type.String() }))),
        ...stamp,
      }),
      {
        description: 'Every version of the content, oldest first',
      },
    ),
    screeningNote: Nullable(Type.String()),
    informationExchanges: Type.Array(
      Type.Object({
        question: Type.String(),
        requested: Type.Object(stamp),
        response: Nullable(Type.String()),
        responded: Nullable(Type.Object(stamp)),
        clock: Type.Optional(Nullable(ClockSchema)),
      }),
    ),
    review: Nullable(
      Type.Object({
        openedAt: Timestamp,
        deadline: Timestamp,
        reviewers: Type.Array(
          Type.Object({ userId: Type.String(), name: Type.String(), country: Nullable(Type.String()), conflicted: Type.Boolean() }),
        ),
        votes: Type.Array(Type.Object({ ...stamp, vote: literals(VOTES), comment: Nullable(Type.String()) })),
        closedAt: Nullable(Timestamp),
        closedBecause: Nullable(Type.String()),
        procedure: Type.Optional(literals(REVIEW_PROCEDURES)),
        quorum: Type.Optional(Nullable(Type.Integer({ description: 'Votes needed (majority procedure)' }))),
        remindAt: Type.Optional(Nullable(Timestamp)),
        reminded: Type.Optional(Type.Boolean()),
        extensions: Type.Optional(Type.Array(Extension)),
        outcome: Type.Optional(
          Nullable(Type.Object({ result: literals(['approved_by_procedure', 'to_chair'] as const), reason: Type.String() })),
        ),
      }),
    ),
    decisions: Type.Array(
      Type.Object({
        ...stamp,
        decision: literals(DECISIONS),
        rationale: Type.String(),
        conditions: Type.Array(Type.String()),
        approvedBudgetEur: Nullable(Type.Number()),
        points: Type.Optional(Type.Array(Type.String())),
        byProcedure: Type.Optional(Type.Boolean()),
        meetingId: Type.Optional(Type.String({ format: 'uuid', description: 'The meeting whose minutes took this decision' })),
        corrections: Type.Optional(Type.Array(Type.Object({ ...stamp, note: Type.String() }))),
      }),
    ),
    conditions: Type.Array(
      Type.Object({ text: Type.String(), met: Nullable(Type.Object({ ...stamp, note: Type.String() })) }),
      { description: 'Conditions of the approval; implementation starts once all are met' },
    ),
    screeningClock: Nullable(ClockSchema),
    activities: Type.Array(
      Type.Object({
        activityId: Uuid,
        type: ActivityTypeSchema,
        title: Type.String(),
        startDate: Type.String(),
        endDate: Type.String(),
        location: Type.String(),
        venue: Type.Optional(Nullable(VenueSchema)),
        language: Type.Optional(Nullable(Type.String())),
        experts: Type.Optional(Type.Array(Type.String())),
        budgetEur: Type.Number(),
        budgetLines: Type.Optional(Type.Array(BudgetLineSchema)),
        status: literals(ACTIVITY_STATUSES),
        planned: Type.Object(stamp),
        updated: Nullable(Type.Object(stamp)),
        reason: Type.Optional(Nullable(Type.String())),
        spentEur: Type.Optional(Nullable(Type.Number())),
        participants: Type.Optional(Nullable(ParticipantsSchema)),
        deliverables: Type.Optional(Type.Array(DeliverableSchema)),
      }),
    ),
    documents: Type.Array(RequestDocument, { description: 'Attached documents, oldest first (GET /requests/{id}/documents/{documentId})' }),
    budget: Type.Object(
      {
        approvedEur: Nullable(Type.Number()),
        plannedEur: Type.Number(),
        spentEur: Type.Number(),
        availableEur: Nullable(Type.Number({ description: 'What can still be planned' })),
        increases: Type.Array(Type.Object({ ...stamp, fromEur: Type.Number(), toEur: Type.Number(), rationale: Type.String() })),
      },
      { description: 'Approved (with increases), planned (all but cancelled activities) and spent (held activities)' },
    ),
    implementationCompleted: Nullable(Type.Object({ ...stamp, note: Nullable(Type.String()) })),
    reports: Type.Array(
      Type.Object({
        ...stamp,
        kind: literals(REPORT_KINDS),
        summary: Type.String(),
        indicators: Nullable(Indicators),
        status: Type.Optional(literals(['submitted', 'accepted', 'returned'] as const)),
        reviewed: Type.Optional(Nullable(Type.Object({ ...stamp, comments: Nullable(Type.String()) }))),
      }),
    ),
    reportingClock: Nullable(Type.Object({ ...ClockSchema.properties, kind: literals(REPORT_KINDS) }, { description: 'When the next report is due; expired: it is overdue' })),
    closure: Nullable(
      Type.Object({
        ...stamp,
        lessonsLearned: Type.String(),
        goodPractices: Type.Optional(Type.Array(Type.String())),
        actionArea: Type.Optional(Type.Integer()),
      }),
    ),
    ending: Nullable(Type.Object({ ...stamp, reason: Type.String() })),
  },
  { $id: 'Request' },
);
export type RequestView = Static<typeof RequestView>;

export const RequestSummary = Type.Object({
  id: Uuid,
  title: Type.String(),
  country: Type.String(),
  domain: Type.Integer(),
  actionPlan: Nullable(Type.String({ description: 'The action plan the request was placed in at submission' })),
  objective: Nullable(Type.String({ description: 'The objective of that plan the request names, if any' })),
  activityType: Type.String(),
  phase: PhaseSchema,
  submittedAt: Timestamp,
  updatedAt: Timestamp,
  decidedAt: Nullable(Timestamp),
  dueAt: Nullable(Type.String({ format: 'date-time', description: 'The deadline of whoever must act now' })),
  overdue: Type.Boolean({ description: 'dueAt has passed' }),
  hasObjections: Type.Boolean({ description: 'A Steering Committee member objects in the current review' }),
  requestedBudgetEur: Type.Number(),
  approvedBudgetEur: Nullable(Type.Number()),
});

/** A list item: the summary, and who must act next (as in the request's details). */
export const RequestListItem = Type.Object({ ...RequestSummary.properties, waitingFor: WaitingForSchema });

/** The filters of a list, shared by `GET /requests` and its CSV export. */
export const ListFilters = {
  phase: Type.Optional(PhaseSchema),
  country: Type.Optional(Country),
  domain: Type.Optional(Domain),
  actionPlan: Type.Optional(ActionPlanId('Only requests placed in this action plan (GET /action-plans)')),
  objective: Type.Optional(Type.String({ pattern: ObjectiveCodePattern, description: 'Only requests naming this objective (with actionPlan: of that plan)' })),
  activityType: Type.Optional(ActivityTypeSchema),
  q: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      description:
        'Full-text search over content, decisions, lessons learned and good practices, each request in its own language (stems and accents: "formations" finds "formation", "securite" "sécurité")',
    }),
  ),
  language: Type.Optional(literals(LANGUAGES, 'Only requests written in this language; with q, the query is read in it alone')),
  submittedFrom: Type.Optional(Type.String({ format: 'date', description: 'Submitted on or after this day (YYYY-MM-DD)' })),
  submittedTo: Type.Optional(Type.String({ format: 'date', description: 'Submitted before this day (YYYY-MM-DD)' })),
  decidedFrom: Type.Optional(Type.String({ format: 'date', description: 'Latest decision on or after this day (YYYY-MM-DD)' })),
  decidedTo: Type.Optional(Type.String({ format: 'date', description: 'Latest decision before this day (YYYY-MM-DD)' })),
  overdue: Type.Optional(Type.Boolean({ description: 'Only requests past (true) or within (false) the deadline of whoever must act' })),
  hasObjections: Type.Optional(Type.Boolean({ description: 'Only requests with (true) or without (false) objections in their review' })),
  open: Type.Optional(Type.Boolean({ description: 'Only requests still in progress (true), or only those that ended (false)' })),
  sort: Type.Optional(
    literals(
      SORTS,
      'newest (the default) or oldest submitted first, the most recently updated first, or due: the soonest deadline of whoever must act first (overdue ones first), requests without a deadline after them; ties broken by id',
    ),
  ),
};

export const ListQuery = Type.Object(
  {
    ...ListFilters,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    cursor: Type.Optional(Type.String({ maxLength: 200, description: 'nextCursor of the previous page (it carries its sort)' })),
  },
  { additionalProperties: false },
);

export const RequestPage = Type.Object({
  items: Type.Array(RequestListItem),
  nextCursor: Nullable(Type.String({ description: 'Pass as `cursor` for the next page; null on the last page' })),
});

export const RequestEvent = Type.Object({
  seq: Type.Integer(),
  type: Type.String(),
  actorName: Type.String(),
  actorRole: Type.String(),
  phaseBefore: PhaseSchema,
  phaseAfter: PhaseSchema,
  occurredAt: Timestamp,
  payload: Type.Record(Type.String(), Type.Unknown()),
  description: Type.Object(
    {
      headline: Type.String(),
      sentence: Type.String({ description: 'What happened, in the caller’s language; an activity’s change says from what to what' }),
      cause: Nullable(Type.String(), {
        description: 'What caused it when no person’s step did: which deadline, which objection, which rule of the review procedure, which meeting; null when a person did',
      }),
    },
    { description: 'The event in words, in the caller’s language (their saved choice, else Accept-Language)' },
  ),
});

export const ScreeningBody = Type.Object(
  { outcome: literals(['accept', 'request_information', 'reject'] as const), note: Text(5_000, 'Reason, or the questions for the partner') },
  { additionalProperties: false },
);
export const InformationBody = Type.Object({ response: Text(10_000) }, { additionalProperties: false });
export const VoteBody = Type.Object(
  { vote: literals(VOTES), comment: Type.Optional(Nullable(Text(5_000))) },
  { additionalProperties: false },
);
export const DecisionBody = Type.Object(
  {
    decision: literals(DECISIONS),
    rationale: Text(10_000),
    conditions: Type.Optional(
      Nullable(Type.Union([Items('With approve: items the Secretariat must mark as met before implementation starts'), Text(5_000)])),
    ),
    approvedBudgetEur: Type.Optional(Nullable(Euros)),
    points: Type.Optional(Items('With request_revision (required): the points the partner must address')),
  },
  { additionalProperties: false },
);
export const DeadlineExtensionBody = Type.Object(
  { until: Timestamp, reason: Text(2_000) },
  { additionalProperties: false },
);
export const ConditionParams = Type.Object({ id: Uuid, index: Type.Integer({ minimum: 0, maximum: 49 }) });
export const CorrectionBody = Type.Object({ note: Text(5_000, 'What was wrong in the decision, and what stands') }, { additionalProperties: false });
export const ConditionMetBody = Type.Object({ note: Text(5_000, 'How the condition was met') }, { additionalProperties: false });
export const ActivityBody = Type.Object(
  {
    type: ActivityTypeSchema,
    title: Text(300),
    startDate: IsoDate,
    endDate: IsoDate,
    location: Text(300, 'City and country, or "online"'),
    budgetEur: Euros,
    venue: Type.Optional(Nullable(VenueSchema)),
    language: Type.Optional(Nullable(Text(100))),
    experts: Type.Optional(Type.Array(Text(200), { maxItems: 50 })),
    budgetLines: Type.Optional(Type.Array(BudgetLineSchema, { maxItems: 100, description: 'Must add up to budgetEur' })),
  },
  { additionalProperties: false },
);
export const ActivityParams = Type.Object({ id: Uuid, activityId: Uuid });
export const ActivityStatusBody = Type.Object(
  {
    status: literals(['confirmed', 'held', 'postponed', 'cancelled'] as const, 'planned → confirmed → held; or postponed, or cancelled'),
    reason: Type.Optional(Text(5_000, 'Required when postponing or cancelling')),
    startDate: Type.Optional(IsoDate),
    endDate: Type.Optional(IsoDate),
    participants: Type.Optional(ParticipantsSchema),
    deliverables: Type.Optional(Type.Array(DeliverableSchema, { maxItems: 100 })),
    spentEur: Type.Optional(Euros),
  },
  { additionalProperties: false },
);
export const BudgetIncreaseBody = Type.Object(
  { approvedBudgetEur: Euros, rationale: Text(5_000) },
  { additionalProperties: false },
);
export const CompletionBody = Type.Object({ note: Type.Optional(Nullable(Text(5_000))) }, { additionalProperties: false });
export const ReportBody = Type.Object(
  { kind: literals(REPORT_KINDS), summary: Text(20_000), indicators: Type.Optional(Nullable(Indicators)) },
  { additionalProperties: false },
);
export const ClosureBody = Type.Object(
  {
    lessonsLearned: Text(20_000),
    goodPractices: Type.Optional(Type.Array(Text(5_000), { maxItems: 50, description: 'Tagged with the request’s action area' })),
  },
  { additionalProperties: false },
);
export const ReportParams = Type.Object({ id: Uuid, index: Type.Integer({ minimum: 0, maximum: 10_000 }) });
export const ReturnReportBody = Type.Object({ comments: Text(10_000) }, { additionalProperties: false });
export const ReasonBody = Type.Object({ reason: Text(5_000) }, { additionalProperties: false });
