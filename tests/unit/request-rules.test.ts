import { describe, expect, it } from 'vitest';
import { PHASES, ROLES, type Actor, type Phase, type RequestPolicy, type RequestState, type Role } from '../../workflows/request-model';
import { ACTION_RULES, allowedActions, conditionList, everyReviewerHasVoted } from '../../workflows/request-rules';
import { checkAction, checkStep } from './refusals-in-english';
import { reachedCommittee, storedInLanguage, storedWaitingFor, waitingFor } from '../../read-model/waiting-for';
import { ACTIONS, type Action, type Step } from '../../workflows/request-steps';
import {
  DEADLINE,
  PATHS,
  REVIEWERS,
  TO_APPROVAL,
  TO_IMPLEMENTATION,
  TO_MONITORING,
  accept,
  act,
  askRevision,
  atMoment,
  build,
  buildUnder,
  cancelActivity,
  chair,
  confirm,
  decide,
  deliver,
  endReview,
  mark,
  meetCondition,
  partner,
  plan,
  postpone,
  report,
  acceptReport,
  attach,
  returnReport,
  requestInfo,
  revise,
  scEs,
  scFr,
  scMa,
  scSn,
  secretariat,
  timed,
  vote,
  type Fold,
} from './request-fixtures';

// ---------------------------------------------------------------------------------------------------------------
// Fixtures: the shared ones (tests/unit/request-fixtures.ts), plus the people only these rules need.
// ---------------------------------------------------------------------------------------------------------------

const otherPartner: Actor = { userId: 'u-nfp-ml', name: 'Moussa Keita', role: 'partner', country: 'ML' };
const monitor: Actor = { userId: 'u-mon', name: 'Mona Lind', role: 'monitor', country: null };
const admin: Actor = { userId: 'u-adm', name: 'Adam Root', role: 'admin', country: null };

const stateAfter = (...moves: Fold[]): RequestState => build(...moves).state;
const inPhase = (phase: Phase): RequestState => stateAfter(...PATHS[phase]);

/** Deadlines for the partner's answer and for screening (working days), as a policy sets them. */
const CLOCKED: RequestPolicy = {
  reviewPeriod: 'P14D',
  screeningPeriod: 'P10D',
  screeningReminderLead: 'P3D',
  informationPeriod: 'P5D',
  informationReminderLead: 'P1D',
};
/** Submitted Monday 2025-01-06 09:00; the Secretariat asks its question at 09:01 (answer due five working days later). */
const awaitingWithDeadline = (): RequestState => buildUnder(CLOCKED, requestInfo()).state;
const TWO_CONDITIONS = ['Co-funding letter from the ministry.', 'Gender-balanced participant list.'];
/** Approved with two conditions, none met yet. */
const TO_CONDITIONAL = [...TO_APPROVAL, decide('approve', 'Relevant.', TWO_CONDITIONS)];

// ---------------------------------------------------------------------------------------------------------------
// Tables written by hand from the domain brief: they are what the rules must say, not what they say.
// ---------------------------------------------------------------------------------------------------------------

const ROLE_LABEL: Record<Role, string> = {
  partner: 'a National Focal Point (partner)',
  secretariat: 'the Secretariat',
  sc_member: 'a Steering Committee member',
  chair: 'the Chair',
  monitor: 'a monitor',
  admin: 'an administrator',
};

/** One representative per role; the partner is the requesting country's, the SC member an eligible reviewer. */
const ACTOR_OF: Record<Role, Actor> = { partner, secretariat, sc_member: scEs, chair, monitor, admin };

const ALLOWED_ROLES: Record<Action, Role[]> = {
  screen: ['secretariat'],
  provide_information: ['partner'],
  vote: ['sc_member'],
  decide: ['chair'],
  revise: ['partner'],
  plan_activity: ['secretariat'],
  update_activity: ['secretariat'],
  complete_implementation: ['secretariat'],
  submit_report: ['partner', 'secretariat'],
  close: ['secretariat'],
  withdraw: ['partner'],
  cancel: ['chair'],
  extend_information_deadline: ['secretariat'],
  extend_review: ['chair'],
  close_review: ['chair'],
  meet_condition: ['secretariat'],
  correct_decision: ['chair'],
  increase_budget: ['chair'],
  accept_report: ['secretariat'],
  return_report: ['secretariat'],
  attach_document: ['partner', 'secretariat'],
  remove_document: ['partner', 'secretariat'],
};

const ALLOWED_PHASES: Record<Action, Phase[]> = {
  screen: ['screening'],
  provide_information: ['awaiting_information'],
  vote: ['review'],
  decide: ['approval'],
  revise: ['revision_requested'],
  plan_activity: ['implementation'],
  update_activity: ['implementation'],
  complete_implementation: ['implementation'],
  submit_report: ['implementation', 'monitoring'],
  close: ['monitoring'],
  withdraw: ['screening', 'awaiting_information', 'review', 'approval', 'revision_requested'],
  cancel: ['implementation', 'monitoring'],
  extend_information_deadline: ['awaiting_information'],
  extend_review: ['review'],
  close_review: ['review'],
  meet_condition: ['implementation'],
  correct_decision: ['revision_requested', 'implementation', 'monitoring'],
  increase_budget: ['implementation'],
  accept_report: ['implementation', 'monitoring'],
  return_report: ['implementation', 'monitoring'],
  attach_document: ['screening', 'awaiting_information', 'review', 'approval', 'revision_requested', 'implementation', 'monitoring'],
  remove_document: ['screening', 'awaiting_information', 'review', 'approval', 'revision_requested', 'implementation', 'monitoring'],
};

/** A state in which the action's rightful actor may take it (phase and preconditions satisfied). */
const READY: Record<Action, () => RequestState> = {
  screen: () => inPhase('screening'),
  provide_information: () => inPhase('awaiting_information'),
  vote: () => inPhase('review'),
  decide: () => inPhase('approval'),
  revise: () => inPhase('revision_requested'),
  plan_activity: () => inPhase('implementation'),
  update_activity: () => stateAfter(...TO_IMPLEMENTATION, plan('act-1', 'Training')),
  complete_implementation: () => stateAfter(...TO_IMPLEMENTATION, plan('act-1', 'Training'), ...deliver('act-1')),
  submit_report: () => inPhase('implementation'),
  close: () => stateAfter(...TO_MONITORING, report('final'), acceptReport(0)),
  accept_report: () => stateAfter(...TO_IMPLEMENTATION, report('progress')),
  return_report: () => stateAfter(...TO_IMPLEMENTATION, report('progress')),
  withdraw: () => inPhase('screening'),
  cancel: () => inPhase('implementation'),
  extend_information_deadline: awaitingWithDeadline,
  correct_decision: () => inPhase('implementation'),
  extend_review: () => inPhase('review'),
  close_review: () => inPhase('review'),
  meet_condition: () => stateAfter(...TO_CONDITIONAL),
  increase_budget: () => inPhase('implementation'),
  attach_document: () => inPhase('review'),
  remove_document: () => stateAfter(...PATHS.review, attach('doc-1')),
};

