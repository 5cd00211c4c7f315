import type { EventType } from '../../workflows/event-types';
import type { DomainEvent } from '../../workflows/request-model';

/**
 * An event in words, for people reading an e-mail: a short headline (subjects) and a sentence (bodies), in the
 * dialogue's two working languages.
 */
export type Language = 'en' | 'fr';

export interface EventDescription {
  headline: string;
  sentence: string;
}

type Describe = (who: string, event: DomainEvent) => EventDescription;

const WHO: Record<Language, Record<string, string>> = {
  en: {
    partner: 'The focal point',
    secretariat: 'The Secretariat',
    sc_member: 'A Steering Committee member',
    chair: 'The Chair',
    monitor: 'A monitor',
    admin: 'An administrator',
    system: 'The system',
  },
  fr: {
    partner: 'Le point focal',
    secretariat: 'Le Secrétariat',
    sc_member: 'Un membre du Comité de pilotage',
    chair: 'La présidence',
    monitor: 'Un observateur',
    admin: 'Un administrateur',
    system: 'Le système',
  },
};

/** "The final report" / « Le rapport final ». */
function report(event: DomainEvent, language: Language): string {
  const kind = event.payload.kind;
  if (language === 'fr') return kind === 'final' ? 'Le rapport final' : kind === 'progress' ? "Le rapport d'étape" : 'Un rapport';
  return typeof kind === 'string' ? `The ${kind} report` : 'A report';
}

/** The words of a code (a vote, an activity status), in the language; the code itself when it has none here. */
const WORDS: Record<Language, Record<string, string>> = {
  en: { no_objection: 'no objection', objection: 'objection', abstain: 'abstention', confirmed: 'confirmed', held: 'held', postponed: 'postponed', cancelled: 'cancelled', planned: 'planned' },
  fr: { no_objection: 'pas d’objection', objection: 'objection', abstain: 'abstention', confirmed: 'confirmée', held: 'réalisée', postponed: 'reportée', cancelled: 'annulée', planned: 'planifiée' },
};
const words = (code: unknown, language: Language): string => (typeof code === 'string' ? (WORDS[language][code] ?? code.replaceAll('_', ' ')) : '');
/** A date as the reader writes it (YYYY-MM-DD, the same in both languages). */
const day = (moment: unknown): string => (typeof moment === 'string' ? moment.slice(0, 10) : '');
const quoted = (text: unknown): string => (typeof text === 'string' && text ? ` (“${text}”)` : '');

const lower = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);
const said = (headline: string, sentence: string): EventDescription => ({ headline, sentence });

