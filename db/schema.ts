import { sql, type SQL } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  bigserial,
  customType,
  date,
  boolean,
  char,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  foreignKey,
  check,
} from 'drizzle-orm/pg-core';
import { TERMINAL_PHASES, type DomainEvent, type Participants, type Phase, type RequestState, type Role } from '../workflows/request-model';
import type { WaitingFor } from '../read-model/waiting-for';
import type { MinutesItemResult } from '../workflows/meeting-minutes';
import type { MemberKind, MemberStatus, Region } from './dialogue-members-repository';
import { LANGUAGES, type Language } from '../i18n/languages';

/**
 * Postgres holds what people read and what must stay on record. The workflow is the authority on a
 * request's state; these tables are written only by activities (and the identity CLI), idempotently:
 * every row a step writes is keyed by (request_id, seq), so a retried activity writes nothing twice.
 */

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });
const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  role: text('role').$type<Role>().notNull(),
  country: char('country', { length: 2 }),
  /** Where the person is told that a request waits for them (notifications); null: not told, by e-mail. */
  email: text('email'),
  /** The one language the person reads their e-mails in; null: English, then French. */
  language: text('language').$type<'en' | 'fr'>(),
  /** Part of what the address of the person's calendar feed signs: raised to retire that address (a new one works). */
  calendarVersion: integer('calendar_version').notNull().default(0),
  /** When an administrator deactivated the person: they sign in no more, their sessions and tokens stop working. */
  deactivatedAt: timestamp('deactivated_at', { withTimezone: true, mode: 'string' }),
  createdAt: createdAt(),
});

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    /**
     * SHA-256 of the token's secret part. Secrets are long random strings, so a fast hash is enough; the token
     * carries this row's ID, so the lookup is by ID and the hash comparison happens in constant time.
     */
    tokenHash: text('token_hash').notNull().unique(),
    label: text('label'),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'string' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'string' }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'string' }),
  },
  (t) => [index('api_tokens_user_idx').on(t.userId)],
);

/**
 * The `due` sort's key: the deadline of whoever must act, requests without one after every dated one. Never null,
 * so keyset pages stay one row comparison over the index built on this same expression.
 */
export function dueOrderKey(dueAt: AnyPgColumn): SQL {
  return sql`coalesce(${dueAt}, 'infinity'::timestamptz)`;
}

/**
 * A request still in progress, with the phases as literals: the partial index requests_open_due_idx is built on
 * this condition and the lists filter with it, because Postgres uses a partial index only when it can see that the
 * query's condition implies the index's.
 */
export const STILL_OPEN = sql.raw(`phase not in (${TERMINAL_PHASES.map((phase) => `'${phase}'`).join(', ')})`);

