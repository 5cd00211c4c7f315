import { describe, expect, it } from 'vitest';
import { notificationAudiences, type Audience } from '../../activities/notifications/audiences';
import { describeEvent } from '../../activities/notifications/event-descriptions';
import { EVENT_TYPES, type EventType } from '../../workflows/event-types';
import { LANGUAGES } from '../../i18n/languages';
import { CATALOGS } from '../../i18n/messages';
import { RABAT_PROCESS } from '../../config/dialogue';
import type { Run } from './request-fixtures';
import {
  POLICY,
  TO_APPROVAL,
  TO_IMPLEMENTATION,
  TO_MONITORING,
  accept,
  act,
  askRevision,
  build,
  buildUnder,
  decide,
  fire,
  partner,
  report,
  requestInfo,
  returnReport,
  scEs,
  scFr,
  scSn,
  secretariat,
  vote,
} from './request-fixtures';

const LINKS = { dialogue: RABAT_PROCESS, publicUrl: 'https://capacity.example.org/' };

/** Who the last event of the run tells, and why (the text aside). */
const told = (run: Run, links = LINKS) =>
  notificationAudiences(run.events.at(-1)!, run.state, links).map(({ reason, roles, country, userIds }) => ({ reason, roles, country, userIds }));
const lastMessages = (run: Run): Audience[] => notificationAudiences(run.events.at(-1)!, run.state, LINKS);

describe('who is told about an event', () => {
  it('a submission tells the Secretariat it is their turn; the partner who submitted is not told', () => {
    expect(told(build())).toEqual([{ reason: 'your_turn', roles: ['secretariat'], country: null, userIds: [] }]);
  });

  it('review opening tells the eligible committee members by ID (not the conflicted one), and the partner the news', () => {
    expect(told(build(accept()))).toEqual([
      { reason: 'your_turn', roles: [], country: null, userIds: [scEs.userId, scFr.userId] },
      { reason: 'news', roles: ['partner'], country: 'SN', userIds: [] },
    ]);
    expect(told(build(accept())).flatMap((a) => a.userIds)).not.toContain(scSn.userId);
  });

  it('a vote that leaves the request in review tells nobody: those still to vote already know', () => {
    expect(told(build(accept(), vote(scEs)))).toEqual([]);
  });

  it('the review closing tells the Chair; a revision asked for is the turn of the requesting country’s focal points', () => {
    expect(told(build(...TO_APPROVAL))).toEqual([{ reason: 'your_turn', roles: ['chair'], country: null, userIds: [] }]);
    expect(told(build(...TO_APPROVAL, askRevision(['Add dates.'])))).toEqual([{ reason: 'your_turn', roles: ['partner'], country: 'SN', userIds: [] }]);
  });

  it('an approval tells the Secretariat to implement and the partner the news; a rejection only the news', () => {
    expect(told(build(...TO_IMPLEMENTATION)).map((a) => [a.reason, a.roles])).toEqual([
      ['your_turn', ['secretariat']],
      ['news', ['partner']],
    ]);
    expect(told(build(...TO_APPROVAL, decide('reject')))).toEqual([{ reason: 'news', roles: ['partner'], country: 'SN', userIds: [] }]);
  });

  it('a request for information is the partner’s turn; a report sent back is too, although the phase stays', () => {
    expect(told(build(requestInfo()))).toEqual([{ reason: 'your_turn', roles: ['partner'], country: 'SN', userIds: [] }]);
    const returned = build(...TO_MONITORING, report('final', partner), returnReport(0));
    expect(told(returned)).toEqual([
      { reason: 'your_turn', roles: ['partner'], country: 'SN', userIds: [] },
      // Either may submit the revised report; the Secretariat who returned it is left out as the event's actor (in SQL).
      { reason: 'your_turn', roles: ['secretariat'], country: null, userIds: [] },
      { reason: 'news', roles: ['partner'], country: 'SN', userIds: [] },
    ]);
  });

  it('a report submitted waits for the Secretariat to accept or return it, in implementation as in monitoring', () => {
    const submitted = build(...TO_MONITORING, report('final', partner));
    expect(told(submitted)).toEqual([{ reason: 'your_turn', roles: ['secretariat'], country: null, userIds: [] }]);
    const [message] = lastMessages(submitted);
    expect(message!.body).toContain('The focal point submitted the final report');
    expect(message!.body).toContain('What happens next: The Secretariat accepts the final report or returns it for changes.');
  });

  it('reminders go to whoever the request still waits for; a late screening also to the Chair', () => {
    expect(told(buildUnder(POLICY, fire('screening_reminder')))).toEqual([{ reason: 'reminder', roles: ['secretariat'], country: null, userIds: [] }]);
    expect(told(buildUnder(POLICY, fire('screening_reminder'), fire('screening_deadline'))).map((a) => a.roles)).toEqual([['secretariat'], ['chair']]);
    const reminded = buildUnder(POLICY, accept(), vote(scEs), fire('review_reminder'));
    expect(told(reminded)).toEqual([{ reason: 'reminder', roles: [], country: null, userIds: [scFr.userId] }]);
  });

  it('the events of the work itself (an activity planned, a document) tell nobody', () => {
    const planned = build(...TO_IMPLEMENTATION, act(secretariat, { action: 'plan_activity', type: 'training', title: 'T', startDate: '2025-03-01', endDate: '2025-03-05', location: 'Dakar', budgetEur: 1000, modality: 'in_person', experts: [] } as never, { activityId: 'a-1' }));
    expect(told(planned)).toEqual([]);
  });
});

