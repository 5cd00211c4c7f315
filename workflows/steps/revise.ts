/** The partner revises the request as the Chair asked, answering each point; it goes back to screening. */
import type { Submission, SubmissionChanges } from '../request-model';
import { startScreeningClock } from '../clocks';
import { defineStep } from './step-definition';
import { stamp, transition } from './transition';

export type ReviseStep = { action: 'revise'; changes: SubmissionChanges; answers?: string[] };

export const revise = defineStep<ReviseStep>({
  action: 'revise',
  rule: {
    phases: ['revision_requested'],
    roles: ['partner'],
    ownCountryOnly: true,
  },
  check: (state, _actor, step, options) => {
    if (Object.keys(step.changes).length === 0) {
      return { kind: 'invalid', field: 'body', key: 'error.revisionUnchanged' };
    }
    const points = state.decisions.at(-1)?.points ?? [];
    const answers = step.answers ?? [];
    if (!options.proceduresNotApplied && points.length === 0 && answers.length > 0) {
      return { kind: 'invalid', field: 'answers', key: 'error.noPointsToAnswer' };
    }
    if (!options.proceduresNotApplied && answers.length !== points.length) {
      return {
        kind: 'invalid',
        field: 'answers',
        key: 'error.answerEachPoint',
        values: { count: points.length, points: points.map((p, i) => `${i + 1}. ${p}`).join(' ') },
      };
    }
    return null;
  },
  apply(state, actor, step, { now }) {
    const by = stamp(actor, now);
    const submission: Submission = { ...state.submission, ...step.changes };
    const points = state.decisions.at(-1)?.points ?? [];
    const answers = step.answers?.length ? { answers: points.map((point, i) => ({ point, answer: step.answers?.[i] ?? '' })) } : {};
    // Back to screening: a new screening round, with a new deadline.
    const screeningClock = state.policy ? { screeningClock: startScreeningClock(now, state.policy) } : {};
    return transition(
      state,
      {
        ...state,
        ...screeningClock,
        phase: 'screening',
        submission,
        submissionVersions: [...state.submissionVersions, { submission, ...answers, ...by }],
        screeningNote: null,
        review: null,
      },
      actor,
      now,
      'revised',
      { changes: step.changes, contentVersion: state.submissionVersions.length + 1, ...answers },
    );
  },
});
