import type { LocalizedMessage } from '../i18n/localized';
import { TERMINAL_PHASES, type Actor, type RequestState, type Role } from '../workflows/request-model';
import { reachedCommittee } from '../read-model/waiting-for';

/**
 * Who may see what. In one sentence for a focal point: you see your own country's requests; the Steering
 * Committee and the Chair see requests once they reach review; the Secretariat, monitors and administrators
 * see all; contact details only your country, the Secretariat and administrators see.
 */

export function canSee(state: RequestState, actor: Actor): boolean {
  switch (actor.role) {
    case 'partner':
      return actor.country === state.submission.country;
    case 'sc_member':
    case 'chair':
      return reachedCommittee(state);
    case 'secretariat':
    case 'monitor':
    case 'admin':
      return true;
  }
}

/** Who reads the Steering Committee's meetings (agendas name requests of every country). */
export const COMMITTEE_READERS: readonly Role[] = ['secretariat', 'chair', 'sc_member', 'monitor', 'admin'];

/** Fields marked personal: wherever they appear (the request, a content version, an event's payload). */
export const PERSONAL_FIELDS = ['contact'] as const;

export function seesPersonalData(state: RequestState, actor: Actor): boolean {
  return actor.role === 'secretariat' || actor.role === 'admin' || (actor.role === 'partner' && actor.country === state.submission.country);
}

/**
 * Within the requests `listScope` lets an actor list, whether they see personal data in all of them: the
 * Secretariat and administrators everywhere, partners in their own country's (the only ones they list).
 */
export function seesPersonalDataInScope(actor: Actor): boolean {
  return actor.role === 'secretariat' || actor.role === 'admin' || actor.role === 'partner';
}

/** The list filter that matches canSee, for the read model. */
export function listScope(actor: Actor): { onlyCountry?: string; committeeOnly?: boolean } {
  if (actor.role === 'partner') return { onlyCountry: actor.country ?? '' };
  if (actor.role === 'sc_member' || actor.role === 'chair') return { committeeOnly: true };
  return {};
}

/** Replaces every personal field, at any depth, with null. */
export function withoutPersonalData<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => withoutPersonalData(item as unknown)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) =>
        (PERSONAL_FIELDS as readonly string[]).includes(key) ? [key, null] : [key, withoutPersonalData(inner as unknown)],
      ),
    ) as T;
  }
  return value;
}

/**
 * Why `actor` may not erase a document's bytes of this request now, or null if they may: the Secretariat and
 * administrators, once the request has ended (while it runs, removal is the step on record, and erases them too).
 */
export function documentErasureRefusal(state: RequestState, actor: Actor, documentId = '{documentId}'): { status: 403 | 409; code: string; localized: LocalizedMessage } | null {
  if (actor.role !== 'secretariat' && actor.role !== 'admin') return { status: 403, code: 'forbidden', localized: { key: 'error.erasureOnly' } };
  if (!TERMINAL_PHASES.includes(state.phase)) {
    return {
      status: 409,
      code: 'request_in_progress',
      localized: { key: 'error.erasureInProgress', values: { requestId: state.requestId, phase: state.phase, documentId } },
    };
  }
  return null;
}
