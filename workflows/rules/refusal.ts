import { anyOf, type LocalizedMessage, type MessageList } from '../../i18n/localized';
import type { Role } from '../request-model';

/**
 * Why a step is refused: the kind (the API's status follows from it) and the words the person reads, as a catalog
 * message (`error.*`) and its values. The API words it in the reader's language; workflow code bundles no catalog.
 */
export type RefusalKind = 'forbidden' | 'conflict' | 'invalid' | 'not_found';

export interface Refusal extends LocalizedMessage {
  kind: RefusalKind;
  /** The request field or body field the refusal is about, when there is one. */
  field?: string;
}

/** A role as refusals name it: "the Secretariat", "a National Focal Point (partner)". */
export const roleNamed = (role: Role): LocalizedMessage => ({ key: `error.role.${role}` });

/** "the Secretariat or the Chair". */
export const anyOfRoles = (roles: readonly Role[]): MessageList => anyOf(roles.map(roleNamed));

export interface RuleOptions {
  /**
   * For replaying steps taken before the Chair became an office with a term: their actors carry no term.
   * The workflow sets it only where `patched()` says the history predates that rule.
   */
  chairTermNotRequired?: boolean;
  /**
   * For replaying steps taken before the committee procedures (revision points and answers, conditions to meet
   * before implementation): the workflow sets it only where `patched()` says the history predates them.
   */
  proceduresNotApplied?: boolean;
  /**
   * For replaying steps taken before the activity lifecycle and the budget rule (2026-11): activities went
   * straight from planned to done or cancelled, and planning was not checked against the approved budget.
   */
  activityRulesNotApplied?: boolean;
  /** For replaying closures from before report reviews (2026-11): any final report sufficed. */
  reportReviewsNotApplied?: boolean;
  /** For replaying steps from before dates were held to the dialogue's lifetime (2026-12, date-bounds.ts). */
  dateBoundsNotApplied?: boolean;
}
