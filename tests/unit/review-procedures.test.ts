import { describe, expect, it } from 'vitest';
import type { Actor, Review, ReviewClosure, ReviewProcedure, Vote, VoteValue } from '../../workflows/request-model';
import { closesEarly, effectiveVotes, outcomeOf, quorumFor, tally } from '../../workflows/review-procedures';
import { REVIEWERS, accept, build, endReview, scEs, scFr, scSn, vote, type Fold } from './request-fixtures';

// ---------------------------------------------------------------------------------------------------------------
// Reviews written out by hand: the pure functions see only the review, so no fold is needed for them.
// ---------------------------------------------------------------------------------------------------------------

const scIt: Actor = { userId: 'u-sc-it', name: 'Luca Bianchi', role: 'sc_member', country: 'IT' };

type Cast = [Actor, VoteValue, string?];

/** The votes in the order cast, one minute apart from 10:00. */
function votesOf(casts: Cast[]): Vote[] {
  return casts.map(([member, value, comment], i) => ({
    by: { userId: member.userId, name: member.name, role: member.role },
    at: `2025-01-07T10:0${i}:00.000Z`,
    vote: value,
    comment: comment ?? null,
  }));
}

/** A review of three eligible members (ES, FR, IT) and the conflicted SN one. */
function review(procedure: ReviewProcedure | undefined, casts: Cast[], quorum: number | null = null): Review {
  return {
    openedAt: '2025-01-06T09:00:00.000Z',
    deadline: '2025-01-20T09:00:00.000Z',
    reviewers: [
      { userId: scEs.userId, name: scEs.name, country: 'ES', conflicted: false },
      { userId: scFr.userId, name: scFr.name, country: 'FR', conflicted: false },
      { userId: scIt.userId, name: scIt.name, country: 'IT', conflicted: false },
      { userId: scSn.userId, name: scSn.name, country: 'SN', conflicted: true },
    ],
    votes: votesOf(casts),
    closedAt: null,
    closedBecause: null,
    ...(procedure ? { procedure, quorum, remindAt: null, reminded: false, extensions: [], outcome: null } : {}),
  };
}

const ref = (actor: Actor) => ({ userId: actor.userId, name: actor.name, role: actor.role });

describe('effectiveVotes: each member’s last vote', () => {
  it('keeps one vote per member, the last one, in the order members first voted', () => {
    const changed = review('majority', [
      [scEs, 'objection', 'Too costly.'],
      [scFr, 'no_objection'],
      [scEs, 'no_objection', 'Budget clarified.'],
      [scIt, 'abstain'],
      [scEs, 'abstain', 'Leaving it to the others.'],
    ]);
    expect(effectiveVotes(changed)).toEqual([
      { by: ref(scEs), at: '2025-01-07T10:04:00.000Z', vote: 'abstain', comment: 'Leaving it to the others.' },
      { by: ref(scFr), at: '2025-01-07T10:01:00.000Z', vote: 'no_objection', comment: null },
      { by: ref(scIt), at: '2025-01-07T10:03:00.000Z', vote: 'abstain', comment: null },
    ]);
  });

  it('is empty without votes, and leaves the record of every vote untouched', () => {
    expect(effectiveVotes(review('majority', []))).toEqual([]);
    const changed = review('majority', [
      [scEs, 'objection'],
      [scEs, 'no_objection'],
    ]);
    expect(effectiveVotes(changed)).toHaveLength(1);
    expect(changed.votes.map((v) => v.vote)).toEqual(['objection', 'no_objection']);
  });
});