/** Read model: one row per request, the workflow's latest state. */
export const requests = pgTable(
  'requests',
  {
    id: uuid('id').primaryKey(),
    workflowId: text('workflow_id').notNull().unique(),
    title: text('title').notNull(),
    country: char('country', { length: 2 }).notNull(),
    domain: smallint('domain').notNull(),
    activityType: text('activity_type').notNull(),
    phase: text('phase').$type<Phase>().notNull(),
    /** The version (event count) of `state`; a write never replaces a newer state with an older one. */
    version: integer('version').notNull(),
    state: jsonb('state').$type<RequestState>().notNull(),
    /** Whether the request has reached the Steering Committee (review or later): SC members and the Chair see only these. */
    committeeVisible: boolean('committee_visible').notNull().default(false),
    submittedBy: text('submitted_by').notNull(),
    submittedAt: timestamp('submitted_at', { withTimezone: true, mode: 'string' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull(),
    // Facts of the state as columns (activities/read-model-columns.ts): filters and statistics read these, not `state`.
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'string' }),
    dueAt: timestamp('due_at', { withTimezone: true, mode: 'string' }),
    /** Who must act next, on what, by when (workflows/request-rules.ts, waitingFor); null once the request ended. */
    waitingFor: jsonb('waiting_for').$type<WaitingFor>(),
    hasObjections: boolean('has_objections').notNull().default(false),
    requestedBudgetEur: numeric('requested_budget_eur', { precision: 14, scale: 2 }).notNull().default('0'),
    approvedBudgetEur: numeric('approved_budget_eur', { precision: 14, scale: 2 }),
    spentBudgetEur: numeric('spent_budget_eur', { precision: 14, scale: 2 }).notNull().default('0'),
    /** People trained in the request's held activities. */
    trainedTotal: integer('trained_total').notNull().default(0),
    trainedWomen: integer('trained_women').notNull().default(0),
    trainedMen: integer('trained_men').notNull().default(0),
    /**
     * What full-text search reads: title, description, objectives, decisions' rationales, lessons learned and good
     * practices — never personal data. Written by the activity; the vector is derived by Postgres.
     */
    searchDocument: text('search_document').notNull().default(''),
    /**
     * The language the request is written in (the submission's; requests from before it was asked are English). The
     * search document's vector, stemmed in it, is in requestSearch.
     */
    language: text('language').$type<Language>().generatedAlwaysAs(sql`coalesce(state #>> '{submission,language}', 'en')`),
    /** Where the request sits in its action plan (the submission's, set by the API at submission): derived by Postgres. */
    actionPlan: text('action_plan').generatedAlwaysAs(sql`state #>> '{submission,actionPlan}'`),
    objective: text('objective').generatedAlwaysAs(sql`state #>> '{submission,objective}'`),
  },
  (t) => [
    // Keyset pagination: newest first, ties broken by id; one index per filter keeps every page an index scan.
    index('requests_submitted_idx').on(t.submittedAt.desc(), t.id.desc()),
    index('requests_phase_submitted_idx').on(t.phase, t.submittedAt.desc(), t.id.desc()),
    index('requests_country_submitted_idx').on(t.country, t.submittedAt.desc(), t.id.desc()),
    index('requests_domain_submitted_idx').on(t.domain, t.submittedAt.desc(), t.id.desc()),
    // Country and phase together is the most frequent pair (a partner's lists, a monitor's per-country view): a
    // rare phase in one country must not mean walking all of that country's requests.
    index('requests_country_phase_submitted_idx').on(t.country, t.phase, t.submittedAt.desc(), t.id.desc()),
    index('requests_updated_idx').on(t.updatedAt.desc(), t.id.desc()),
    index('requests_decided_idx').on(t.decidedAt.desc(), t.id.desc()).where(sql`decided_at is not null`),
    // Overdue is "due_at < now()": a small partial index over the requests that have a deadline at all.
    index('requests_due_idx').on(t.dueAt).where(sql`due_at is not null`),
    // The due sort (whoever must act, soonest deadline first; none last): its key, then id. Open requests alone are
    // the worklist a secretariat works from; ended ones (no deadline) would otherwise be walked to reach the undated.
    index('requests_due_order_idx').on(dueOrderKey(t.dueAt), t.id),
    index('requests_open_due_idx').on(dueOrderKey(t.dueAt), t.id).where(STILL_OPEN),
    index('requests_objections_idx').on(t.submittedAt.desc(), t.id.desc()).where(sql`has_objections`),
    // Requests of one objective: partial, as requests name one only where known.
    index('requests_objective_submitted_idx').on(t.objective, t.submittedAt.desc(), t.id.desc()).where(sql`objective is not null`),
    // Which requests hold a document with these bytes, before they are erased (documents-repository.ts). Requests
    // without documents have no entry, so the index costs their writes nothing.
    index('requests_documents_idx').using('gin', sql`(${t.state} -> 'documents') jsonb_path_ops`).where(sql`${t.state} ? 'documents'`),
  ],
);

/**
 * What a search reads, one narrow row per request, written by Postgres from `requests` (the trigger of migration 0028,
 * db/functions/copy_to_request_search.sql). A search matches, filters, orders and cuts its page here, then reads
 * that page's rows of `requests` by id (db/request-search.ts): only the columns a search reads, in submission order,
 * so that the newest rows a search walks share pages (18 to a page at 1,000,000 requests, where `requests` had 8 and a
 * state in TOAST beside each).
 */
