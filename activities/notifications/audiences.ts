import { TERMINAL_PHASES, type DomainEvent, type RequestState, type Role } from '../../workflows/request-model';
import { pendingReviewers, waitingFor } from '../../read-model/waiting-for';
import { describeEvent } from './event-descriptions';
import type { MailContext } from './mail-context';
import { nextStepInFrench } from './next-step-in-french';

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

/** A language a person may choose for their e-mails; without a choice they read both. */
export type Language = 'en' | 'fr';
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

/** The subject's first words, in each language: the dialogue works in both, and so do its e-mails. */
function subjectLead(reason: NotificationReason, event: DomainEvent): Record<Language, string> {
  if (reason === 'your_turn') return { en: 'Your turn', fr: 'À vous' };
  if (reason === 'reminder') {
    return event.type === 'report_overdue' || event.type === 'screening_escalated' ? { en: 'Overdue', fr: 'En retard' } : { en: 'Reminder', fr: 'Rappel' };
  }
  return { en: describeEvent(event, 'en').headline, fr: describeEvent(event, 'fr').headline };
}

function message(reason: NotificationReason, event: DomainEvent, state: RequestState, context: MailContext): MailText & { inOneLanguage: Record<Language, MailText> } {
  const { title, country, domain } = state.submission;
  const waiting = waitingFor(state);
  const link = context.publicUrl ? `${context.publicUrl.replace(/\/+$/, '')}/dashboard#request/${state.requestId}` : null;
  const english = [
    `${describeEvent(event, 'en').sentence} (${formatMoment(event.at)}).`,
    '',
    `Request: ${title}`,
    `Country: ${country} · Action area ${domain} · Reference ${state.requestId}`,
    ...(waiting ? ['', `What happens next: ${waiting.what}`, ...(waiting.deadline ? [`By: ${formatMoment(waiting.deadline)}`] : [])] : []),
    '',
    link ? `${OPEN[reason].en}: ${link}` : `${OPEN[reason].en} in the dashboard; its reference is ${state.requestId}.`,
  ];
  const next = nextStepInFrench(state);
  const french = [
    `${describeEvent(event, 'fr').sentence} (${formatMoment(event.at)}).`,
    '',
    `Demande : ${title}`,
    `Pays : ${country} · Domaine d'action ${domain} · Référence ${state.requestId}`,
    ...(next ? ['', `Prochaine étape : ${next}`, ...(waiting?.deadline ? [`Échéance : ${formatMoment(waiting.deadline)}`] : [])] : []),
    '',
    link ? `${OPEN[reason].fr} : ${link}` : `${OPEN[reason].fr} dans le tableau de bord ; sa référence est ${state.requestId}.`,
  ];
  const lead = subjectLead(reason, event);
  const text = (lines: string[]) => `${lines.join('\n')}\n`;
  const prefix = { en: `[${context.dialogue.en}]`, fr: `[${context.dialogue.fr}]` };
  return {
    subject: `${prefix.en} ${lead.en} · ${lead.fr}: ${title}`,
    body: text([...english, '', '— Français —', '', ...french, '', '--', WHY[reason].en, STOP.en, WHY[reason].fr, STOP.fr]),
    inOneLanguage: {
      en: { subject: `${prefix.en} ${lead.en}: ${title}`, body: text([...english, '', '--', WHY[reason].en, STOP.en]) },
      fr: { subject: `${prefix.fr} ${lead.fr} : ${title}`, body: text([...french, '', '--', WHY[reason].fr, STOP.fr]) },
    },
  };
}

/** Where the link leads: the request's page, where whoever it waits for takes their step (the dashboard's forms). */
const OPEN: Record<NotificationReason, Record<'en' | 'fr', string>> = {
  your_turn: { en: 'Open the request to take your step', fr: 'Ouvrez la demande pour agir' },
  reminder: { en: 'Open the request to take your step', fr: 'Ouvrez la demande pour agir' },
  news: { en: 'Open the request', fr: 'Ouvrez la demande' },
};

const WHY: Record<NotificationReason, Record<'en' | 'fr', string>> = {
  your_turn: {
    en: 'You receive this because the request now waits for you.',
    fr: 'Vous recevez ce message parce que la demande vous attend désormais.',
  },
  reminder: {
    en: 'You receive this because the request still waits for you, or for people whose work you oversee.',
    fr: 'Vous recevez ce message parce que la demande vous attend toujours, ou attend des personnes dont vous suivez le travail.',
  },
  news: {
    en: 'You receive this because you are a focal point of the requesting country.',
    fr: 'Vous recevez ce message en tant que point focal du pays demandeur.',
  },
};

const STOP = {
  en: 'To stop these e-mails, empty your address in the dashboard ("E-mail notifications"), or ask an administrator.',
  fr: 'Pour ne plus recevoir ces courriels, effacez votre adresse dans le tableau de bord (« E-mail notifications »), ou demandez-le à un administrateur.',
};

/** Dates in e-mails: unambiguous across the dialogue's time zones, to the minute. */
function formatMoment(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
