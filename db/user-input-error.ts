import type { LocalizedMessage } from '../i18n/localized';
import { render } from '../i18n/messages';

/**
 * Input a person must put right (a name too long, an unknown country…): the API answers 400 in the caller's
 * language (`localized`), the CLI exits 2 with `message`, in English. The CLI's own usage errors are plain English
 * text: its readers are the operators at its terminal, and its words are in no catalog.
 */
export class UserInputError extends Error {
  readonly localized: LocalizedMessage;

  constructor(problem: LocalizedMessage | string) {
    const localized: LocalizedMessage = typeof problem === 'string' ? { key: 'error.asWorded', values: { text: problem } } : problem;
    super(render('en', localized));
    this.localized = localized;
  }
}