export const requestSearch = pgTable(
  'request_search',
  {
    requestId: uuid('request_id')
      .primaryKey()
      .references(() => requests.id, { onDelete: 'cascade' }),
    submittedAt: timestamp('submitted_at', { withTimezone: true, mode: 'string' }).notNull(),
    committeeVisible: boolean('committee_visible').notNull(),
    country: char('country', { length: 2 }).notNull(),
    /**
     * The search document stemmed in the request's language, accents ignored (migration 0026's configurations):
     * "formations" finds "formation", "securite" finds "sécurité". One column per language, the others null, which
     * says the request's language: Postgres keeps statistics per column, and a word's frequency among one language's
     * requests is what tells it how to find their matches ("frontieres" is common among French requests and read in
     * English matches no English one).
     */
    searchVectorEn: tsvector('search_vector_en'),
    searchVectorFr: tsvector('search_vector_fr'),
    /**
     * The month of submission (UTC), as year × 12 + month: the key by which a search of the newest matches first
     * looks among the last two months' (db/request-search.ts). A few hundred thousand requests share a month at most,
     * so the GIN index keeps it as a handful of entries, where the instant itself would be one entry per request.
     */
    submittedMonth: integer('submitted_month').generatedAlwaysAs(submissionMonthOf(sql.raw('submitted_at'))),
  },
  (t) => [
    // Each language's requests have their own indexes, as a search reads the query in each language apart
    // (db/request-search.ts): a GIN index of the words, the country and the month (btree_gin), so that a partner's
    // search takes only their country's matches and a search of the newest only the last months' first; and the
    // newest first, for a word common enough to have a page among them, by month then instant (the same order: the
    // month grows with the instant), so that the last months' are a range of it too.
    ...LANGUAGES.flatMap((language) => {
      // Over the rows that have the language's vector: a search for it implies so (`@@` is strict), and its estimate
      // is the vector's own statistics, where a condition on a language column beside it counted the language twice.
      const written = sql.raw(`search_vector_${language} is not null`);
      const vector = { en: t.searchVectorEn, fr: t.searchVectorFr }[language];
      return [
        index(`request_search_${language}_idx`).using('gin', vector, t.country, t.submittedMonth).where(written),
        index(`request_search_${language}_submitted_idx`).on(t.submittedMonth.desc(), t.submittedAt.desc(), t.requestId.desc()).where(written),
      ];
    }),
  ],
);

/** The month of an instant as request_search.submitted_month holds it (UTC, year × 12 + month). */
export function submissionMonthOf(instant: SQL): SQL {
  return sql`(extract(year from (${instant} at time zone 'UTC')) * 12 + extract(month from (${instant} at time zone 'UTC')))::integer`;
}

/** The append-only audit trail: every event with its actor, time and reason. */
export const requestEvents = pgTable(
  'request_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    requestId: uuid('request_id').notNull(),
    seq: integer('seq').notNull(),
    type: text('type').notNull(),
    actorId: text('actor_id').notNull(),
    actorName: text('actor_name').notNull(),
    actorRole: text('actor_role').notNull(),
    phaseBefore: text('phase_before').$type<Phase>().notNull(),
    phaseAfter: text('phase_after').$type<Phase>().notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'string' }).notNull(),
    payload: jsonb('payload').$type<DomainEvent['payload']>().notNull(),
  },
  (t) => [uniqueIndex('request_events_request_seq_key').on(t.requestId, t.seq)],
);

/** Maps a partner's Idempotency-Key to the request it created, so a retried submission finds it again. */
export const submissionKeys = pgTable(
  'submission_keys',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    idempotencyKey: text('idempotency_key').notNull(),
    requestId: uuid('request_id').notNull(),
    /** SHA-256 of the submitted body: the same key with a different body is a client error, not a retry. */
    bodyHash: text('body_hash').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.idempotencyKey] })],
);

export const reviewVotes = pgTable(
  'review_votes',
  {
    requestId: uuid('request_id').notNull(),
    seq: integer('seq').notNull(),
    voterId: text('voter_id').notNull(),
    voterName: text('voter_name').notNull(),
    vote: text('vote').notNull(),
    comment: text('comment'),
    votedAt: timestamp('voted_at', { withTimezone: true, mode: 'string' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.requestId, t.seq] })],
);

export const decisions = pgTable(
  'decisions',
  {
    requestId: uuid('request_id').notNull(),
    seq: integer('seq').notNull(),
    decision: text('decision').notNull(),
    rationale: text('rationale').notNull(),
    conditions: text('conditions'),
    approvedBudgetEur: numeric('approved_budget_eur', { precision: 14, scale: 2 }),
    decidedBy: text('decided_by').notNull(),
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'string' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.requestId, t.seq] })],
);

