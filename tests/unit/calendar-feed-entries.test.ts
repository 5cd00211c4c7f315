import { describe, expect, it } from 'vitest';
import { feedEntries, type FeedSources } from '../../api/calendar/feed-entries';
import type { Actor, ImplementationActivity } from '../../workflows/request-model';

/** What becomes an event in a person's calendar (the route reads the sources within their visibility). */
const officer: Actor = { userId: 'u-1', name: 'officer', role: 'secretariat', country: null };
const partner: Actor = { userId: 'u-2', name: 'nfp', role: 'partner', country: 'SN' };
const url = (id: string) => `https://capacity.example.org/dashboard#request/${id}`;

const activity = (overrides: Partial<ImplementationActivity>): ImplementationActivity =>
  ({ activityId: 'a-1', type: 'training', title: 'Training in Dakar', startDate: '2027-05-10', endDate: '2027-05-12', location: 'Dakar, SN', status: 'planned', ...overrides }) as ImplementationActivity;

const sources = (overrides: Partial<FeedSources>): FeedSources => ({ deadlines: [], activities: [], meetings: [], ...overrides });

describe('calendar feed entries', () => {
  it('a deadline is the person’s when their role is among who must act; its UID follows the phase, so an extension moves it', () => {
    const screening = {
      id: 'r-1',
      title: 'Border training',
      country: 'SN',
      phase: 'screening' as const,
      dueAt: '2027-05-01T12:00:00.000Z',
      waitingFor: { roles: ['secretariat' as const], what: 'The Secretariat screens the request.', deadline: '2027-05-01T12:00:00.000Z' },
    };
    expect(feedEntries(officer, sources({ deadlines: [screening] }), url)).toEqual([
      {
        kind: 'moment',
        uid: 'due-r-1-screening@capacity-requests',
        at: '2027-05-01T12:00:00.000Z',
        summary: 'Due: Border training',
        description: `The Secretariat screens the request.\nCountry: SN\n${url('r-1')}`,
        url: url('r-1'),
      },
    ]);
    expect(feedEntries(partner, sources({ deadlines: [screening] }), url)).toEqual([]);
    expect(feedEntries(officer, sources({ deadlines: [{ ...screening, dueAt: null }] }), url)).toEqual([]);
  });

  it('activities are all-day events with their place; postponed says so, cancelled is marked, and bad dates are left out', () => {
    const request = { id: 'r-2', title: 'Border training', country: 'SN' };
    const entries = feedEntries(
      partner,
      sources({
        activities: [
          {
            ...request,
            activities: [
              activity({}),
              activity({ activityId: 'a-2', status: 'postponed' }),
              activity({ activityId: 'a-3', status: 'cancelled' }),
              activity({ activityId: 'a-4', status: 'done' as never }),
              activity({ activityId: 'a-5', startDate: '2027-05-12', endDate: '2027-05-10' }),
              activity({ activityId: 'a-6', startDate: '2027-02-30', endDate: '2027-03-01' }),
            ],
          },
        ],
      }),
      url,
    );
    expect(entries.map((entry) => [entry.uid, entry.summary, entry.kind === 'days' && entry.cancelled])).toEqual([
      ['activity-a-1@capacity-requests', 'Training in Dakar', false],
      ['activity-a-2@capacity-requests', 'Postponed: Training in Dakar', false],
      ['activity-a-3@capacity-requests', 'Training in Dakar', true],
      ['activity-a-4@capacity-requests', 'Training in Dakar', false],
    ]);
    expect(entries[0]).toMatchObject({ kind: 'days', startDate: '2027-05-10', endDate: '2027-05-12', location: 'Dakar, SN' });
    expect(entries[3]!.description).toContain('Training (held) for "Border training", SN');
  });

  it('meetings are moments with the committee’s name', () => {
    const entries = feedEntries(officer, sources({ meetings: [{ meetingId: 'm-1', title: 'Spring meeting', scheduledFor: '2027-03-15T09:00:00.000Z' }] }), url);
    expect(entries).toEqual([{ kind: 'moment', uid: 'meeting-m-1@capacity-requests', at: '2027-03-15T09:00:00.000Z', summary: 'Steering Committee meeting: Spring meeting' }]);
  });

  it('speaks the person’s language: its own words in French, what people wrote as they wrote it', () => {
    const request = { id: 'r-3', title: 'Formation des agents', country: 'SN' };
    const entries = feedEntries(
      partner,
      sources({
        deadlines: [{ ...request, phase: 'implementation' as const, dueAt: '2027-06-01T12:00:00.000Z', waitingFor: { roles: ['partner' as const], what: 'Le point focal remet le rapport final.', deadline: '2027-06-01T12:00:00.000Z' } }],
        activities: [{ ...request, activities: [activity({ status: 'postponed' })] }],
        meetings: [{ meetingId: 'm-1', title: 'Réunion de Dakar', scheduledFor: '2027-07-01T09:00:00.000Z' }],
      }),
      url,
      'fr',
    );
    expect(entries.map((entry) => entry.summary)).toEqual(['Échéance : Formation des agents', 'Reportée : Training in Dakar', 'Réunion du Comité de pilotage : Réunion de Dakar']);
    expect(entries[0]!.description).toContain('\nPays : SN\n');
    expect(entries[1]!.description).toContain('Formation (reportée) pour « Formation des agents », SN');
  });
});
