import type { RequestState } from '../../workflows/request-model';
import { nextStep, pendingReviewers } from '../../read-model/waiting-for';

/**
 * What a request waits for, in French: the same decision as waitingFor (request-rules.ts, nextStep), worded for the
 * dialogue's francophone partners. waitingFor's own `what` is the English.
 */
export function nextStepInFrench(state: RequestState): string | null {
  const country = () => state.submission.country;
  switch (nextStep(state)) {
    case 'screen':
      return 'Le Secrétariat examine la demande.';
    case 'answer_questions':
      return `Le point focal (${country()}) répond aux questions du Secrétariat.`;
    case 'vote': {
      const pending = pendingReviewers(state);
      return `Les membres du Comité de pilotage votent (${pending.length} encore à voter : ${pending.map((r) => r.name).join(', ') || 'aucun'}).`;
    }
    case 'decide':
      return 'La présidence approuve, rejette ou demande une révision.';
    case 'revise':
      return `Le point focal (${country()}) révise la demande.`;
    case 'implement':
      return 'Le Secrétariat met en œuvre les activités prévues.';
    case 'final_report':
      return 'Le rapport final est attendu.';
    case 'revise_final_report':
      return 'Le rapport final a été renvoyé pour modification ; une version révisée est attendue.';
    case 'review_final_report':
      return 'Le Secrétariat accepte le rapport final ou le renvoie pour modification.';
    case 'close':
      return 'Le Secrétariat clôture la demande avec ses enseignements.';
    case null:
      return null;
  }
}