export const implementationActivities = pgTable(
  'implementation_activities',
  {
    id: uuid('id').primaryKey(),
    requestId: uuid('request_id').notNull(),
    plannedSeq: integer('planned_seq').notNull(),
    /** The seq of the last event that changed this row; an older event never overwrites a newer one. */
    lastSeq: integer('last_seq').notNull(),
    type: text('type').notNull(),
    title: text('title').notNull(),
    startDate: text('start_date').notNull(),
    endDate: text('end_date').notNull(),
    location: text('location').notNull(),
    budgetEur: numeric('budget_eur', { precision: 14, scale: 2 }).notNull(),
    status: text('status').notNull(),
    /** Why it was postponed or cancelled. */
    reason: text('reason'),
    spentEur: numeric('spent_eur', { precision: 14, scale: 2 }),
    participants: jsonb('participants').$type<Participants>(),
  },
  (t) => [index('implementation_activities_request_idx').on(t.requestId)],
);

export const reports = pgTable(
  'reports',
  {
    requestId: uuid('request_id').notNull(),
    seq: integer('seq').notNull(),
    kind: text('kind').notNull(),
    summary: text('summary').notNull(),
    indicators: jsonb('indicators'),
    submittedBy: text('submitted_by').notNull(),
    submittedAt: timestamp('submitted_at', { withTimezone: true, mode: 'string' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.requestId, t.seq] })],
);

/**
 * The Chair is an office with a term: a user with the chair role may decide only while a term covers the
 * moment. Handing over ends the current term and starts the next one.
 */
export const chairTerms = pgTable(
  'chair_terms',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    startsAt: timestamp('starts_at', { withTimezone: true, mode: 'string' }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true, mode: 'string' }).notNull(),
    assignedBy: text('assigned_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('chair_terms_period_idx').on(t.startsAt, t.endsAt)],
);

/** Audit trail of identity and office changes (users, tokens, chair handovers), like request_events for requests. */
export const adminEvents = pgTable('admin_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  type: text('type').notNull(),
  actorName: text('actor_name').notNull(),
  occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
});

export interface AgendaItem {
  requestId: string;
  title: string;
  country: string;
  phase: string;
}

export type { MinutesItemResult };

/**
 * Steering Committee meetings: the agenda (built from the requests in review and approval when the meeting is
 * scheduled, editable until the minutes are recorded) and, afterwards, what each decision of the minutes did.
 */
export const meetings = pgTable(
  'meetings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: text('title').notNull(),
    scheduledFor: timestamp('scheduled_for', { withTimezone: true, mode: 'string' }).notNull(),
    agenda: jsonb('agenda').$type<AgendaItem[]>().notNull(),
    scheduledBy: text('scheduled_by').notNull(),
    createdAt: createdAt(),
    minutesRecordedAt: timestamp('minutes_recorded_at', { withTimezone: true, mode: 'string' }),
    minutesRecordedBy: text('minutes_recorded_by'),
    minutes: jsonb('minutes').$type<MinutesItemResult[]>(),
    /** When the meeting's workflow (workflows/meeting.ts) queued the reminders to the committee; null: not (yet). */
    membersRemindedAt: timestamp('members_reminded_at', { withTimezone: true, mode: 'string' }),
  },
  (t) => [index('meetings_scheduled_idx').on(t.scheduledFor)],
);

/**
 * Pre-aggregated statistics. Counting a million requests on every call is what a portfolio page cannot afford;
 * these tables are kept current in the transaction that records each event (the SQL function record_event, db/migrations/0009), so
 * statistics read a few thousand rows at most. Every table is keyed by country and by `committee`: false rows
 * count every request, true rows only those the Steering Committee sees — the two visibility scopes besides a
 * partner's own country.
 */
export const portfolioTallies = pgTable(
  'portfolio_tallies',
  {
    phase: text('phase').notNull(),
    country: char('country', { length: 2 }).notNull(),
    domain: smallint('domain').notNull(),
    activityType: text('activity_type').notNull(),
    committeeVisible: boolean('committee_visible').notNull(),
    requests: integer('requests').notNull(),
    requestedEur: numeric('requested_eur', { precision: 16, scale: 2 }).notNull(),
    approvedEur: numeric('approved_eur', { precision: 16, scale: 2 }).notNull(),
    spentEur: numeric('spent_eur', { precision: 16, scale: 2 }).notNull(),
    trainedTotal: integer('trained_total').notNull(),
    trainedWomen: integer('trained_women').notNull(),
    trainedMen: integer('trained_men').notNull(),
  },
  (t) => [primaryKey({ columns: [t.phase, t.country, t.domain, t.activityType, t.committeeVisible] })],
);

