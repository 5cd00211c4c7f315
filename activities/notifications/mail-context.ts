import type { DialogueName } from '../../config/dialogue';

/** What every e-mail needs besides its event: the dialogue it speaks for, and where people open the dashboard. */
export interface MailContext {
  /** Named in every subject (`[Rabat Process] …`, `[Processus de Rabat] …`) and in address confirmations. */
  dialogue: DialogueName;
  /** Where people open the dashboard, e.g. https://capacity.rabat-process.org; null: the message gives the request's ID only. */
  publicUrl: string | null;
}
