import { render } from '../../i18n/messages';
import type { LocalizedMessage } from '../../i18n/localized';
import * as rules from '../../workflows/request-rules';

/**
 * The rules as an English reader meets their refusals: each refusal's catalog message and values (what the rules
 * return, in every language) worded as the API words it for an English caller, as `message`. The specifications of
 * the rules read best in the words people are given; tests/api/error-language.test.ts holds them in French.
 */
type InEnglish<R> = R extends LocalizedMessage ? Omit<R, 'key' | 'values'> & { message: string } : R;

export function inEnglish<R extends (LocalizedMessage & { field?: string | null }) | null>(refusal: R): InEnglish<R> {
  if (refusal === null) return refusal as InEnglish<R>;
  const { key: _key, values: _values, ...rest } = refusal;
  return { ...rest, message: render('en', refusal) } as InEnglish<R>;
}

export const checkStep = (...args: Parameters<typeof rules.checkStep>) => inEnglish(rules.checkStep(...args));
export const checkAction = (...args: Parameters<typeof rules.checkAction>) => inEnglish(rules.checkAction(...args));