/**
 * Durations as log-scale histograms (bucket b ≥ 1 holds [1.05^(b-1), 1.05^b) seconds; bucket 0 under a second):
 * histograms of different countries add up, percentiles do not, and a percentile read from one is within 2.5 %.
 * `measure` is a phase (time spent in it) or `submission_to_decision`. `committee` false counts every request;
 * true only those the Steering Committee sees (added when a request reaches it, with its earlier visits).
 */
export const durationHistogram = pgTable(
  'duration_histogram',
  {
    measure: text('measure').notNull(),
    country: char('country', { length: 2 }).notNull(),
    committee: boolean('committee').notNull(),
    bucket: smallint('bucket').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.measure, t.country, t.committee, t.bucket] })],
);

/** Deadlines breached (screening escalations, reviews closed by their deadline, overdue reports), tallied. */
export const slaTallies = pgTable(
  'sla_tallies',
  {
    kind: text('kind').notNull(),
    country: char('country', { length: 2 }).notNull(),
    committee: boolean('committee').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.country, t.committee] })],
);

/**
 * The multi-annual programme a request serves (today the Cadiz Action Plan 2023–2027): reference data, not code.
 * Administrators load each plan (PUT /action-plans/{planId}); a plan changes about every five years, and a request
 * keeps the plan that was in force when it was submitted. The five action areas are the same in every plan so far.
 */
export const actionPlans = pgTable('action_plans', {
  id: text('id').primaryKey(),
  title: text('title').notNull(),
  /** The title in French; a plan loaded without one is shown to French readers with its English title. */
  titleFr: text('title_fr'),
  startsOn: date('starts_on', { mode: 'string' }).notNull(),
  endsOn: date('ends_on', { mode: 'string' }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
});

export const actionPlanAreas = pgTable(
  'action_plan_areas',
  {
    planId: text('plan_id')
      .notNull()
      .references(() => actionPlans.id, { onDelete: 'cascade' }),
    area: smallint('area').notNull(),
    title: text('title').notNull(),
    titleFr: text('title_fr'),
  },
  (t) => [primaryKey({ columns: [t.planId, t.area] })],
);

/** An objective, by the code the plan gives it ("3", "5a"), under one action area of its plan. */
export const actionPlanObjectives = pgTable(
  'action_plan_objectives',
  {
    planId: text('plan_id').notNull(),
    code: text('code').notNull(),
    area: smallint('area').notNull(),
    title: text('title').notNull(),
    titleFr: text('title_fr'),
    position: smallint('position').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.planId, t.code] }),
    foreignKey({ columns: [t.planId, t.area], foreignColumns: [actionPlanAreas.planId, actionPlanAreas.area] }).onDelete('cascade'),
  ],
);

/**
 * Requests per action-plan objective, pre-aggregated like portfolio_tallies (kept current by record_event through
 * move_tallies, db/migrations/0012): each request once, under its current visibility. Requests that name no
 * objective count under objective ''.
 */
export const objectiveTallies = pgTable(
  'objective_tallies',
  {
    planId: text('plan_id').notNull(),
    objective: text('objective').notNull(),
    country: char('country', { length: 2 }).notNull(),
    committeeVisible: boolean('committee_visible').notNull(),
    requests: integer('requests').notNull(),
    requestedEur: numeric('requested_eur', { precision: 16, scale: 2 }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.planId, t.objective, t.country, t.committeeVisible] })],
);

/**
 * The dialogue's members: its partner countries and organisations, and its observers (GET /countries). Reference
 * data, seeded with the Rabat Process's (db/migrations/0025) and kept by administrators: a new user's, token's or
 * request's country must be one of these codes. No foreign key points here: rows stored before the list existed,
 * or naming a code since removed, must keep being read.
 */
export const dialogueMembers = pgTable(
  'dialogue_members',
  {
    /** ISO 3166-1 alpha-2 (EU for the European Union; XW, user-assigned, for ECOWAS): two letters, as every country column. */
    code: char('code', { length: 2 }).primaryKey(),
    nameEn: text('name_en').notNull(),
    nameFr: text('name_fr').notNull(),
    kind: text('kind').$type<MemberKind>().notNull(),
    status: text('status').$type<MemberStatus>().notNull(),
    region: text('region').$type<Region>(),
    /** When it joined the dialogue; null where that is not on record. */
    memberSince: date('member_since', { mode: 'string' }),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  },
  (t) => [
    check('dialogue_members_code_check', sql`${t.code} ~ '^[A-Z]{2}$'`),
    check('dialogue_members_names_check', sql`${t.nameEn} <> '' AND ${t.nameFr} <> ''`),
    check('dialogue_members_kind_check', sql`${t.kind} IN ('country', 'organisation')`),
    check('dialogue_members_status_check', sql`${t.status} IN ('partner', 'observer')`),
    check('dialogue_members_region_check', sql`${t.region} IN ('europe', 'north_africa', 'west_africa', 'central_africa', 'east_africa')`),
    check('dialogue_members_member_since_within_dates', sql`${t.memberSince} BETWEEN '2006-01-01' AND '2100-12-31'`),
  ],
);

