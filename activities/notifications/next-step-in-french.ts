import type { RequestState } from '../../workflows/request-model';
import { nextStep, nextStepWords } from '../../read-model/waiting-for';

/** What a request waits for, in French: the e-mails' French half (waitingFor's own `what` is the English). */
export function nextStepInFrench(state: RequestState): string | null {
  const step = nextStep(state);
  return step === null ? null : nextStepWords(state, step, 'fr');
}