describe('tally: counts last votes only', () => {
  it.each([
    ['no votes', [], { no_objection: 0, objection: 0, abstain: 0 }],
    [
      'one vote each',
      [
        [scEs, 'no_objection'],
        [scFr, 'objection'],
        [scIt, 'abstain'],
      ],
      { no_objection: 1, objection: 1, abstain: 1 },
    ],
    [
      'an objection withdrawn',
      [
        [scEs, 'objection'],
        [scFr, 'no_objection'],
        [scEs, 'no_objection'],
      ],
      { no_objection: 2, objection: 0, abstain: 0 },
    ],
    [
      'a member changing twice',
      [
        [scFr, 'no_objection'],
        [scFr, 'objection'],
        [scFr, 'abstain'],
        [scIt, 'objection'],
      ],
      { no_objection: 0, objection: 1, abstain: 1 },
    ],
  ] as Array<[string, Cast[], Record<VoteValue, number>]>)('%s', (_label, casts, expected) => {
    expect(tally(review('majority', casts))).toEqual(expected);
  });
});

describe('closesEarly', () => {
  // Folds: closesEarly reads the phase too. REVIEWERS: ES and FR eligible, SN conflicted.
  const under = (procedure: ReviewProcedure | undefined, ...moves: Fold[]) =>
    build(accept(REVIEWERS, procedure ? { procedure, quorum: procedure === 'majority' ? 2 : null } : {}), ...moves).state;

  it('is null outside review', () => {
    expect(closesEarly(build().state)).toBeNull();
    // After the review closed the request is in approval; every member having voted no longer matters.
    expect(closesEarly(build(accept(REVIEWERS, { procedure: 'no_objection' }), vote(scEs), vote(scFr), endReview('all_voted')).state)).toBeNull();
  });

  describe('no_objection', () => {
    it('stays open while members are silent or consent', () => {
      expect(closesEarly(under('no_objection'))).toBeNull();
      expect(closesEarly(under('no_objection', vote(scEs)))).toBeNull();
      expect(closesEarly(under('no_objection', vote(scEs, 'abstain')))).toBeNull();
    });

    it('closes on the first objection, before the others vote', () => {
      expect(closesEarly(under('no_objection', vote(scFr, 'objection', 'Overlap.')))).toBe('objection_raised');
    });

    it('an objection takes precedence over everyone having voted', () => {
      expect(closesEarly(under('no_objection', vote(scEs), vote(scFr, 'objection', 'Overlap.')))).toBe('objection_raised');
    });

    it('closes when every eligible member has voted (the conflicted one is not waited for)', () => {
      expect(closesEarly(under('no_objection', vote(scEs), vote(scFr, 'abstain')))).toBe('all_voted');
    });

    it('an objection changed to no objection no longer closes it', () => {
      expect(closesEarly(under('no_objection', vote(scEs, 'objection'), vote(scEs, 'no_objection')))).toBeNull();
    });
  });

  describe.each(['majority', 'chair_decides', undefined] as const)('%s', (procedure) => {
    it('an objection does not close it early', () => {
      expect(closesEarly(under(procedure, vote(scEs, 'objection', 'No.')))).toBeNull();
    });

    it('closes once every eligible member has voted, whatever they voted', () => {
      expect(closesEarly(under(procedure, vote(scEs, 'objection', 'No.')))).toBeNull();
      expect(closesEarly(under(procedure, vote(scEs, 'objection', 'No.'), vote(scFr, 'abstain')))).toBe('all_voted');
    });

    it('a member voting twice is not two members', () => {
      expect(closesEarly(under(procedure, vote(scEs), vote(scEs, 'objection')))).toBeNull();
    });
  });

  it('a review with no eligible member has nobody to wait for', () => {
    expect(closesEarly(build(accept([REVIEWERS[2]!], { procedure: 'majority', quorum: 1 })).state)).toBe('all_voted');
  });
});