/**
 * Webhook subscriptions, registered by administrators. The secret signs every delivery (Standard Webhooks:
 * HMAC-SHA256 over id, timestamp and body); the server must keep it to sign, so it is stored sealed with the
 * payload keyring (codec/sealed-secret.ts: a copy of the database alone signs nothing) and shown to the administrator
 * once.
 */
export const webhookSubscriptions = pgTable('webhook_subscriptions', {
  id: uuid('id').primaryKey().defaultRandom(),
  url: text('url').notNull(),
  /** Event types to deliver (`submitted`, `approved`, …), or `*` for every type. */
  eventTypes: text('event_types').array().notNull(),
  description: text('description'),
  secret: text('secret').notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: createdAt(),
  disabledAt: timestamp('disabled_at', { withTimezone: true, mode: 'string' }),
});

export type DeliveryStatus = 'pending' | 'retrying' | 'delivered' | 'dead' | 'cancelled';

/**
 * One row per (subscription, event): written in the transaction that records the event (an outbox), so every
 * event reaches every matching subscription exactly once, however often Temporal retries the activity.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    subscriptionId: uuid('subscription_id')
      .notNull()
      .references(() => webhookSubscriptions.id),
    /** The audit trail's event ID (the same sequence as the event stream's Last-Event-ID). */
    eventId: bigint('event_id', { mode: 'number' }).notNull(),
    requestId: uuid('request_id').notNull(),
    eventType: text('event_type').notNull(),
    status: text('status').$type<DeliveryStatus>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    /** How often an administrator asked for it again; each time a new delivery workflow runs. */
    redeliveries: integer('redeliveries').notNull().default(0),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true, mode: 'string' }),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    deliveredAt: timestamp('delivered_at', { withTimezone: true, mode: 'string' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_subscription_event_key').on(t.subscriptionId, t.eventId),
    index('webhook_deliveries_event_idx').on(t.eventId),
    index('webhook_deliveries_subscription_idx').on(t.subscriptionId, t.createdAt.desc()),
  ],
);

/** The delivery log: every attempt, with what the subscriber answered. */
export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    deliveryId: uuid('delivery_id')
      .notNull()
      .references(() => webhookDeliveries.id),
    attemptedAt: timestamp('attempted_at', { withTimezone: true, mode: 'string' }).notNull(),
    durationMs: integer('duration_ms').notNull(),
    statusCode: integer('status_code'),
    error: text('error'),
  },
  (t) => [index('webhook_attempts_delivery_idx').on(t.deliveryId, t.id)],
);

/**
 * The bytes of attached documents, stored once per content (keyed by their SHA-256) however many requests attach
 * them. The API writes them just before the step that attaches a document; which request holds which document, and
 * who attached it when, is in the request's state (`documents`), as the workflow recorded it.
 */
export const documentContents = pgTable('document_contents', {
  sha256: char('sha256', { length: 64 }).primaryKey(),
  sizeBytes: integer('size_bytes').notNull(),
  content: bytea('content').notNull(),
  storedAt: createdAt(),
});

/**
 * Bytes erased for good from a request that has ended, where removal (a step of a running request) is no longer
 * possible: a document attached by mistake, or holding personal data that must not be kept. The document stays in
 * the request's record (name, size, SHA-256, who attached it); what was erased, when, by whom and why is here.
 * By content: the same bytes are erased wherever they were attached before then (attached again later, they are
 * another document's, and stay until that one is removed or erased in turn).
 */
