import { TERMINAL_PHASES, type DomainEvent, type RequestState, type Role } from '../../workflows/request-model';
import { pendingReviewers, waitingFor } from '../../read-model/waiting-for';
import type { Language } from '../../i18n/languages';
import { translate, translatorFor } from '../../i18n/messages';
import { describeEvent } from './event-descriptions';
import type { MailContext } from './mail-context';
import { mailMoment } from './mail-moment';
import { languageHeading } from './language-heading';

/**
 * Who is told about an event by e-mail, and what they read. Pure: the SQL function queue_notifications
 * (db/migrations/0016) turns each audience into the people it names who have an address, in the event's transaction.
 *
 * People are told three things: that a request now waits for them (their turn), that it still does (a reminder,
 * an escalation, a report overdue), and, for the requesting country's focal points, what was decided about it.
 * Everything else (a vote, a document, an activity's status) is in the dashboard and the event stream, not the inbox:
 * an inbox that reports every event is an inbox people stop reading.
 */

export type NotificationReason = 'your_turn' | 'reminder' | 'news';

export interface Audience {
  reason: NotificationReason;
  /** Everyone with one of these roles (the Chair only while in office)… */
  roles: Role[];
  /** …in this country, if set (a partner speaks for one country)… */
  country: string | null;
  /** …and these people by ID (the committee members who still have to vote). */
  userIds: string[];
  /** The message in English, then French: for everyone who has not chosen one language. */
  subject: string;
  body: string;
  /** The same message in one language, for those who chose it (users.language). */
  inOneLanguage: Record<Language, MailText>;
}

export interface MailText {
  subject: string;
  body: string;
}

/** The events that remind people that something is still theirs to do, or late. */
const REMINDERS = new Set(['screening_reminder', 'screening_escalated', 'information_reminder', 'review_reminder', 'report_reminder', 'report_overdue']);

/** What the requesting country's focal points are told even when nothing waits for them. */
const NEWS_FOR_PARTNER = new Set(['screening_accepted', 'approved', 'rejected', 'screening_rejected', 'cancelled', 'withdrawn', 'closed', 'report_returned']);

type Recipients = Pick<Audience, 'roles' | 'country' | 'userIds'>;

/**
 * The people a request waits for now: by role, a partner for the requesting country only, and the committee
 * members who still have to vote by ID. One set per kind, as a country applies to all of a set's roles.
 */
function whoMustAct(state: RequestState): Recipients[] {
  const waiting = waitingFor(state);
  if (!waiting) return [];
  const sets: Recipients[] = [];
  if (waiting.roles.includes('partner')) sets.push({ roles: ['partner'], country: state.submission.country, userIds: [] });
  const others = waiting.roles.filter((role) => role !== 'partner' && role !== 'sc_member');
  if (others.length > 0) sets.push({ roles: others, country: null, userIds: [] });
  if (waiting.roles.includes('sc_member')) {
    const pending = pendingReviewers(state).map((r) => r.userId);
    if (pending.length > 0) sets.push({ roles: [], country: null, userIds: pending });
  }
  return sets;
}

