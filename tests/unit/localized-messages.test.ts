import { describe, expect, it } from 'vitest';
import { ApplicationFailure, DefaultFailureConverter, defaultPayloadConverter } from '@temporalio/common';
import { ApiError } from '../../api/api-error';
import { refusalFrom } from '../../api/request-workflows';
import { UserInputError } from '../../db/user-input-error';
import { anyOf, allOf, commaList, inEuros } from '../../i18n/localized';
import { render } from '../../i18n/messages';
import { refusalFailure } from '../../workflows/request-contract';
import { checkAction, checkStep, submissionRefusal } from '../../workflows/request-rules';
import { anyOfRoles } from '../../workflows/rules/refusal';
import { PATHS, TO_IMPLEMENTATION, build, chair, partner, plan, scEs, secretariat } from './request-fixtures';

/** The words people are given, built where they arise and worded only for their reader (i18n/localized.ts). */

describe('render', () => {
  const text = (value: Parameters<typeof commaList>[0][number]) => ({ key: 'error.asWorded' as const, values: { text: value } });

  it('words the values that are words in the reader’s language, and leaves the others as they are', () => {
    const roles = text(anyOfRoles(['partner', 'secretariat']));
    expect(render('en', roles)).toBe('a National Focal Point (partner) or the Secretariat');
    expect(render('fr', roles)).toBe('un point focal national (partner) ou le Secrétariat');
    expect(render('en', text(allOf(['a', 'b', 'c'])))).toBe('a, b and c');
    expect(render('fr', text(allOf(['a', 'b', 'c'])))).toBe('a, b et c');
    expect(render('fr', text(anyOf(["'review'", "'approval'"])))).toBe("'review' ou 'approval'");
    expect(render('fr', text(commaList(['withdraw', 'attach_document'])))).toBe('withdraw, attach_document');
    expect(render('fr', text(inEuros(45_000)))).toBe('45\u202f000\u00a0€');
    expect(render('fr', text({ inEachLanguage: { en: 'Senegal', fr: 'Sénégal' } }))).toBe('Sénégal');
  });

  it('fills in plurals and choices', () => {
    expect(render('en', { key: 'error.wrongCode', values: { left: 1 } })).toMatch(/; 1 try left\./);
    expect(render('fr', { key: 'error.wrongCode', values: { left: 4 } })).toMatch(/ ; il reste 4 essais\./);
    expect(render('fr', { key: 'error.requestClosed', values: { phase: 'withdrawn' } })).toBe("La demande est retirée : plus aucune étape n'est possible.");
    expect(render('fr', { key: 'error.rateLimited', values: { max: 5, window: { key: 'error.window', values: { n: 30, unit: 'second' } }, seconds: 12 } })).toBe(
      'Trop de requêtes : au plus 5 par 30 secondes pour un même jeton. Réessayez dans 12 s.',
    );
  });

  it('shows a key no catalog has as it is, rather than failing the answer', () => {
    expect(render('fr', { key: 'error.fromANewerWorker' as never })).toBe('error.fromANewerWorker');
  });
});

describe('errors keep their words as catalog messages', () => {
  it('an ApiError is logged in English and answered in the caller’s language', () => {
    const error = new ApiError(404, 'request_not_found', { key: 'error.requestNotFound', values: { id: 'r-1' } });
    expect(error.message).toBe('No request with ID r-1 exists, or it is not visible to you.');
    expect(render('fr', error.localized)).toBe("Aucune demande n'a l'identifiant r-1, ou elle ne vous est pas visible.");
  });

  it('the database layer’s problems too; the CLI’s own English stays as it is', () => {
    const problem = new UserInputError({ key: 'error.notAChair', values: { name: 'Ana', role: 'sc_member' } });
    expect(problem.message).toBe("'Ana' is a sc_member; only a user with the chair role can hold the office");
    expect(render('fr', problem.localized)).toBe("'Ana' a le rôle sc_member ; seul un utilisateur ayant le rôle chair peut exercer la fonction");
    expect(new UserInputError('--expires must be in the future').localized).toEqual({ key: 'error.asWorded', values: { text: '--expires must be in the future' } });
  });
});