describe('what they read', () => {
  it('says what happened, what is next and by when, and links to the request', () => {
    const [message] = lastMessages(buildUnder(POLICY));
    expect(message!.subject).toBe('[Rabat Process] Your turn · À vous: Training on document fraud detection');
    expect(message!.body).toContain('The focal point submitted a new capacity-building request (6 January 2025 at 09:00 UTC).');
    expect(message!.body).toContain('What happens next: The Secretariat screens the request.');
    expect(message!.body).toContain('By: 20 January 2025 at 09:00 UTC');
    expect(message!.body).toContain('Open the request to take your step: https://capacity.example.org/dashboard#request/req-1');
    expect(message!.body).toContain('To stop these e-mails');
  });

  it('speaks in the name of the dialogue the deployment serves, in each language', () => {
    const khartoum = { ...LINKS, dialogue: { en: 'Khartoum Process', fr: 'Processus de Khartoum' } };
    const [message] = notificationAudiences(build().events.at(-1)!, build().state, khartoum);
    expect(message!.subject).toBe('[Khartoum Process] Your turn · À vous: Training on document fraud detection');
    expect(message!.inOneLanguage.en.subject).toBe('[Khartoum Process] Your turn: Training on document fraud detection');
    expect(message!.inOneLanguage.fr.subject).toBe('[Processus de Khartoum] À vous : Training on document fraud detection');
    expect(message!.body).not.toMatch(/Rabat/);
  });

  it('news is headlined by what was decided; without a public URL the reference stands in for the link', () => {
    const rejected = build(...TO_APPROVAL, decide('reject'));
    expect(lastMessages(rejected)[0]!.subject).toBe('[Rabat Process] Rejected · Rejetée: Training on document fraud detection');
    const [message] = notificationAudiences(rejected.events.at(-1)!, rejected.state, { ...LINKS, publicUrl: null });
    expect(message!.body).toContain('Open the request in the dashboard; its reference is req-1.');
    expect(message!.body).not.toContain('What happens next');
    expect(message!.body).not.toContain('Prochaine étape');
  });

  it('comes in one language too, for those who chose one: the same message, without the other language', () => {
    const [message] = lastMessages(buildUnder(POLICY));
    const { en, fr } = message!.inOneLanguage;
    expect(en.subject).toBe('[Rabat Process] Your turn: Training on document fraud detection');
    expect(fr.subject).toBe('[Processus de Rabat] À vous : Training on document fraud detection');
    expect(en.body).toContain('What happens next: The Secretariat screens the request.');
    expect(fr.body).toContain('Prochaine étape : Le Secrétariat examine la demande.');
    for (const english of ['What happens next', 'To stop these e-mails']) expect(fr.body).not.toContain(english);
    for (const french of ['Prochaine étape', 'Français', 'Pour ne plus recevoir']) expect(en.body).not.toContain(french);
    // Both are the two halves of the message everyone else reads.
    expect(message!.body).toContain(en.body.split('\n--\n')[0]!);
    expect(message!.body).toContain(fr.body.split('\n--\n')[0]!);
  });

  it('says it all in French too, the dialogue’s other working language', () => {
    const [message] = lastMessages(buildUnder(POLICY));
    const french = message!.body.split('— Français —')[1]!;
    expect(french).toContain('Le point focal a soumis une nouvelle demande de renforcement des capacités (6 janvier 2025 à 09:00 UTC).');
    expect(french).toContain("Pays : SN · Domaine d'action 4 · Référence req-1");
    expect(french).toContain('Prochaine étape : Le Secrétariat examine la demande.');
    expect(french).toContain('Échéance : 20 janvier 2025 à 09:00 UTC');
    expect(french).toContain('Ouvrez la demande pour agir : https://capacity.example.org/dashboard#request/req-1');
    expect(french).toContain('Pour ne plus recevoir ces courriels');
    const review = lastMessages(build(accept()))[0]!;
    expect(review.body).toContain('Les membres du Comité de pilotage votent (2 encore à voter : Ana García, Jean Dupont).');
    const returned = lastMessages(build(...TO_MONITORING, report('final', partner), returnReport(0)))[0]!;
    expect(returned.subject).toBe('[Rabat Process] Your turn · À vous: Training on document fraud detection');
    expect(returned.body).toContain('Prochaine étape : Le rapport final a été renvoyé pour modification ; une version révisée est attendue.');
  });

  it('has words of its own for every event that e-mails someone, in both languages', () => {
    const runs = [
      build(...TO_MONITORING, report('final', partner), returnReport(0)),
      build(requestInfo()),
      build(...TO_APPROVAL, decide('reject')),
      buildUnder(POLICY, fire('screening_reminder'), fire('screening_deadline')),
      buildUnder(POLICY, accept(), fire('review_reminder')),
    ];
    const mailing = runs.flatMap((run) => run.events.filter((event, i) => notificationAudiences(event, run.states[i]!, LINKS).length > 0));
    expect(new Set(mailing.map((event) => event.type)).size).toBeGreaterThan(10);
    for (const event of mailing) {
      for (const language of ['en', 'fr'] as const) expect(describeEvent(event, language).sentence, event.type).not.toMatch(/recorded:|a enregistré :/);
    }
  });

  it('every kind of event has words of its own in both languages (the compiler asks for them; this checks they differ)', () => {
    const submitted = build().events[0]!;
    for (const type of EVENT_TYPES) {
      const [en, fr] = (['en', 'fr'] as const).map((language) => describeEvent({ ...submitted, type, payload: {} }, language));
      expect(en!.sentence, type).not.toMatch(/recorded:/);
      expect(fr!.sentence, type).not.toMatch(/a enregistré :/);
      expect(fr!.headline, type).not.toBe(en!.headline);
    }
  });

  it('the catalogs hold the headline and the sentence of every kind of event the workflow emits, in every language, and of no other', () => {
    const keys = EVENT_TYPES.flatMap((type) => [`event.${type}.headline`, `event.${type}.sentence`]);
    for (const language of LANGUAGES) {
      expect(keys.filter((key) => !(key in CATALOGS[language])), language).toEqual([]);
      const described = Object.keys(CATALOGS[language]).filter((key) => /^event\.[a-z_]+\.(headline|sentence)$/.test(key));
      expect(described.filter((key) => !keys.includes(key)), language).toEqual([]);
    }
  });

  it('sends French readers to the section of the dashboard as their page names it', () => {
    const [message] = lastMessages(buildUnder(POLICY));
    expect(message!.inOneLanguage.fr.body).toContain('(« Notifications par courriel »)');
    expect(message!.inOneLanguage.en.body).toContain('("E-mail notifications")');
  });

  it('an event kind this code does not know (stored by a newer version) still reads as something', () => {
    const unknown = { ...build().events[0]!, type: 'meeting_reminder' as EventType };
    expect(describeEvent(unknown).headline).toBe('Meeting reminder');
    expect(describeEvent(unknown, 'fr').sentence).toContain('a enregistré : meeting reminder');
  });
});