describe('outcomeOf', () => {
  const APPROVED_BY_SILENCE = {
    result: 'approved_by_procedure',
    reason: 'No objection was recorded: approved by the written no-objection procedure.',
  };

  describe('no_objection', () => {
    it.each(['deadline_passed', 'all_voted'] as const)('silence approves (%s)', (because) => {
      expect(outcomeOf(review('no_objection', []), because)).toEqual(APPROVED_BY_SILENCE);
    });

    it('consent and abstentions approve', () => {
      expect(
        outcomeOf(
          review('no_objection', [
            [scEs, 'no_objection'],
            [scFr, 'abstain'],
          ]),
          'all_voted',
        ),
      ).toEqual(APPROVED_BY_SILENCE);
    });

    it('one objection sends it to the Chair', () => {
      expect(outcomeOf(review('no_objection', [[scFr, 'objection', 'Overlap.']]), 'objection_raised')).toEqual({
        result: 'to_chair',
        reason: '1 objection(s) ended the silence procedure.',
      });
    });

    it('an objection counts even among consents, and two are counted as two', () => {
      expect(
        outcomeOf(
          review('no_objection', [
            [scEs, 'no_objection'],
            [scFr, 'objection'],
            [scIt, 'objection'],
          ]),
          'deadline_passed',
        ),
      ).toEqual({ result: 'to_chair', reason: '2 objection(s) ended the silence procedure.' });
    });

    it('an objection withdrawn before the deadline no longer counts', () => {
      expect(
        outcomeOf(
          review('no_objection', [
            [scFr, 'objection'],
            [scFr, 'no_objection'],
          ]),
          'deadline_passed',
        ),
      ).toEqual(APPROVED_BY_SILENCE);
    });
  });

  describe('majority (quorum 2 of the three eligible members)', () => {
    it.each([
      ['no vote at all', [], { result: 'to_chair', reason: 'Quorum missed: 0 vote(s) cast, 2 needed.' }],
      ['one vote', [[scEs, 'no_objection']], { result: 'to_chair', reason: 'Quorum missed: 1 vote(s) cast, 2 needed.' }],
      [
        'one member voting twice (still one vote cast)',
        [
          [scEs, 'objection'],
          [scEs, 'no_objection'],
        ],
        { result: 'to_chair', reason: 'Quorum missed: 1 vote(s) cast, 2 needed.' },
      ],
      [
        'a tie',
        [
          [scEs, 'no_objection'],
          [scFr, 'objection'],
        ],
        { result: 'to_chair', reason: 'Tie: 1 of 2 votes cast had no objection.' },
      ],
      [
        'a majority with no objection',
        [
          [scEs, 'no_objection'],
          [scFr, 'objection'],
          [scIt, 'no_objection'],
        ],
        { result: 'approved_by_procedure', reason: 'Approved by majority: 2 of 3 votes cast had no objection.' },
      ],
      [
        'a unanimous approval',
        [
          [scEs, 'no_objection'],
          [scFr, 'no_objection'],
        ],
        { result: 'approved_by_procedure', reason: 'Approved by majority: 2 of 2 votes cast had no objection.' },
      ],
      [
        'a majority of objections',
        [
          [scEs, 'objection'],
          [scFr, 'no_objection'],
          [scIt, 'objection'],
        ],
        { result: 'to_chair', reason: 'No majority for approval: 1 of 3 votes cast had no objection.' },
      ],
      [
        'abstentions: counted as cast, so they make the quorum and a tie',
        [
          [scEs, 'no_objection'],
          [scIt, 'abstain'],
        ],
        { result: 'to_chair', reason: 'Tie: 1 of 2 votes cast had no objection.' },
      ],
      [
        'abstentions: counted as cast, so one consent among three is no majority',
        [
          [scEs, 'no_objection'],
          [scFr, 'abstain'],
          [scIt, 'abstain'],
        ],
        { result: 'to_chair', reason: 'No majority for approval: 1 of 3 votes cast had no objection.' },
      ],
      [
        'only abstentions',
        [
          [scEs, 'abstain'],
          [scFr, 'abstain'],
        ],
        { result: 'to_chair', reason: 'No majority for approval: 0 of 2 votes cast had no objection.' },
      ],
      [
        'a changed vote that turns a tie into a majority',
        [
          [scEs, 'no_objection'],
          [scFr, 'objection'],
          [scFr, 'no_objection'],
        ],
        { result: 'approved_by_procedure', reason: 'Approved by majority: 2 of 2 votes cast had no objection.' },
      ],
    ] as Array<[string, Cast[], { result: string; reason: string }]>)('%s', (_label, casts, expected) => {
      expect(outcomeOf(review('majority', casts, 2), 'deadline_passed')).toEqual(expected);
      // Why the review closed does not change the count.
      expect(outcomeOf(review('majority', casts, 2), 'all_voted')).toEqual(expected);
    });

    it('the quorum is the review’s own: with quorum 3, two votes are not enough', () => {
      const casts: Cast[] = [
        [scEs, 'no_objection'],
        [scFr, 'no_objection'],
      ];
      expect(outcomeOf(review('majority', casts, 3), 'deadline_passed')).toEqual({
        result: 'to_chair',
        reason: 'Quorum missed: 2 vote(s) cast, 3 needed.',
      });
    });
  });

  describe('chair_decides', () => {
    it.each([
      ['chair_decides', 'chair_decides'],
      ['a review from before procedures existed', undefined],
    ] as Array<[string, ReviewProcedure | undefined]>)('%s always goes to the Chair', (_label, procedure) => {
      const toChair = { result: 'to_chair', reason: 'The Chair decides after the review.' };
      expect(outcomeOf(review(procedure, []), 'deadline_passed')).toEqual(toChair);
      expect(
        outcomeOf(
          review(procedure, [
            [scEs, 'no_objection'],
            [scFr, 'no_objection'],
            [scIt, 'no_objection'],
          ]),
          'all_voted',
        ),
      ).toEqual(toChair);
    });
  });

  describe('closed_by_chair', () => {
    it.each(['no_objection', 'majority', 'chair_decides', undefined] as const)(
      'under %s goes to the Chair, even where the procedure would have approved',
      (procedure) => {
        const unanimous: Cast[] = [
          [scEs, 'no_objection'],
          [scFr, 'no_objection'],
        ];
        const closure: ReviewClosure = 'closed_by_chair';
        expect(outcomeOf(review(procedure, unanimous, 2), closure)).toEqual({
          result: 'to_chair',
          reason: 'The Chair closed the review early.',
        });
        expect(outcomeOf(review(procedure, [], 2), closure)).toEqual({ result: 'to_chair', reason: 'The Chair closed the review early.' });
      },
    );
  });
});