export const documentErasures = pgTable(
  'document_erasures',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sha256: char('sha256', { length: 64 }).notNull(),
    requestId: uuid('request_id').notNull(),
    documentId: uuid('document_id').notNull(),
    erasedByUserId: uuid('erased_by_user_id').notNull(),
    erasedByName: text('erased_by_name').notNull(),
    erasedByRole: text('erased_by_role').$type<Role>().notNull(),
    reason: text('reason').notNull(),
    erasedAt: timestamp('erased_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  },
  (t) => [index('document_erasures_sha256_idx').on(t.sha256, t.erasedAt), uniqueIndex('document_erasures_document_key').on(t.documentId)],
);

export type NotificationStatus = 'pending' | 'sent' | 'retrying' | 'dead' | 'cancelled';
/** Why a message is in the outbox: the reasons of requests' e-mails (notifications/audiences.ts), and address confirmation. */
export type OutboxReason = 'your_turn' | 'reminder' | 'news' | 'email_confirmation' | 'invitation' | 'sign_in';
/** The e-mails that carry a secret (a code, a sign-in link): their text is shown to nobody, not even their person. */
export const SECRET_BEARING_REASONS: readonly OutboxReason[] = ['email_confirmation', 'invitation', 'sign_in'];

/**
 * The e-mail outbox: one message per person per event that concerns them, queued in the event's own transaction
 * (record-event.ts), sent by the worker's relay (worker/notification-relay.ts). The text is fixed when queued: what
 * was sent is on record.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The request and event that caused it; null for an address confirmation or a meeting's reminder, which concern no one request. */
    requestId: uuid('request_id'),
    seq: integer('seq'),
    /** The meeting a reminder is about (workflows/meeting.ts): one per member per meeting, whatever retries. */
    meetingId: uuid('meeting_id').references(() => meetings.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    /**
     * Why this person is told: it is their turn to act, a reminder of it, news of their request, or the code that
     * confirms a new address of theirs.
     */
    reason: text('reason').$type<OutboxReason>().notNull(),
    /** Where it goes when not to the person's address in use: a confirmation goes to the address being confirmed. */
    address: text('address'),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    status: text('status').$type<NotificationStatus>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true, mode: 'string' }),
    lastError: text('last_error'),
    /** When the relay may (next) try to send it: now when queued, later after a failed attempt (backoff). */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
    /** A relay is sending it until then; past it, another relay may take it (the first one died). */
    claimedUntil: timestamp('claimed_until', { withTimezone: true, mode: 'string' }),
    /** The address it went to (the person's address may change later). */
    sentTo: text('sent_to'),
    sentAt: timestamp('sent_at', { withTimezone: true, mode: 'string' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('notifications_request_seq_user_key').on(t.requestId, t.seq, t.userId),
    uniqueIndex('notifications_meeting_user_key').on(t.meetingId, t.userId).where(sql`meeting_id is not null`),
    // A person's e-mails and everybody's (administrators), newest first: in the lists' order, ties broken by id.
    index('notifications_user_idx').on(t.userId, t.createdAt.desc(), t.id.desc()),
    index('notifications_created_idx').on(t.createdAt.desc(), t.id.desc()),
    index('notifications_unsent_idx').on(t.status, t.createdAt).where(sql`status <> 'sent'`),
    index('notifications_due_idx').on(t.nextAttemptAt).where(sql`status in ('pending', 'retrying')`),
  ],
);

/**
 * An address a person gave themselves and has not yet confirmed: notifications keep going to the address in use
 * (users.email) until they type the code sent to this one. At most one per person; a new address replaces it.
 */
export const emailConfirmations = pgTable('email_confirmations', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id),
  email: text('email').notNull(),
  /** SHA-256 of the person's ID and the code: the code itself is only in the e-mail. */
  codeHash: char('code_hash', { length: 64 }).notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  failedAttempts: integer('failed_attempts').notNull().default(0),
  createdAt: createdAt(),
});

/** How a browser's session began (README, "Signing in"). */
export type SignInMethod = 'invitation' | 'email_link' | 'email_code' | 'oidc' | 'passkey';
/** Why a session ended before it expired. */
export type SessionEnd = 'signed_out' | 'signed_out_everywhere' | 'ended_by_admin' | 'access_changed' | 'deactivated';

/**
 * A browser signed in as a person (README, "Signing in"). Its cookie holds a random secret of which only the SHA-256
 * is stored, so a copy of the database signs nobody in. It lasts until idle too long (`last_used_at`), its absolute
 * expiry, or its end: signed out, or ended because the person's access changed.
 */
