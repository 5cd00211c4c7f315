import type { Language } from '../../i18n/languages';
import { isMessageKey, translate } from '../../i18n/messages';
import type { EventType } from '../../workflows/event-types';
import type { DomainEvent } from '../../workflows/request-model';

/**
 * An event in words, for people reading an e-mail or a request's timeline: a short headline (subjects) and a
 * sentence (bodies). The words are the catalogs' (`event.<type>.headline`, `event.<type>.sentence`); this module
 * only derives the values they are filled with from the event.
 */
export interface EventDescription {
  headline: string;
  sentence: string;
}

/** Typed as a template so that the compiler fails when en.json lacks the words of one of EVENT_TYPES. */
const keyOf = (type: EventType, part: 'headline' | 'sentence') => `event.${type}.${part}` as const;

/** Whether the catalogs describe this type: false for a kind of event stored by a newer version of the code. */
const isDescribed = (type: string): type is EventType => isMessageKey(`event.${type}.headline`);

/** Who acted, as a sentence's subject: "The Secretariat", « La présidence »; "Someone" for a role the catalog lacks. */
export const subjectOf = (role: string, language: Language): string => translate(language, 'event.who', { role });

export function describeEvent(event: DomainEvent, language: Language = 'en'): EventDescription {
  const values = valuesOf(event, language);
  // A string, not an EventType: a stored event may be of a kind this version does not know.
  const type: string = event.type;
  if (isDescribed(type)) return { headline: translate(language, keyOf(type, 'headline'), values), sentence: translate(language, keyOf(type, 'sentence'), values) };
  // A kind of event added later and not described here still reads as something, never as nothing.
  const words = type.replaceAll('_', ' ');
  return { headline: capitalized(words), sentence: translate(language, 'event.unknownType', { who: values.who, type: words }) };
}

/** Every value an event's sentence may name; each message uses its own few. */
function valuesOf(event: DomainEvent, language: Language) {
  const { payload } = event;
  const report = translate(language, 'event.report', { kind: typeof payload.kind === 'string' ? payload.kind : 'none' });
  const condition = typeof payload.condition === 'string' ? payload.condition : '';
  return {
    who: subjectOf(event.actor.role, language),
    vote: codeInWords('vote', payload.vote, language),
    status: codeInWords('activityStatus', payload.status, language),
    until: day(payload.until),
    condition,
    hasCondition: condition ? 'yes' : 'no',
    report,
    reportAtStart: capitalized(report),
    // Withdrawn for want of an answer by the deadline: the system did it, so the sentence names no one.
    reason: payload.reason === 'no_response' ? 'no_response' : 'other',
  };
}

/**
 * A vote or an activity status as it reads inside a sentence ("voted: no objection"): the catalog's label, which
 * may start with a capital as a label does; a code the catalog lacks (a later one) as words.
 */
function codeInWords(family: 'vote' | 'activityStatus', code: unknown, language: Language): string {
  if (typeof code !== 'string') return '';
  const key = `${family}.${code}`;
  if (!isMessageKey(key)) return code.replaceAll('_', ' ');
  const label = translate(language, key);
  return label.charAt(0).toLowerCase() + label.slice(1);
}

/** A date as the reader writes it (YYYY-MM-DD, the same in both languages). */
const day = (moment: unknown): string => (typeof moment === 'string' ? moment.slice(0, 10) : '');

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