export function notificationAudiences(event: DomainEvent, state: RequestState, context: MailContext): Audience[] {
  const audiences: Array<{ reason: NotificationReason; recipients: Recipients }> = [];
  const acting = whoMustAct(state);
  if (REMINDERS.has(event.type)) {
    for (const recipients of acting) audiences.push({ reason: 'reminder', recipients });
    // A late screening is escalated to the Chair, who does not act on it but must know.
    if (event.type === 'screening_escalated') audiences.push({ reason: 'reminder', recipients: { roles: ['chair'], country: null, userIds: [] } });
  } else if (event.type === 'report_submitted') {
    // A report waits for the Secretariat to accept it or return it, in whichever phase it comes.
    audiences.push({ reason: 'your_turn', recipients: { roles: ['secretariat'], country: null, userIds: [] } });
  } else if (event.phaseBefore !== event.phaseAfter || event.type === 'submitted' || event.type === 'report_returned') {
    for (const recipients of acting) audiences.push({ reason: 'your_turn', recipients });
  }
  const ended = TERMINAL_PHASES.includes(event.phaseAfter) && event.phaseBefore !== event.phaseAfter;
  if (NEWS_FOR_PARTNER.has(event.type) || ended) {
    audiences.push({ reason: 'news', recipients: { roles: ['partner'], country: state.submission.country, userIds: [] } });
  }
  // One text per reason, however many audiences share it.
  const texts = new Map<NotificationReason, ReturnType<typeof message>>();
  const textFor = (reason: NotificationReason) => texts.get(reason) ?? texts.set(reason, message(reason, event, state, context)).get(reason)!;
  return audiences.map(({ reason, recipients }) => ({ reason, ...recipients, ...textFor(reason) }));
}

/** Reminders that say a deadline has passed rather than that it nears. */
const OVERDUE = new Set(['report_overdue', 'screening_escalated']);

/** The subject's first words: whose turn it is, a reminder, or (news) what happened. */
function subjectLead(language: Language, reason: NotificationReason, event: DomainEvent): string {
  if (reason === 'news') return describeEvent(event, language).headline;
  return translate(language, 'mail.lead', { lead: reason === 'your_turn' ? 'your_turn' : OVERDUE.has(event.type) ? 'overdue' : 'reminder' });
}

function message(reason: NotificationReason, event: DomainEvent, state: RequestState, context: MailContext): MailText & { inOneLanguage: Record<Language, MailText> } {
  const { title } = state.submission;
  const said = { en: whatHappened('en', reason, event, state, context), fr: whatHappened('fr', reason, event, state, context) };
  const lead = { en: subjectLead('en', reason, event), fr: subjectLead('fr', reason, event) };
  const subject = (language: Language, words: string) => translate(language, 'mail.subject', { dialogue: `[${context.dialogue[language]}]`, lead: words, title });
  // Why they receive it, and how to stop: the dashboard's section named as their page names it, so that they find it.
  const footer = (language: Language) => [translate(language, `mail.why.${reason}`), translate(language, 'mail.stop', { section: translate(language, 'page.email.summary') })];
  const text = (lines: string[]) => `${lines.join('\n')}\n`;
  return {
    subject: subject('en', `${lead.en} · ${lead.fr}`),
    body: text([...said.en, '', languageHeading('fr'), '', ...said.fr, '', '--', ...footer('en'), ...footer('fr')]),
    inOneLanguage: {
      en: { subject: subject('en', lead.en), body: text([...said.en, '', '--', ...footer('en')]) },
      fr: { subject: subject('fr', lead.fr), body: text([...said.fr, '', '--', ...footer('fr')]) },
    },
  };
}

/** The message's part in one language: what happened, which request, what is next and by when, where to open it. */
function whatHappened(language: Language, reason: NotificationReason, event: DomainEvent, state: RequestState, context: MailContext): string[] {
  const say = translatorFor(language);
  const { title, country, domain } = state.submission;
  const reference = state.requestId;
  const waiting = waitingFor(state, language);
  const open = say('mail.open', { reason });
  const link = context.publicUrl ? `${context.publicUrl.replace(/\/+$/, '')}/dashboard#request/${state.requestId}` : null;
  return [
    say('mail.whatHappened', { sentence: describeEvent(event, language).sentence, at: mailMoment(event.at, language) }),
    '',
    say('mail.request', { title }),
    say('mail.about', { country, domain, reference }),
    ...(waiting ? ['', say('mail.next', { what: waiting.what }), ...(waiting.deadline ? [say('mail.by', { deadline: mailMoment(waiting.deadline, language) })] : [])] : []),
    '',
    link ? say('mail.openAt', { open, link }) : say('mail.openInDashboard', { open, reference }),
  ];
}