describe('the rules’ refusals, in French', () => {
  const fr = (refusal: Parameters<typeof render>[1] | null) => (refusal ? render('fr', refusal) : null);
  const inPhase = (phase: keyof typeof PATHS) => build(...PATHS[phase]).state;

  it('names roles and actions in French, and keeps codes as codes', () => {
    expect(fr(checkAction(inPhase('review'), partner, 'vote'))).toBe(
      "Seul un membre du Comité de pilotage peut voter dans l'examen du Comité de pilotage ; vous êtes connecté comme un point focal national (partner).",
    );
    expect(fr(checkAction(inPhase('approval'), secretariat, 'decide'))).toBe(
      'Seul le titulaire de la présidence peut statuer sur la demande ; vous êtes connecté comme le Secrétariat.',
    );
    expect(fr(submissionRefusal(secretariat, 'SN'))).toBe('Seul un point focal national (partner) peut soumettre des demandes.');
  });

  it('says where an action happens and what to do instead', () => {
    expect(fr(checkAction(inPhase('awaiting_information'), partner, 'revise'))).toBe(
      "La demande est en phase 'awaiting_information', où vous ne pouvez pas réviser la demande comme l'a demandé la présidence " +
        "(cela se fait en phase 'revision_requested'). Vous pouvez maintenant : provide_information, withdraw.",
    );
    expect(fr(checkAction(inPhase('screening'), chair, 'decide'))).toBe(
      "La demande est en phase 'screening', où vous ne pouvez pas statuer sur la demande (cela se fait en phase 'approval'). " +
        "Vous n'avez rien à y faire pour l'instant.",
    );
  });

  it('words amounts, statuses and counts as French readers write them', () => {
    const state = build(...TO_IMPLEMENTATION, plan('act-1', 'Atelier')).state;
    expect(fr(checkStep(state, secretariat, { action: 'plan_activity', type: 'training', title: 'x', startDate: '2025-03-01', endDate: '2025-03-02', location: 'Dakar', budgetEur: 40_000 }))).toMatch(
      /^Planifier cette activité \(40\u202f000\u00a0€\) porterait le total planifié à \d+\u202f\d{3}\u00a0€, au-delà du budget approuvé de 48\u202f000\u00a0€/,
    );
    expect(fr(checkStep(state, secretariat, { action: 'complete_implementation', note: null }))).toBe(
      "La mise en œuvre ne peut s'achever tant que des activités sont encore planifiées, confirmées ou reportées : 'Atelier' (planifiée). " +
        "Consignez d'abord chacune comme réalisée ou annulée.",
    );
    expect(fr(checkStep(inPhase('review'), scEs, { action: 'vote', vote: 'abstain', comment: null }))).toBeNull();
  });
});

describe('refusals over the wire', () => {
  it('travel as a key and its values, and come back as they left', () => {
    const refusal = checkAction(build(...PATHS.review).state, partner, 'vote')!;
    const failure = refusalFailure(refusal, 'review');
    expect(failure).toMatchObject({ type: 'forbidden', message: 'error.onlyRolesMay', nonRetryable: true });
    // As Temporal carries it: a Failure proto with its details as payloads, and an error again at the client.
    const converter = new DefaultFailureConverter();
    const received = converter.failureToError(converter.errorToFailure(failure, defaultPayloadConverter), defaultPayloadConverter);
    expect(received).toBeInstanceOf(ApplicationFailure);
    const back = refusalFrom(received as ApplicationFailure);
    expect(back).toMatchObject({ field: null, phase: 'review' });
    expect(render('fr', back.words)).toBe(render('fr', refusal));
  });

  it('from a worker of before the keys, keep the English it sent', () => {
    const old = ApplicationFailure.create({ type: 'forbidden', message: 'Only the Chair may decide on the request.', details: [{ field: null, phase: 'approval' }] });
    const back = refusalFrom(old);
    expect(back.phase).toBe('approval');
    expect(render('fr', back.words)).toBe('Only the Chair may decide on the request.');
  });
});