/** Headline and what happened, by event type; `who` is the actor's role in words. */
const DESCRIPTIONS: Record<EventType, Record<Language, Describe>> = {
  submitted: {
    en: (who) => said('New request', `${who} submitted a new capacity-building request`),
    fr: (who) => said('Nouvelle demande', `${who} a soumis une nouvelle demande de renforcement des capacités`),
  },
  revised: {
    en: (who) => said('Request revised', `${who} revised the request; it is back in screening`),
    fr: (who) => said('Demande révisée', `${who} a révisé la demande ; elle revient à l'examen préalable`),
  },
  information_requested: {
    en: (who) => said('Information requested', `${who} asked the focal point for more information`),
    fr: (who) => said('Informations demandées', `${who} a demandé des informations complémentaires au point focal`),
  },
  information_provided: {
    en: (who) => said('Information provided', `${who} answered the Secretariat's questions`),
    fr: (who) => said('Informations fournies', `${who} a répondu aux questions du Secrétariat`),
  },
  screening_accepted: {
    en: (who) => said('Accepted for review', `${who} accepted the request for the Steering Committee's review`),
    fr: (who) => said('Retenue pour examen', `${who} a retenu la demande pour l'examen du Comité de pilotage`),
  },
  screening_rejected: {
    en: (who) => said('Not eligible', `${who} rejected the request as ineligible`),
    fr: (who) => said('Non éligible', `${who} a jugé la demande non éligible`),
  },
  review_closed: {
    en: () => said('Review closed', "The Steering Committee's review closed; the request goes to the Chair"),
    fr: () => said('Examen clos', "L'examen du Comité de pilotage est clos ; la demande passe à la présidence"),
  },
  approved: {
    en: (who) => said('Approved', `${who} approved the request`),
    fr: (who) => said('Approuvée', `${who} a approuvé la demande`),
  },
  rejected: {
    en: (who) => said('Rejected', `${who} rejected the request`),
    fr: (who) => said('Rejetée', `${who} a rejeté la demande`),
  },
  revision_requested: {
    en: (who) => said('Revision requested', `${who} asked for a revision of the request`),
    fr: (who) => said('Révision demandée', `${who} a demandé une révision de la demande`),
  },
  vote_recorded: {
    en: (who, event) => said('Vote recorded', `${who} voted: ${words(event.payload.vote, 'en')}`),
    fr: (who, event) => said('Vote enregistré', `${who} a voté : ${words(event.payload.vote, 'fr')}`),
  },
  review_extended: {
    en: (who, event) => said('Review extended', `${who} extended the Steering Committee's review until ${day(event.payload.until)}`),
    fr: (who, event) => said('Examen prolongé', `${who} a prolongé l'examen du Comité de pilotage jusqu'au ${day(event.payload.until)}`),
  },
  information_deadline_extended: {
    en: (who, event) => said('Deadline extended', `${who} gave the focal point until ${day(event.payload.until)} to answer`),
    fr: (who, event) => said('Délai prolongé', `${who} a accordé au point focal jusqu'au ${day(event.payload.until)} pour répondre`),
  },
  decision_corrected: {
    en: (who) => said('Decision corrected', `${who} recorded a correction to the decision`),
    fr: (who) => said('Décision corrigée', `${who} a enregistré une correction de la décision`),
  },
  condition_met: {
    en: (who, event) => said('Condition met', `${who} marked a condition of the approval as met${quoted(event.payload.condition)}`),
    fr: (who, event) => said('Condition remplie', `${who} a marqué une condition de l'approbation comme remplie${quoted(event.payload.condition)}`),
  },
  budget_increased: {
    en: (who) => said('Budget increased', `${who} increased the approved budget`),
    fr: (who) => said('Budget augmenté', `${who} a augmenté le budget approuvé`),
  },
  activity_planned: {
    en: (who) => said('Activity planned', `${who} planned an activity`),
    fr: (who) => said('Activité planifiée', `${who} a planifié une activité`),
  },
  activity_status_changed: {
    en: (who, event) => said('Activity updated', `${who} marked an activity as ${words(event.payload.status, 'en')}`),
    fr: (who, event) => said('Activité mise à jour', `${who} a marqué une activité comme ${words(event.payload.status, 'fr')}`),
  },
  document_attached: {
    en: (who) => said('Document attached', `${who} attached a document`),
    fr: (who) => said('Document joint', `${who} a joint un document`),
  },
  document_removed: {
    en: (who) => said('Document removed', `${who} removed a document`),
    fr: (who) => said('Document retiré', `${who} a retiré un document`),
  },
  report_accepted: {
    en: (who, event) => said('Report accepted', `${who} accepted ${lower(report(event, 'en'))}`),
    fr: (who, event) => said('Rapport accepté', `${who} a accepté ${lower(report(event, 'fr'))}`),
  },
  implementation_completed: {
    en: (who) => said('Implementation completed', `${who} completed the implementation; the final report is due`),
    fr: (who) => said('Mise en œuvre achevée', `${who} a achevé la mise en œuvre ; le rapport final est attendu`),
  },
  report_submitted: {
    en: (who, event) => said('Report submitted', `${who} submitted ${lower(report(event, 'en'))}`),
    fr: (who, event) => said('Rapport soumis', `${who} a soumis ${lower(report(event, 'fr'))}`),
  },
  report_returned: {
    en: (who) => said('Report returned', `${who} returned a report for changes`),
    fr: (who) => said('Rapport renvoyé', `${who} a renvoyé un rapport pour modification`),
  },
  closed: {
    en: (who) => said('Closed', `${who} closed the request with its lessons learned`),
    fr: (who) => said('Clôturée', `${who} a clôturé la demande avec ses enseignements`),
  },
  withdrawn: {
    en: (who, event) =>
      event.payload.reason === 'no_response'
        ? said('Withdrawn', 'The request was withdrawn: the information asked for did not arrive by the deadline')
        : said('Withdrawn', `${who} withdrew the request`),
    fr: (who, event) =>
      event.payload.reason === 'no_response'
        ? said('Retirée', "La demande a été retirée : les informations demandées ne sont pas arrivées avant l'échéance")
        : said('Retirée', `${who} a retiré la demande`),
  },
  cancelled: {
    en: (who) => said('Cancelled', `${who} cancelled the request`),
    fr: (who) => said('Annulée', `${who} a annulé la demande`),
  },
  screening_reminder: {
    en: () => said('Reminder', 'Screening of this request is due soon'),
    fr: () => said('Rappel', "L'examen préalable de cette demande arrive bientôt à échéance"),
  },
  screening_escalated: {
    en: () => said('Screening overdue', 'Screening of this request is overdue; the Chair is told'),
    fr: () => said('Examen préalable en retard', "L'examen préalable de cette demande est en retard ; la présidence en est informée"),
  },
  information_reminder: {
    en: () => said('Reminder', "The Secretariat's questions on this request are still to be answered, and the deadline is near"),
    fr: () => said('Rappel', "Les questions du Secrétariat sur cette demande attendent toujours une réponse, et l'échéance approche"),
  },
  review_reminder: {
    en: () => said('Reminder', "The Steering Committee's review of this request closes soon"),
    fr: () => said('Rappel', "L'examen de cette demande par le Comité de pilotage se clôt bientôt"),
  },
  report_reminder: {
    en: (_who, event) => said('Reminder', `${report(event, 'en')} on this request is due soon`),
    fr: (_who, event) => said('Rappel', `${report(event, 'fr')} de cette demande est attendu prochainement`),
  },
  report_overdue: {
    en: (_who, event) => said('Report overdue', `${report(event, 'en')} on this request is overdue`),
    fr: (_who, event) => said('Rapport en retard', `${report(event, 'fr')} de cette demande est en retard`),
  },
};

/** Who acted, as a sentence's subject: "The Secretariat", « La présidence ». */
export const subjectOf = (role: string, language: Language): string => WHO[language][role] ?? (language === 'fr' ? "Quelqu'un" : 'Someone');

export function describeEvent(event: DomainEvent, language: Language = 'en'): EventDescription {
  const who = subjectOf(event.actor.role, language);
  const describe = DESCRIPTIONS[event.type]?.[language];
  if (describe) return describe(who, event);
  // A kind of event added later and not described here still reads as something, never as nothing.
  const words = event.type.replaceAll('_', ' ');
  const headline = words.charAt(0).toUpperCase() + words.slice(1);
  return { headline, sentence: language === 'fr' ? `${who} a enregistré : ${words}` : `${who} recorded: ${words}` };
}
