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
 * A name goes into e-mail subjects, the sender's display name and pages: one line, no space at either end, and
 * none of the characters that would split or quote an address (`From: Khartoum Process, Secretariat <…>` would be
 * two senders). At most 80 characters.
 */
const INNER = String.raw`[^<>@,;"\\\u0000-\u001f]`;
const EDGE = String.raw`[^\s<>@,;"\\\u0000-\u001f]`;
export const DIALOGUE_NAME_PATTERN = `^${EDGE}(${INNER}{0,78}${EDGE})?$`;