describe('quorumFor: a share of the eligible members, rounded up, at least one', () => {
  it.each([
    [4, 0.5, 2],
    [3, 0.5, 2],
    [5, 0.5, 3],
    [5, undefined, 3], // half by default
    [4, undefined, 2],
    [6, 2 / 3, 4],
    [7, 2 / 3, 5],
    [10, 0.25, 3],
    [4, 1, 4],
    [1, 0.5, 1],
    [0, 0.5, 1], // nobody eligible: still one
    [4, 0, 1],
  ] as Array<[number, number | undefined, number]>)('%i members, share %s → %i', (members, share, expected) => {
    expect(quorumFor(members, share)).toBe(expected);
  });
});

describe('edge cases found in review', () => {
  it('rounds a quorum up without floating-point noise', () => {
    expect(quorumFor(25, 0.28)).toBe(7);
    expect(quorumFor(50, 0.14)).toBe(7);
    expect(quorumFor(25, 0.56)).toBe(14);
  });
});

describe('no eligible member', () => {
  it('a no-objection review that nobody could answer goes to the Chair instead of approving by silence', () => {
    const review: Review = {
      openedAt: '2025-01-06T09:00:00.000Z',
      deadline: '2025-01-20T09:00:00.000Z',
      reviewers: [{ userId: 'u-sc-sn', name: 'Fatou Ndiaye', country: 'SN', conflicted: true }],
      votes: [],
      closedAt: null,
      closedBecause: null,
      procedure: 'no_objection',
    };
    expect(outcomeOf(review, 'all_voted')).toEqual({ result: 'to_chair', reason: 'No eligible member could review the request.' });
    expect(outcomeOf({ ...review, reviewers: [] }, 'deadline_passed')).toEqual({ result: 'to_chair', reason: 'No eligible member could review the request.' });
  });
});
