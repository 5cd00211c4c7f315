/**
 * The dialogue a deployment serves, named in its two working languages. Sister dialogues (the Khartoum Process…)
 * run the same Secretariat model: each runs its own deployment, on the same servers or not (README, "Several
 * dialogues"), and its e-mails, pages and API document carry its own name.
 */
export interface DialogueName {
  en: string;
  fr: string;
}

export const RABAT_PROCESS: DialogueName = { en: 'Rabat Process', fr: 'Processus de Rabat' };

/**
 * What is wrong with a dialogue's name, or null. A name goes into e-mail subjects, the sender's display name and
 * pages: one line, no space at either end, and none of the characters that would split or quote an address
 * (`From: Khartoum Process, Secretariat <…>` would be two senders).
 */
export function dialogueNameProblem(name: string): string | null {
  if (name.length > 80) return `it has ${name.length} characters; at most 80`;
  if (name.trim() !== name) return 'it starts or ends with a space';
  const forbidden = name.match(/[<>@,;"\\\u0000-\u001f\u007f]/);
  if (forbidden) return `it contains ${JSON.stringify(forbidden[0])}; a name may not contain < > @ , ; " \\ or line breaks`;
  return null;
}
