import { sampleActivity, sampleSubmission } from '../../tests/support/cast';
import type { Actor, RequestState, Submission } from '../../workflows/request-model';
import { applyStep, submit } from '../../workflows/request-transitions';
import type { Step } from '../../workflows/request-steps';

/**
 * A request's state as the read model holds it midway through its life — submitted, screened, reviewed by five
 * members, approved, two activities planned — built with the workflow's own reducer. The seeded portfolio stores
 * it (with each row's own ID and phase) so that reads of the state, such as a list's "who must act", pay for
 * a real state's size (several KB, kept in TOAST) rather than for a stub's.
 */
export function representativeState(): RequestState {
  const day = (n: number) => new Date(Date.UTC(2026, 0, n, 9)).toISOString();
  const person = (name: string, role: Actor['role'], country: string | null = null): Actor => ({ userId: `user-${name}`, name, role, country });
  const secretariat = person('Secretariat officer', 'secretariat');
  const members = (
    [
      ['Aminata Diallo', 'SN'],
      ['Jean Martin', 'FR'],
      ['Fatou Sow', 'GM'],
      ['Ana Pereira', 'PT'],
      ['Youssef Benali', 'MA'],
    ] as const
  ).map(([name, country]) => person(name, 'sc_member', country));
  let state = submit('00000000-0000-4000-8000-000000000000', sampleSubmission() as Submission, person('Focal point', 'partner', 'SN'), day(1)).state;
  const take = (actor: Actor, step: Step, ctx: Parameters<typeof applyStep>[3]) => {
    state = applyStep(state, actor, step, ctx).state;
  };
  take(secretariat, { action: 'screen', outcome: 'accept', note: 'Complete and eligible; fits the action plan.' }, {
    now: day(3),
    review: { reviewers: members.map((m) => ({ userId: m.userId, name: m.name, country: m.country, conflicted: m.country === 'SN' })), deadline: day(17) },
  });
  members.slice(1).forEach((member, i) => take(member, { action: 'vote', vote: 'no_objection', comment: i === 0 ? 'A useful training.' : null }, { now: day(4 + i) }));
  take(person('Chair', 'chair'), { action: 'decide', decision: 'approve', rationale: 'Fits action area 4.', conditions: null, approvedBudgetEur: null }, { now: day(18) });
  for (const n of [1, 2]) take(secretariat, { action: 'plan_activity', ...sampleActivity() } as Step, { now: day(19 + n), activityId: `00000000-0000-4000-8000-00000000000${n}` });
  return state;
}