const TERMINAL: Phase[] = ['completed', 'rejected', 'withdrawn', 'cancelled'];

// ---------------------------------------------------------------------------------------------------------------

describe('fixture paths', () => {
  it.each(PHASES.map((p) => [p]))('PATHS.%s ends in that phase', (phase) => {
    expect(inPhase(phase).phase).toBe(phase);
  });
});

describe('checkAction: who may act', () => {
  const cases = ACTIONS.flatMap((action) => ROLES.map((role) => [action, role] as const));

  it.each(cases)('%s by %s', (action, role) => {
    const refusal = checkAction(READY[action](), ACTOR_OF[role], action);
    if (ALLOWED_ROLES[action].includes(role)) {
      expect(refusal).toBeNull();
    } else {
      expect(refusal).toEqual({
        kind: 'forbidden',
        message: expect.stringMatching(new RegExp(`^Only .+; you are signed in as ${escape(ROLE_LABEL[role])}\\.$`)),
      });
    }
  });

  it('names who may act and who the actor is', () => {
    expect(checkAction(inPhase('screening'), partner, 'screen')).toEqual({
      kind: 'forbidden',
      message: 'Only the Secretariat may screen the request; you are signed in as a National Focal Point (partner).',
    });
    expect(checkAction(inPhase('implementation'), monitor, 'submit_report')).toEqual({
      kind: 'forbidden',
      message: 'Only a National Focal Point (partner) or the Secretariat may submit a report; you are signed in as a monitor.',
    });
    expect(checkAction(inPhase('approval'), secretariat, 'decide')).toEqual({
      kind: 'forbidden',
      message: 'Only the Chair may decide on the request; you are signed in as the Secretariat.',
    });
  });

  it.each(['provide_information', 'revise', 'withdraw', 'submit_report'] as const)(
    "a partner of another country may not %s on SN's request",
    (action) => {
      const refusal = checkAction(READY[action](), otherPartner, action);
      expect(refusal?.kind).toBe('forbidden');
      expect(refusal?.message).toMatch(/^Only SN's focal point may /);
    },
  );

  it("the other-country refusal names the country and the action", () => {
    expect(checkAction(inPhase('screening'), otherPartner, 'withdraw')).toEqual({
      kind: 'forbidden',
      message: "Only SN's focal point may withdraw the request.",
    });
  });

  it('the other-country check comes before the phase check (forbidden, not conflict)', () => {
    expect(checkAction(inPhase('screening'), otherPartner, 'revise')?.kind).toBe('forbidden');
  });

  it('the Secretariat is not bound to a country for reports', () => {
    expect(checkAction(inPhase('implementation'), { ...secretariat, country: 'FR' }, 'submit_report')).toBeNull();
  });

  it.each(PHASES.map((p) => [p]))('monitor and admin can do nothing in phase %s', (phase) => {
    const state = inPhase(phase);
    expect(allowedActions(state, monitor)).toEqual([]);
    expect(allowedActions(state, admin)).toEqual([]);
  });

  it.each(TERMINAL.map((p) => [p]))('nobody can do anything once %s', (phase) => {
    const state = inPhase(phase);
    for (const actor of [partner, otherPartner, secretariat, scEs, chair, monitor, admin]) {
      expect(allowedActions(state, actor)).toEqual([]);
    }
  });
});

describe('checkAction: when (right role, wrong phase)', () => {
  const cases = ACTIONS.flatMap((action) =>
    PHASES.filter((phase) => !ALLOWED_PHASES[action].includes(phase)).map((phase) => [action, phase] as const),
  );

  it.each(cases)('%s in phase %s is a conflict naming the phase', (action, phase) => {
    const actor = ACTOR_OF[ALLOWED_ROLES[action][0]!];
    const refusal = checkAction(inPhase(phase), actor, action);
    expect(refusal?.kind).toBe('conflict');
    expect(refusal?.message).toMatch(new RegExp(`^The request is in phase '${phase}', where you cannot `));
  });

  it('tells the Chair there is nothing to do when nothing is allowed', () => {
    expect(checkAction(inPhase('screening'), chair, 'decide')).toEqual({
      kind: 'conflict',
      message:
        "The request is in phase 'screening', where you cannot decide on the request (that happens in phase 'approval'). " +
        'There is nothing for you to do on it now.',
    });
  });

  it('lists what the partner may do instead', () => {
    expect(checkAction(inPhase('awaiting_information'), partner, 'revise')).toEqual({
      kind: 'conflict',
      message:
        "The request is in phase 'awaiting_information', where you cannot revise the request as the Chair asked " +
        "(that happens in phase 'revision_requested'). You may now: provide_information, withdraw.",
    });
  });

  it('lists every phase where the action happens', () => {
    expect(checkAction(inPhase('implementation'), partner, 'withdraw')).toEqual({
      kind: 'conflict',
      message:
        "The request is in phase 'implementation', where you cannot withdraw the request (that happens in phase " +
        "'screening', 'awaiting_information', 'review', 'approval' or 'revision_requested'). You may now: submit_report.",
    });
    // During review the Chair may extend it or close it early (since the committee procedures).
    expect(checkAction(inPhase('review'), chair, 'cancel')?.message).toBe(
      "The request is in phase 'review', where you cannot cancel the request (that happens in phase 'implementation' or " +
        "'monitoring'). You may now: extend_review, close_review.",
    );
    expect(checkAction(inPhase('approval'), chair, 'cancel')?.message).toBe(
      "The request is in phase 'approval', where you cannot cancel the request (that happens in phase 'implementation' or " +
        "'monitoring'). You may now: decide.",
    );
    expect(checkAction(inPhase('screening'), chair, 'cancel')?.message).toBe(
      "The request is in phase 'screening', where you cannot cancel the request (that happens in phase 'implementation' or " +
        "'monitoring'). There is nothing for you to do on it now.",
    );
  });

  it('does not leak the internal wrongPhase marker', () => {
    expect(checkAction(inPhase('implementation'), secretariat, 'screen')).toEqual({
      kind: 'conflict',
      message:
        "The request is in phase 'implementation', where you cannot screen the request (that happens in phase 'screening'). " +
        'You may now: plan_activity, submit_report.',
    });
  });
});

describe('ACTION_RULES', () => {
  it('withdraw is open in every phase before implementation; cancel only during implementation and monitoring', () => {
    expect([...ACTION_RULES.withdraw.phases]).toEqual(ALLOWED_PHASES.withdraw);
    expect([...ACTION_RULES.cancel.phases]).toEqual(['implementation', 'monitoring']);
    expect(ACTION_RULES.cancel.roles).toEqual(['chair']);
  });

  it('has a rule for every action and nothing else', () => {
    expect(Object.keys(ACTION_RULES).sort()).toEqual([...ACTIONS].sort());
  });
});

describe('withdraw and cancel', () => {
  it.each(ALLOWED_PHASES.withdraw.map((p) => [p]))('the partner may withdraw in %s', (phase) => {
    expect(checkStep(inPhase(phase), partner, { action: 'withdraw', reason: 'No longer needed.' })).toBeNull();
  });

  it.each([['implementation'], ['monitoring'], ...TERMINAL.map((p) => [p])] as Array<[Phase]>)(
    'the partner may not withdraw in %s',
    (phase) => {
      expect(checkStep(inPhase(phase), partner, { action: 'withdraw', reason: 'No longer needed.' })?.kind).toBe('conflict');
    },
  );

  it.each([['implementation'], ['monitoring']] as Array<[Phase]>)('the Chair may cancel in %s', (phase) => {
    expect(checkStep(inPhase(phase), chair, { action: 'cancel', reason: 'Security situation.' })).toBeNull();
  });

  it.each(PHASES.filter((p) => p !== 'implementation' && p !== 'monitoring').map((p) => [p]))(
    'the Chair may not cancel in %s',
    (phase) => {
      expect(checkStep(inPhase(phase), chair, { action: 'cancel', reason: 'Security situation.' })?.kind).toBe('conflict');
    },
  );

  it('nobody but the Chair cancels, nobody but the partner withdraws', () => {
    expect(checkAction(inPhase('implementation'), secretariat, 'cancel')?.kind).toBe('forbidden');
    expect(checkAction(inPhase('screening'), chair, 'withdraw')?.kind).toBe('forbidden');
    expect(checkAction(inPhase('screening'), secretariat, 'withdraw')?.kind).toBe('forbidden');
  });
});

describe('vote rules', () => {
  const noObjection: Step = { action: 'vote', vote: 'no_objection', comment: null };

  it('an eligible reviewer may vote', () => {
    expect(checkStep(inPhase('review'), scEs, noObjection)).toBeNull();
    expect(checkStep(inPhase('review'), scFr, { action: 'vote', vote: 'objection', comment: 'Overlaps with X.' })).toBeNull();
  });

  it('a member who was not in the review snapshot is forbidden', () => {
    expect(checkStep(inPhase('review'), scMa, noObjection)).toEqual({
      kind: 'forbidden',
      message: 'You were not a Steering Committee member when this review opened, so you cannot vote on it.',
    });
  });

  it('a member representing the request’s own country is forbidden for conflict of interest', () => {
    expect(checkStep(inPhase('review'), scSn, noObjection)).toEqual({
      kind: 'forbidden',
      message:
        'This request comes from SN, the country you represent; to avoid a conflict of interest you do not review it.',
    });
  });

  it('a member may change their vote while the review is open (a second and a third vote are accepted)', () => {
    const state = stateAfter(accept(), vote(scEs));
    expect(checkStep(state, scEs, { action: 'vote', vote: 'objection', comment: 'Changed my mind.' })).toBeNull();
    // …and the other member still may vote.
    expect(checkStep(state, scFr, noObjection)).toBeNull();
    const twice = stateAfter(accept(), vote(scEs), vote(scEs, 'objection', 'Changed my mind.'));
    expect(checkStep(twice, scEs, { action: 'vote', vote: 'abstain', comment: 'On reflection.' })).toBeNull();
  });

  it('changing a vote does not lift the snapshot and conflict-of-interest checks', () => {
    const state = stateAfter(accept(), vote(scEs), vote(scFr));
    expect(checkStep(state, scSn, noObjection)?.kind).toBe('forbidden');
    expect(checkStep(state, scMa, noObjection)?.kind).toBe('forbidden');
  });

  it('allowedActions reflects the vote precondition', () => {
    const state = stateAfter(accept(), vote(scEs));
    expect(allowedActions(state, scEs)).toEqual(['vote']);
    expect(allowedActions(state, scFr)).toEqual(['vote']);
    expect(allowedActions(state, scSn)).toEqual([]);
    expect(allowedActions(state, scMa)).toEqual([]);
  });

  it('once the review is closed nobody votes any more, not even to change a vote', () => {
    const state = stateAfter(accept(), vote(scEs), vote(scFr), endReview('all_voted'));
    expect(state.phase).toBe('approval');
    expect(checkStep(state, scEs, noObjection)?.kind).toBe('conflict');
  });
});

describe('everyReviewerHasVoted', () => {
  it('is false outside review (no review yet)', () => {
    expect(everyReviewerHasVoted(inPhase('screening'))).toBe(false);
  });

  it('waits for every eligible member and ignores the conflicted one', () => {
    expect(everyReviewerHasVoted(stateAfter(accept()))).toBe(false);
    expect(everyReviewerHasVoted(stateAfter(accept(), vote(scEs)))).toBe(false);
    // scSn (conflicted) never votes, yet the review is complete.
    expect(everyReviewerHasVoted(stateAfter(accept(), vote(scEs), vote(scFr, 'abstain')))).toBe(true);
  });

  it('counts zero eligible reviewers as all voted', () => {
    expect(everyReviewerHasVoted(stateAfter(accept([REVIEWERS[2]!])))).toBe(true);
    expect(everyReviewerHasVoted(stateAfter(accept([])))).toBe(true);
  });
});

describe('checkStep: payload checks', () => {
  const activity = {
    action: 'plan_activity',
    type: 'workshop',
    title: 'Regional workshop',
    startDate: '2025-06-10',
    endDate: '2025-06-12',
    location: 'Rabat',
    budgetEur: 15_000,
  } as const;

  it('plan_activity: endDate before startDate is invalid on endDate', () => {
    expect(checkStep(inPhase('implementation'), secretariat, { ...activity, endDate: '2025-06-09' })).toEqual({
      kind: 'invalid',
      field: 'endDate',
      message: 'The end date (endDate) must be on or after the start date (startDate).',
    });
  });

  it('plan_activity: a one-day activity (endDate = startDate) is fine', () => {
    expect(checkStep(inPhase('implementation'), secretariat, { ...activity, endDate: '2025-06-10' })).toBeNull();
  });

  it('update_activity: an unknown activity is not_found', () => {
    const state = stateAfter(...TO_IMPLEMENTATION, plan('act-1', 'Training'));
    expect(checkStep(state, secretariat, { action: 'update_activity', activityId: 'act-404', status: 'done' })).toEqual({
      kind: 'not_found',
      field: 'activityId',
      message: 'This request has no activity act-404.',
    });
  });

  it('update_activity: an activity that is no longer planned cannot change', () => {
    const state = stateAfter(
      ...TO_IMPLEMENTATION,
      plan('act-1', 'Training'),
      plan('act-2', 'Workshop'),
      mark('act-1', 'cancelled'),
    );
    expect(checkStep(state, secretariat, { action: 'update_activity', activityId: 'act-1', status: 'done' })).toEqual({
      kind: 'conflict',
      message: "Activity 'Training' is already cancelled; only planned activities change status.",
    });
    // Under the lifecycle, a cancelled activity is final.
    const cancelled = stateAfter(...TO_IMPLEMENTATION, plan('act-1', 'Training'), plan('act-2', 'Workshop'), cancelActivity('act-1'));
    expect(checkStep(cancelled, secretariat, { action: 'update_activity', activityId: 'act-1', status: 'confirmed' })).toEqual({
      kind: 'conflict',
      message: "Activity 'Training' is cancelled; that is final.",
    });
  });

  it('update_activity: with every activity held or cancelled, the action itself is refused', () => {
    const refused = {
      kind: 'conflict',
      message: 'Every activity is already held or cancelled; plan a new one first.',
    };
    const cancel: Step = { action: 'update_activity', activityId: 'act-1', status: 'cancelled', reason: 'Too late.' };
    // A legacy 'done' reads as held.
    const legacy = stateAfter(...TO_IMPLEMENTATION, plan('act-1', 'Training'), mark('act-1', 'done'));
    expect(checkStep(legacy, secretariat, cancel)).toEqual(refused);
    expect(allowedActions(legacy, secretariat)).not.toContain('update_activity');
    const settled = stateAfter(...TO_IMPLEMENTATION, plan('act-1', 'Training'), plan('act-2', 'Workshop'), ...deliver('act-1'), cancelActivity('act-2'));
    expect(checkStep(settled, secretariat, cancel)).toEqual(refused);
    expect(allowedActions(settled, secretariat)).not.toContain('update_activity');
  });

  it('update_activity: stays available while an activity is confirmed or postponed (not only planned)', () => {
    const confirmed = stateAfter(...TO_IMPLEMENTATION, plan('act-1', 'Training'), confirm('act-1'));
    expect(allowedActions(confirmed, secretariat)).toEqual(['plan_activity', 'update_activity', 'submit_report', 'attach_document']);
    const postponed = stateAfter(...TO_IMPLEMENTATION, plan('act-1', 'Training'), postpone('act-1'));
    expect(allowedActions(postponed, secretariat)).toEqual(['plan_activity', 'update_activity', 'submit_report', 'attach_document']);
  });

  it("update_activity: setting status 'planned' is refused (no activity goes back to planned)", () => {
    const state = stateAfter(...TO_IMPLEMENTATION, plan('act-1', 'Training'));
    // The Step type excludes 'planned'; a payload that slipped past the API schema still meets the status machine.
    const step = { action: 'update_activity', activityId: 'act-1', status: 'planned' } as unknown as Step;
    expect(checkStep(state, secretariat, step)).toEqual({
      kind: 'conflict',
      message: "Activity 'Training' is planned; it can become confirmed, postponed or cancelled.",
    });
  });

  it.each([
    ['reject', 'conditions', { conditions: ['Co-fund 10%.'], approvedBudgetEur: null }],
    ['reject', 'conditions', { conditions: 'Co-fund 10%.', approvedBudgetEur: null }],
    ['reject', 'approvedBudgetEur', { conditions: null, approvedBudgetEur: 30_000 }],
    ['request_revision', 'approvedBudgetEur', { conditions: ['x'], approvedBudgetEur: 30_000 }],
    ['request_revision', 'conditions', { conditions: ['Co-fund 10%.'], approvedBudgetEur: null }],
  ] as Array<['reject' | 'request_revision', string, { conditions: string[] | string | null; approvedBudgetEur: number | null }]>)(
    'decide %s with %s is invalid',
    (decision, field, extra) => {
      expect(checkStep(inPhase('approval'), chair, { action: 'decide', decision, rationale: 'Because.', ...extra })).toEqual({
        kind: 'invalid',
        field,
        message: 'Conditions and an approved budget belong only to an approval.',
      });
    },
  );

  it('decide approve may carry conditions and a budget', () => {
    expect(
      checkStep(inPhase('approval'), chair, {
        action: 'decide',
        decision: 'approve',
        rationale: 'Relevant.',
        conditions: ['Co-fund 10%.', 'Gender-balanced list.'],
        approvedBudgetEur: 40_000,
      }),
    ).toBeNull();
    // As steps taken before 2026-11 carried them: one text.
    expect(
      checkStep(inPhase('approval'), chair, {
        action: 'decide',
        decision: 'approve',
        rationale: 'Relevant.',
        conditions: 'Co-fund 10%.',
        approvedBudgetEur: 40_000,
      }),
    ).toBeNull();
  });

  it('a final report during implementation is a conflict; a progress report is fine', () => {
    const state = inPhase('implementation');
    expect(checkStep(state, partner, { action: 'submit_report', kind: 'final', summary: 'Done.', indicators: null })).toEqual({
      kind: 'conflict',
      message: 'The final report comes after implementation is completed; during implementation submit progress reports.',
    });
    expect(checkStep(state, partner, { action: 'submit_report', kind: 'progress', summary: 'Half.', indicators: null })).toBeNull();
    expect(
      checkStep(inPhase('monitoring'), partner, { action: 'submit_report', kind: 'final', summary: 'Done.', indicators: null }),
    ).toBeNull();
  });

  it('an empty revision is invalid; a revision changing one field is fine', () => {
    const state = inPhase('revision_requested');
    expect(checkStep(state, partner, { action: 'revise', changes: {} })).toEqual({
      kind: 'invalid',
      field: 'body',
      message: 'A revision must change at least one field of the request.',
    });
    expect(
      checkStep(state, partner, { action: 'revise', changes: { estimatedBudgetEur: 45_000 }, answers: ['List attached.'] }),
    ).toBeNull();
  });

  it('role and phase are checked before the payload', () => {
    expect(checkStep(inPhase('revision_requested'), monitor, { action: 'revise', changes: {} })?.kind).toBe('forbidden');
    expect(checkStep(inPhase('screening'), partner, { action: 'revise', changes: {} })?.kind).toBe('conflict');
  });
});

describe('complete_implementation and close preconditions', () => {
  it('needs at least one activity', () => {
    expect(checkAction(inPhase('implementation'), secretariat, 'complete_implementation')).toEqual({
      kind: 'conflict',
      message: 'Plan at least one activity before completing implementation.',
    });
  });

  it('lists the activities still planned, confirmed or postponed, with their status', () => {
    const state = stateAfter(
      ...TO_IMPLEMENTATION,
      plan('act-1', 'Workshop A', { budgetEur: 8_000 }),
      plan('act-2', 'Study B', { budgetEur: 8_000 }),
      plan('act-3', 'Visit C', { budgetEur: 8_000 }),
      plan('act-4', 'Mission D', { budgetEur: 8_000 }),
      plan('act-5', 'Exchange E', { budgetEur: 8_000 }),
      ...deliver('act-2'),
      confirm('act-3'),
      postpone('act-4'),
      cancelActivity('act-5'),
    );
    expect(checkAction(state, secretariat, 'complete_implementation')).toEqual({
      kind: 'conflict',
      message:
        "Implementation cannot complete while activities are still planned, confirmed or postponed: 'Workshop A' (planned), " +
        "'Visit C' (confirmed), 'Mission D' (postponed). Record each as held or cancelled first.",
    });
    expect(allowedActions(state, secretariat)).not.toContain('complete_implementation');
  });

  it('is allowed once every activity is held or cancelled', () => {
    const state = stateAfter(...TO_IMPLEMENTATION, plan('act-1', 'Workshop A'), plan('act-2', 'Study B'), ...deliver('act-1'), cancelActivity('act-2'));
    expect(checkStep(state, secretariat, { action: 'complete_implementation', note: 'All delivered.' })).toBeNull();
    // As replayed from before the lifecycle: done (read as held) and cancelled without a reason.
    const legacy = stateAfter(...TO_IMPLEMENTATION, plan('act-1', 'Workshop A'), plan('act-2', 'Study B'), mark('act-1', 'done'), mark('act-2', 'cancelled'));
    expect(checkStep(legacy, secretariat, { action: 'complete_implementation', note: 'All delivered.' })).toBeNull();
  });

  it('close needs a final report (a progress report is not enough)', () => {
    const expected = {
      kind: 'conflict',
      message: 'A request closes only after its final report; submit a report of kind "final" first.',
    };
    expect(checkAction(inPhase('monitoring'), secretariat, 'close')).toEqual(expected);
    expect(checkAction(stateAfter(...TO_MONITORING, report('progress')), secretariat, 'close')).toEqual(expected);
    expect(checkStep(stateAfter(...TO_MONITORING, report('final'), acceptReport(0)), secretariat, { action: 'close', lessonsLearned: 'x' })).toBeNull();
  });

  it('close needs the final report accepted, unless replaying a closure from before report reviews', () => {
    const submitted = stateAfter(...TO_MONITORING, report('final'));
    expect(checkAction(submitted, secretariat, 'close')).toEqual({
      kind: 'conflict',
      message: 'A request closes only once its final report is accepted; accept it (or return it for changes) first.',
    });
    expect(checkAction(submitted, secretariat, 'close', { reportReviewsNotApplied: true })).toBeNull();
    expect(checkAction(stateAfter(...TO_MONITORING, report('final'), returnReport(0)), secretariat, 'close')).toEqual({
      kind: 'conflict',
      message: 'A request closes only once its final report is accepted; accept it (or return it for changes) first.',
    });
  });

  it('a report is reviewed once: accepting or returning it again is refused, an unknown one is 404', () => {
    const accepted = stateAfter(...TO_IMPLEMENTATION, report('progress'), report('progress'), acceptReport(0));
    expect(checkStep(accepted, secretariat, { action: 'return_report', reportIndex: 0, comments: 'c' })).toEqual({
      kind: 'conflict',
      message: 'Report 0 was already accepted; a returned report is answered by a new one.',
    });
    expect(checkStep(accepted, secretariat, { action: 'accept_report', reportIndex: 1 })).toBeNull();
    expect(checkStep(accepted, secretariat, { action: 'accept_report', reportIndex: 7 })).toEqual({
      kind: 'not_found',
      field: 'reportIndex',
      message: 'This request has no report number 7.',
    });
    const allReviewed = stateAfter(...TO_IMPLEMENTATION, report('progress'), returnReport(0));
    expect(checkAction(allReviewed, secretariat, 'accept_report')).toEqual({ kind: 'conflict', message: 'No report is waiting for review.' });
  });
});

describe('allowedActions', () => {
  const PEOPLE = { partner, otherPartner, secretariat, scEs, chair } as const;

  it.each([
    ['screening', 'partner', ['withdraw', 'attach_document']],
    ['screening', 'secretariat', ['screen', 'attach_document']],
    ['screening', 'chair', []],
    ['awaiting_information', 'partner', ['provide_information', 'withdraw', 'attach_document']],
    ['awaiting_information', 'otherPartner', []],
    ['review', 'scEs', ['vote']],
    ['review', 'partner', ['withdraw', 'attach_document']],
    ['review', 'secretariat', ['attach_document']],
    ['review', 'chair', ['extend_review', 'close_review']],
    ['approval', 'chair', ['decide']],
    ['revision_requested', 'partner', ['revise', 'withdraw', 'attach_document']],
    ['revision_requested', 'chair', ['correct_decision']],
    ['implementation', 'secretariat', ['plan_activity', 'submit_report', 'attach_document']],
    ['implementation', 'partner', ['submit_report', 'attach_document']],
    ['implementation', 'otherPartner', []],
    ['implementation', 'chair', ['cancel', 'correct_decision', 'increase_budget']],
    ['monitoring', 'secretariat', ['submit_report', 'attach_document']],
    ['monitoring', 'chair', ['cancel', 'correct_decision']],
  ] as Array<[Phase, keyof typeof PEOPLE, Action[]]>)('in %s, %s may do %j', (phase, who, expected) => {
    expect(allowedActions(inPhase(phase), PEOPLE[who])).toEqual(expected);
  });

  it('the Secretariat reviews the final report, then may close', () => {
    expect(allowedActions(stateAfter(...TO_MONITORING, report('final')), secretariat)).toEqual(['submit_report', 'accept_report', 'return_report', 'attach_document']);
    expect(allowedActions(stateAfter(...TO_MONITORING, report('final'), acceptReport(0)), secretariat)).toEqual(['submit_report', 'close', 'attach_document']);
  });

  it('complete_implementation appears once every activity is settled', () => {
    expect(allowedActions(READY.complete_implementation(), secretariat)).toEqual([
      'plan_activity',
      'complete_implementation',
      'submit_report',
      'attach_document',
    ]);
  });
});

describe('waitingFor', () => {
  it('screening: the Secretariat', () => {
    expect(waitingFor(inPhase('screening'))).toEqual({
      roles: ['secretariat'],
      what: 'The Secretariat screens the request.',
      deadline: null,
    });
  });

  it('awaiting_information: the requesting country’s focal point', () => {
    expect(waitingFor(inPhase('awaiting_information'))).toEqual({
      roles: ['partner'],
      what: "SN's focal point answers the Secretariat's questions.",
      deadline: null,
    });
  });

  it('review: the members still to vote (not the conflicted one) and the deadline', () => {
    expect(waitingFor(stateAfter(accept()))).toEqual({
      roles: ['sc_member'],
      what: 'Steering Committee members vote (2 still to vote: Ana García, Jean Dupont).',
      deadline: DEADLINE,
    });
    expect(waitingFor(stateAfter(accept(), vote(scFr)))).toEqual({
      roles: ['sc_member'],
      what: 'Steering Committee members vote (1 still to vote: Ana García).',
      deadline: DEADLINE,
    });
    expect(waitingFor(stateAfter(accept(), vote(scFr), vote(scEs)))?.what).toBe(
      'Steering Committee members vote (0 still to vote: none).',
    );
  });

  it('approval: the Chair', () => {
    expect(waitingFor(inPhase('approval'))).toEqual({
      roles: ['chair'],
      what: 'The Chair approves, rejects or asks for a revision.',
      deadline: null,
    });
  });

  it('revision_requested: the partner', () => {
    expect(waitingFor(inPhase('revision_requested'))).toEqual({
      roles: ['partner'],
      what: "SN's focal point revises the request.",
      deadline: null,
    });
  });

  it('implementation: the Secretariat', () => {
    expect(waitingFor(inPhase('implementation'))).toEqual({
      roles: ['secretariat'],
      what: 'The Secretariat implements the planned activities.',
      deadline: null,
    });
  });

  it('monitoring: the final report, its review, then closure', () => {
    expect(waitingFor(stateAfter(...TO_MONITORING, report('progress')))).toEqual({
      roles: ['partner', 'secretariat'],
      what: 'The final report is due.',
      deadline: null,
    });
    expect(waitingFor(stateAfter(...TO_MONITORING, report('final')))).toEqual({
      roles: ['secretariat'],
      what: 'The Secretariat accepts the final report or returns it for changes.',
      deadline: null,
    });
    expect(waitingFor(stateAfter(...TO_MONITORING, report('final'), returnReport(0)))).toEqual({
      roles: ['partner', 'secretariat'],
      what: 'The final report was returned for changes; a revised one is due.',
      deadline: null,
    });
    expect(waitingFor(stateAfter(...TO_MONITORING, report('final'), acceptReport(0)))).toEqual({
      roles: ['secretariat'],
      what: 'The Secretariat closes the request with lessons learned.',
      deadline: null,
    });
  });

  it('monitoring, before report reviews: a final report without a status was enough to close', () => {
    const state = stateAfter(...TO_MONITORING, report('final'));
    const unreviewed = { ...state, reports: state.reports.map(({ status: _status, ...r }) => r) };
    expect(waitingFor(unreviewed)?.what).toBe('The Secretariat closes the request with lessons learned.');
  });

  it.each(TERMINAL.map((p) => [p]))('%s: nobody', (phase) => {
    expect(waitingFor(inPhase(phase))).toBeNull();
  });
});

describe('the read model’s waitingFor', () => {
  it('keeps what must be done in every language, so that a list reads it in its reader’s', () => {
    const stored = storedWaitingFor(stateAfter(accept(), vote(scFr)))!;
    expect(stored).toEqual({
      roles: ['sc_member'],
      what: 'Steering Committee members vote (1 still to vote: Ana García).',
      whatIn: {
        en: 'Steering Committee members vote (1 still to vote: Ana García).',
        fr: 'Les membres du Comité de pilotage votent (1 encore à voter : Ana García).',
      },
      deadline: DEADLINE,
    });
    expect(storedInLanguage(stored, 'fr')).toEqual({ roles: ['sc_member'], what: stored.whatIn!.fr, deadline: DEADLINE });
    // A row written before the column kept every language: its reader words it from the state instead.
    expect(storedInLanguage({ roles: ['chair'], what: 'The Chair decides.', deadline: null }, 'fr')).toBeUndefined();
    expect(storedWaitingFor(inPhase('completed'))).toBeNull();
  });
});

describe('decide: points of a revision', () => {
  const revision = (points?: string[]): Step => ({
    action: 'decide',
    decision: 'request_revision',
    rationale: 'Not yet.',
    conditions: null,
    approvedBudgetEur: null,
    ...(points ? { points } : {}),
  });
  const needsPoints = {
    kind: 'invalid',
    field: 'points',
    message: 'List the points the partner must address in the revision.',
  };

  it('a request for revision must list the points to address', () => {
    expect(checkStep(inPhase('approval'), chair, revision())).toEqual(needsPoints);
    expect(checkStep(inPhase('approval'), chair, revision([]))).toEqual(needsPoints);
    expect(checkStep(inPhase('approval'), chair, revision(['Add a participant list.', 'Break the budget down.']))).toBeNull();
  });

  it.each(['approve', 'reject'] as const)('points do not belong to a decision to %s', (decision) => {
    const step: Step = { action: 'decide', decision, rationale: 'Because.', conditions: null, approvedBudgetEur: null, points: ['x'] };
    const expected = { kind: 'invalid', field: 'points', message: 'Points to address belong only to a request for revision.' };
    expect(checkStep(inPhase('approval'), chair, step)).toEqual(expected);
    // Replaying an old history does not relax this one: no old step carried points.
    expect(checkStep(inPhase('approval'), chair, step, { proceduresNotApplied: true })).toEqual(expected);
  });

  it('replaying a history from before the procedures accepts a revision request without points', () => {
    expect(checkStep(inPhase('approval'), chair, revision(), { proceduresNotApplied: true })).toBeNull();
  });
});

describe('revise: one answer per point', () => {
  const POINTS = ['Add a gender-balanced participant list.', 'Break the budget down per activity.'];
  const asked = () => stateAfter(...TO_APPROVAL, askRevision(POINTS));
  const revision = (answers?: string[]): Step => ({ action: 'revise', changes: { estimatedBudgetEur: 45_000 }, ...(answers ? { answers } : {}) });
  const onePerPoint = {
    kind: 'invalid',
    field: 'answers',
    message:
      'The Chair asked for 2 points to be addressed; give one answer for each, in order: ' +
      '1. Add a gender-balanced participant list. 2. Break the budget down per activity.',
  };

  it.each([
    ['no answers', undefined],
    ['an empty list', []],
    ['one answer for two points', ['List attached.']],
    ['three answers for two points', ['a', 'b', 'c']],
  ] as Array<[string, string[] | undefined]>)('refuses %s', (_label, answers) => {
    expect(checkStep(asked(), partner, revision(answers))).toEqual(onePerPoint);
  });

  it('accepts exactly one answer per point', () => {
    expect(checkStep(asked(), partner, revision(['List attached: 20 women, 20 men.', 'Budget per activity attached.']))).toBeNull();
  });

  it('an empty revision is refused before the answers are counted', () => {
    expect(checkStep(asked(), partner, { action: 'revise', changes: {}, answers: ['a', 'b'] })).toEqual({
      kind: 'invalid',
      field: 'body',
      message: 'A revision must change at least one field of the request.',
    });
  });

  it('replaying a history from before the procedures accepts a revision without answers', () => {
    expect(checkStep(asked(), partner, revision(), { proceduresNotApplied: true })).toBeNull();
  });

  it('a revision requested before the procedures (no points) is answered with no answers', () => {
    const state = stateAfter(...TO_APPROVAL, decide('request_revision', 'Add a list.', null, null, { proceduresNotApplied: true }));
    expect(state.decisions.at(-1)).not.toHaveProperty('points');
    expect(checkStep(state, partner, revision())).toBeNull();
    expect(checkStep(state, partner, revision(['Unasked answer.']))).toMatchObject({ kind: 'invalid', field: 'answers' });
  });
});

describe('conditions of an approval', () => {
  const done = (activityId = 'act-1'): Step => ({ action: 'update_activity', activityId, status: 'done' });
  const bothOpen =
    "Implementation starts only once the approval's conditions are met; still open: 'Co-funding letter from the ministry.', " +
    "'Gender-balanced participant list.'. Mark each as met first.";

  it('the Secretariat may mark a condition met during implementation; nobody else may', () => {
    const state = stateAfter(...TO_CONDITIONAL);
    expect(checkStep(state, secretariat, { action: 'meet_condition', conditionIndex: 1, note: 'Received.' })).toBeNull();
    expect(checkAction(state, chair, 'meet_condition')?.kind).toBe('forbidden');
    expect(checkAction(state, partner, 'meet_condition')?.kind).toBe('forbidden');
    expect(allowedActions(state, secretariat)).toEqual(['plan_activity', 'submit_report', 'meet_condition', 'attach_document']);
  });

  it('with no condition there is nothing to mark met', () => {
    expect(checkAction(inPhase('implementation'), secretariat, 'meet_condition')).toEqual({
      kind: 'conflict',
      message: 'Every condition of the approval is already met (or there were none).',
    });
  });

  it('an unknown condition number is not found', () => {
    const state = stateAfter(...TO_CONDITIONAL);
    for (const conditionIndex of [2, -1]) {
      expect(checkStep(state, secretariat, { action: 'meet_condition', conditionIndex, note: 'x' })).toEqual({
        kind: 'not_found',
        field: 'conditionIndex',
        message: `The approval has no condition number ${conditionIndex}.`,
      });
    }
  });

  it('a condition already met is not met twice; once all are met the action is gone', () => {
    const one = stateAfter(...TO_CONDITIONAL, meetCondition(1));
    expect(checkStep(one, secretariat, { action: 'meet_condition', conditionIndex: 1, note: 'Again.' })).toEqual({
      kind: 'conflict',
      message: `Condition 'Gender-balanced participant list.' was already marked met on 2025-01-06T09:04:00.000Z.`,
    });
    const both = stateAfter(...TO_CONDITIONAL, meetCondition(1), meetCondition(0));
    expect(checkAction(both, secretariat, 'meet_condition')).toEqual({
      kind: 'conflict',
      message: 'Every condition of the approval is already met (or there were none).',
    });
    expect(allowedActions(both, secretariat)).toEqual(['plan_activity', 'submit_report', 'attach_document']);
  });

  it("an activity is not marked done while a condition is open, and the refusal names the open ones", () => {
    expect(checkStep(stateAfter(...TO_CONDITIONAL, plan('act-1', 'Training')), secretariat, done())).toEqual({
      kind: 'conflict',
      message: bothOpen,
    });
    expect(checkStep(stateAfter(...TO_CONDITIONAL, plan('act-1', 'Training'), meetCondition(1)), secretariat, done())).toEqual({
      kind: 'conflict',
      message:
        "Implementation starts only once the approval's conditions are met; still open: 'Co-funding letter from the ministry.'. " +
        'Mark each as met first.',
    });
  });

  it('an activity is not confirmed while a condition is open either', () => {
    const confirmStep: Step = { action: 'update_activity', activityId: 'act-1', status: 'confirmed' };
    expect(checkStep(stateAfter(...TO_CONDITIONAL, plan('act-1', 'Training')), secretariat, confirmStep)).toEqual({
      kind: 'conflict',
      message: bothOpen,
    });
    expect(checkStep(stateAfter(...TO_CONDITIONAL, plan('act-1', 'Training'), meetCondition(0), meetCondition(1)), secretariat, confirmStep)).toBeNull();
  });

  it('an activity may be cancelled (with a reason) while conditions are open', () => {
    const state = stateAfter(...TO_CONDITIONAL, plan('act-1', 'Training'));
    const cancel: Step = { action: 'update_activity', activityId: 'act-1', status: 'cancelled' };
    expect(checkStep(state, secretariat, { ...cancel, reason: 'Venue lost.' })).toBeNull();
    expect(checkStep(state, secretariat, cancel)).toEqual({ kind: 'invalid', field: 'reason', message: 'Say why the activity is cancelled.' });
    // Before the lifecycle a cancellation carried no reason.
    expect(checkStep(state, secretariat, cancel, { activityRulesNotApplied: true })).toBeNull();
  });

  it('once every condition is met, an activity may be marked done', () => {
    const state = stateAfter(...TO_CONDITIONAL, plan('act-1', 'Training'), meetCondition(0), meetCondition(1));
    expect(checkStep(state, secretariat, done())).toBeNull();
  });

  it('replaying a history from before the procedures lets an activity be done with conditions open', () => {
    const state = stateAfter(...TO_CONDITIONAL, plan('act-1', 'Training'));
    expect(checkStep(state, secretariat, done(), { proceduresNotApplied: true })).toBeNull();
    // The option relaxes only the procedures: the other activity checks still hold.
    expect(checkStep(state, secretariat, done('act-404'), { proceduresNotApplied: true })?.kind).toBe('not_found');
  });

  it('an approval with a single legacy text condition also waits for it', () => {
    const state = stateAfter(...TO_APPROVAL, decide('approve', 'Relevant.', 'Co-fund 10%.'), plan('act-1', 'Training'));
    expect(checkStep(state, secretariat, done())).toEqual({
      kind: 'conflict',
      message: "Implementation starts only once the approval's conditions are met; still open: 'Co-fund 10%.'. Mark each as met first.",
    });
  });
});

describe('extensions', () => {
  // The information clock of awaitingWithDeadline(): asked Monday 2025-01-06 09:01, five working days.
  const INFO_DEADLINE = '2025-01-13T09:01:00.000Z';
  const extendInfo = (until: string): Step => ({ action: 'extend_information_deadline', until, reason: 'Elections.' });
  const extendReview = (until: string): Step => ({ action: 'extend_review', until, reason: 'Members asked for time.' });

  it('the partner’s deadline exists only under a policy that sets one', () => {
    expect(awaitingWithDeadline().informationExchanges.at(-1)?.clock?.deadline).toBe(INFO_DEADLINE);
    expect(checkAction(inPhase('awaiting_information'), secretariat, 'extend_information_deadline')).toEqual({
      kind: 'conflict',
      message: 'This request has no deadline for the partner’s answer to extend.',
    });
    expect(allowedActions(inPhase('awaiting_information'), secretariat)).toEqual(['attach_document']);
    expect(allowedActions(awaitingWithDeadline(), secretariat)).toEqual(['extend_information_deadline', 'attach_document']);
  });

  it.each([
    ['the same deadline', INFO_DEADLINE],
    ['an earlier deadline', '2025-01-10T09:00:00.000Z'],
  ])('extending the partner’s deadline to %s is invalid', (_label, until) => {
    expect(atMoment('2025-01-08T10:00:00.000Z', () => checkStep(awaitingWithDeadline(), secretariat, extendInfo(until)))).toEqual({
      kind: 'invalid',
      field: 'until',
      message: `An extension must move the deadline later than ${INFO_DEADLINE}.`,
    });
  });

  it('the partner’s deadline may move later, into the future', () => {
    expect(
      atMoment('2025-01-08T10:00:00.000Z', () => checkStep(awaitingWithDeadline(), secretariat, extendInfo('2025-01-13T09:01:00.001Z'))),
    ).toBeNull();
  });

  it('a new deadline later than the old one but already past is invalid', () => {
    // The old deadline passed a day ago and its timer has not fired yet.
    expect(
      atMoment('2025-01-14T09:00:00.000Z', () => checkStep(awaitingWithDeadline(), secretariat, extendInfo('2025-01-14T08:00:00.000Z'))),
    ).toEqual({ kind: 'invalid', field: 'until', message: 'The new deadline must be in the future.' });
  });

  it('only the Secretariat extends the partner’s deadline; only the Chair extends or closes a review', () => {
    expect(checkAction(awaitingWithDeadline(), partner, 'extend_information_deadline')?.kind).toBe('forbidden');
    for (const action of ['extend_review', 'close_review'] as const) {
      for (const actor of [secretariat, scEs, partner]) expect(checkAction(inPhase('review'), actor, action)?.kind).toBe('forbidden');
    }
  });

  it('the review deadline moves only later and into the future', () => {
    const review = inPhase('review');
    expect(atMoment('2025-01-10T09:00:00.000Z', () => checkStep(review, chair, extendReview(DEADLINE)))).toEqual({
      kind: 'invalid',
      field: 'until',
      message: `An extension must move the deadline later than ${DEADLINE}.`,
    });
    expect(atMoment('2025-01-10T09:00:00.000Z', () => checkStep(review, chair, extendReview('2025-01-27T09:00:00.000Z')))).toBeNull();
    expect(atMoment('2025-01-21T09:00:00.000Z', () => checkStep(review, chair, extendReview('2025-01-20T12:00:00.000Z')))).toEqual({
      kind: 'invalid',
      field: 'until',
      message: 'The new deadline must be in the future.',
    });
  });

  it('extending or closing a review takes the Chair’s office, like deciding', () => {
    const review = inPhase('review');
    const noTerm: Actor = { ...chair, chairTerm: null };
    const ended: Actor = { ...chair, chairTerm: { startsAt: '2024-01-01T00:00:00.000Z', endsAt: '2025-01-01T00:00:00.000Z' } };
    for (const action of ['extend_review', 'close_review'] as const) {
      expect(atMoment('2025-01-10T09:00:00.000Z', () => checkAction(review, noTerm, action))).toEqual({
        kind: 'forbidden',
        message: 'You do not hold the Chair office now: no term of yours covers this moment. An administrator hands the office over.',
      });
      expect(atMoment('2025-01-10T09:00:00.000Z', () => checkAction(review, ended, action))).toEqual({
        kind: 'forbidden',
        message: 'Your term as Chair ended on 2025-01-01T00:00:00.000Z; the decision belongs to the current Chair.',
      });
      expect(atMoment('2025-01-10T09:00:00.000Z', () => checkAction(review, noTerm, action, { chairTermNotRequired: true }))).toBeNull();
    }
  });
});

describe('waitingFor: deadlines under a policy', () => {
  it('screening names the screening deadline (ten working days)', () => {
    expect(buildUnder(CLOCKED).state.screeningClock?.deadline).toBe('2025-01-20T09:00:00.000Z');
    expect(waitingFor(buildUnder(CLOCKED).state)).toEqual({
      roles: ['secretariat'],
      what: 'The Secretariat screens the request.',
      deadline: '2025-01-20T09:00:00.000Z',
    });
  });

  it('awaiting_information names the partner’s deadline', () => {
    expect(waitingFor(awaitingWithDeadline())).toEqual({
      roles: ['partner'],
      what: "SN's focal point answers the Secretariat's questions.",
      deadline: '2025-01-13T09:01:00.000Z',
    });
  });

  it('after the answer, screening names the deadline moved by the time spent waiting', () => {
    // Asked at 09:01, answered at 11:01 (two hours later): the screening deadline moves two hours.
    const state = buildUnder(
      CLOCKED,
      requestInfo(),
      timed('2025-01-06T11:01:00.000Z', act(partner, { action: 'provide_information', response: 'Dakar.' })),
    ).state;
    expect(waitingFor(state)?.deadline).toBe('2025-01-20T11:00:00.000Z');
  });
});

describe('conditionList', () => {
  it.each([
    [null, []],
    [undefined, []],
    ['', []],
    ['Co-fund 10%.', ['Co-fund 10%.']],
    [['A.', 'B.'], ['A.', 'B.']],
    [[], []],
  ] as Array<[string[] | string | null | undefined, string[]]>)('%j → %j', (input, expected) => {
    expect(conditionList(input)).toEqual(expected);
  });
});

describe('reachedCommittee', () => {
  it.each([
    ['screening', false],
    ['awaiting_information', false],
    ['rejected', false],
    ['withdrawn', false],
    ['review', true],
    ['approval', true],
    ['revision_requested', true],
    ['implementation', true],
    ['completed', true],
  ] as Array<[Phase, boolean]>)('%s → %s', (phase, expected) => {
    expect(reachedCommittee(inPhase(phase))).toBe(expected);
  });

  it('stays true after a revision sends the request back to screening (the review is cleared, the decision stays)', () => {
    const state = stateAfter(...PATHS.revision_requested, revise({ title: 'Revised' }, ['List attached.']));
    expect(state.phase).toBe('screening');
    expect(state.review).toBeNull();
    expect(reachedCommittee(state)).toBe(true);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