export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    secretHash: char('secret_hash', { length: 64 }).notNull().unique(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    method: text('method').$type<SignInMethod>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
    /** To the minute: enough to end an idle session, without a write on every call. */
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'string' }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true, mode: 'string' }),
    endReason: text('end_reason').$type<SessionEnd>(),
    /** Where and with what it was opened, for "Your sessions": the client's address and its browser's User-Agent. */
    clientAddress: text('client_address').notNull(),
    userAgent: text('user_agent').notNull().default(''),
  },
  (t) => [index('sessions_user_idx').on(t.userId, t.createdAt.desc())],
);

/**
 * A single-use secret e-mailed to a person: an administrator's invitation, or a sign-in link with its short code.
 * Only SHA-256 hashes are stored; the secret and the code are in the e-mail alone.
 */
export const signInSecrets = pgTable(
  'sign_in_secrets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    purpose: text('purpose').$type<'invitation' | 'sign_in'>().notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    secretHash: char('secret_hash', { length: 64 }).notNull().unique(),
    /** The short code typed on another device (sign-in only), hashed with the secret's ID. */
    codeHash: char('code_hash', { length: 64 }),
    failedCodes: integer('failed_codes').notNull().default(0),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'string' }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true, mode: 'string' }),
  },
  (t) => [index('sign_in_secrets_user_idx').on(t.userId, t.purpose, t.createdAt.desc())],
);

/**
 * Each request for a sign-in e-mail and each code typed, by address (hashed: the table says nothing of who exists) and
 * by client address: what the rate limits count, in Postgres so that every API process counts the same.
 */
export const signInAttempts = pgTable(
  'sign_in_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    addressHash: char('address_hash', { length: 64 }).notNull(),
    clientAddress: text('client_address').notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  },
  (t) => [index('sign_in_attempts_address_idx').on(t.addressHash, t.at), index('sign_in_attempts_client_idx').on(t.clientAddress, t.at)],
);

/**
 * A person's passkey (README, "Signing in"): a WebAuthn credential made by their authenticator for this site. Only
 * what checks a signature is stored — its ID and public key — so a copy of the database signs nobody in.
 */
export const passkeys = pgTable(
  'passkeys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    /** The credential's ID as the authenticator gave it, base64url. */
    credentialId: text('credential_id').notNull().unique(),
    /** The COSE public key, base64url. */
    publicKey: text('public_key').notNull(),
    /** The authenticator's signature counter: one that goes back betrays a cloned authenticator. */
    counter: bigint('counter', { mode: 'number' }).notNull().default(0),
    transports: text('transports').array().notNull().default(sql`'{}'::text[]`),
    name: text('name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'string' }),
  },
  (t) => [index('passkeys_user_idx').on(t.userId, t.createdAt)],
);

/**
 * The challenge of a passkey ceremony the API began: kept here, not trusted from the browser, used once, within
 * five minutes. A registration's belongs to the person adding a passkey; a sign-in's to nobody yet.
 */
export const passkeyChallenges = pgTable(
  'passkey_challenges',
  {
    challenge: text('challenge').primaryKey(),
    purpose: text('purpose').$type<'registration' | 'authentication'>().notNull(),
    userId: uuid('user_id').references(() => users.id),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'string' }).notNull(),
  },
  (t) => [index('passkey_challenges_expiry_idx').on(t.expiresAt)],
);

/**
 * The state of each single sign-on callback already brought back, until its attempt expires: a callback is answered
 * once, whichever instance of the API it reaches (a replay with a copy of the browser's cookie is refused before the
 * provider is asked to spend its code again). Only a hash of the state is kept.
 */
export const spentSignOnStates = pgTable(
  'spent_sign_on_states',
  {
    stateHash: char('state_hash', { length: 64 }).primaryKey(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'string' }).notNull(),
  },
  (t) => [index('spent_sign_on_states_expiry_idx').on(t.expiresAt)],
);

export const schema = {
  users,
  apiTokens,
  sessions,
  signInSecrets,
  signInAttempts,
  spentSignOnStates,
  requests,
  requestSearch,
  requestEvents,
  submissionKeys,
  reviewVotes,
  decisions,
  implementationActivities,
  reports,
  chairTerms,
  adminEvents,
  meetings,
  portfolioTallies,
  durationHistogram,
  slaTallies,
  actionPlans,
  actionPlanAreas,
  actionPlanObjectives,
  objectiveTallies,
  dialogueMembers,
  documentContents,
  webhookSubscriptions,
  webhookDeliveries,
  webhookAttempts,
  notifications,
  emailConfirmations,
  documentErasures,
  passkeys,
  passkeyChallenges,
};
