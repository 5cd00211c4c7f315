import { describe, expect, it } from 'vitest';
import { describeEvent } from '../../activities/notifications/event-descriptions';
import { LANGUAGES } from '../../i18n/languages';
import { describeTimeline, type TimelineEvent } from '../../read-model/timeline';
import { EVENT_TYPES } from '../../workflows/event-types';
import type { DomainEvent } from '../../workflows/request-model';

/** The timeline in words: what caused each event when no person did, and an activity's change from what to what. */

let seq = 0;
const event = (type: string, payload: Record<string, unknown> = {}, actorRole = 'system', actorName = 'system'): TimelineEvent => ({
  seq: ++seq,
  type,
  actorName,
  actorRole,
  occurredAt: '2027-03-01T09:00:00.000Z',
  payload,
});

describe('the timeline in words', () => {
  it('says which rule of the procedure and which deadline closed a review, and that the procedure approved', () => {
    const events = [
      event('screening_accepted', { deadline: '2027-03-12T17:00:00.000Z', procedure: 'no_objection', quorum: null }, 'secretariat', 'Awa'),
      event('review_closed', { because: 'deadline_passed', procedure: 'no_objection', tally: { no_objection: 2, objection: 0, abstain: 0 }, objections: [] }),
      event('approved', { decision: 'approve', byProcedure: true, procedure: 'no_objection' }),
    ];
    const [, closed, approved] = describeTimeline(events, 'en');
    expect(closed!.cause).toBe("the review's deadline (12 March 2027) passed — written no-objection procedure: no objection was recorded by the deadline");
    expect(approved!.cause).toBe('approved by the review procedure — written no-objection procedure: no objection was recorded by the deadline');
    const [, fermé] = describeTimeline(events, 'fr');
    expect(fermé!.cause).toBe("l'échéance de l'examen (12 mars 2027) est passée — procédure écrite de non-objection : aucune objection n'a été enregistrée avant l'échéance");
    expect(describeTimeline(events, 'fr')[0]!.cause).toBeNull();
  });

  it('names the member who objected, and the majority rule that sent the request to the Chair', () => {
    const objected = describeTimeline(
      [event('review_closed', { because: 'objection_raised', procedure: 'no_objection', tally: { no_objection: 0, objection: 1, abstain: 0 }, objections: [{ member: 'Ana Ruiz', comment: 'Overlaps' }] })],
      'en',
    );
    expect(objected[0]!.cause).toBe('Ana Ruiz objected — written no-objection procedure: an objection ended the silence, so the Chair decides');
    const majority = (tally: Record<string, number>) =>
      describeTimeline([event('screening_accepted', { deadline: '2027-03-12T17:00:00Z', quorum: 3 }, 'secretariat'), event('review_closed', { because: 'deadline_passed', procedure: 'majority', tally })], 'en')[1]!.cause;
    expect(majority({ no_objection: 1, objection: 0, abstain: 0 })).toContain('majority vote: no quorum (1 of 3 votes needed)');
    expect(majority({ no_objection: 2, objection: 2, abstain: 0 })).toContain('majority vote: a tie (2 of 4)');
    expect(majority({ no_objection: 1, objection: 2, abstain: 0 })).toContain('majority vote: no majority (1 of 3 without objection)');
    expect(majority({ no_objection: 3, objection: 0, abstain: 0 })).toContain('majority vote: 3 of 3 votes cast had no objection');
    const all = describeTimeline([event('review_closed', { because: 'all_voted', procedure: 'chair_decides', tally: {} })], 'fr');
    expect(all[0]!.cause).toBe('tous les membres appelés à voter ont voté — la présidence décide après l\'examen');
  });

  it('says from what to what an activity changed, and names it', () => {
    const words = describeTimeline(
      [
        event('activity_planned', { activity: { activityId: 'a1', title: 'Regional workshop' } }, 'secretariat', 'Awa'),
        event('activity_status_changed', { activityId: 'a1', status: 'confirmed' }, 'secretariat', 'Awa'),
        event('activity_status_changed', { activityId: 'a1', status: 'held' }, 'secretariat', 'Awa'),
      ],
      'fr',
    );
    expect(words.map((w) => w.sentence)).toEqual([
      'Le Secrétariat a planifié l\'activité « Regional workshop »',
      'Le Secrétariat a marqué l\'activité « Regional workshop » comme confirmée (elle était planifiée)',
      'Le Secrétariat a marqué l\'activité « Regional workshop » comme réalisée (elle était confirmée)',
    ]);
  });

  it('names the meeting that decided, and the deadline of a reminder', () => {
    const meetings = new Map([['m1', { title: 'SC meeting, Dakar', scheduledFor: '2027-05-04T09:00:00.000Z' }]]);
    const [decided, reminded, withdrawn] = describeTimeline(
      [
        event('rejected', { decision: 'reject', meetingId: 'm1' }, 'chair', 'Chair'),
        event('report_reminder', { kind: 'final', dueAt: '2027-06-01T00:00:00Z' }),
        event('withdrawn', { reason: 'no_response', deadline: '2027-02-01T00:00:00Z' }),
      ],
      'en',
      meetings,
    );
    expect(decided!.cause).toBe('decided at the Steering Committee meeting “SC meeting, Dakar” of 4 May 2027');
    expect(reminded!.cause).toBe("the report's due date is near (1 June 2027)");
    expect(withdrawn!.cause).toBe('the deadline to answer the Secretariat passed (1 February 2027)');
  });

  it('has words of its own for every kind of event, in every language', () => {
    for (const type of EVENT_TYPES) {
      for (const language of LANGUAGES) {
        const described = describeEvent({ type, actor: { userId: 'u', name: 'N', role: 'secretariat' }, payload: {} } as unknown as DomainEvent, language);
        // The fallback for a kind it does not know says "recorded: <type>"; none of ours may read like that.
        expect(described.sentence, `${language} ${type}`).not.toMatch(/recorded: |a enregistré : /);
        expect(described.headline.length, `${language} ${type}`).toBeGreaterThan(0);
      }
    }
  });
});
