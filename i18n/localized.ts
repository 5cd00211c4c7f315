import type { Language } from './languages';
import type { MessageKey } from './messages';

/**
 * A catalog message with what fills it in: how a text travels (an error, a refusal of the workflow's rules, a
 * problem the database layer found) until the one who reads it is known. Plain data, so that it crosses Temporal's
 * wire in a refusal's details; `render` (messages.ts) words it in the reader's language. This module holds no
 * catalog, so that workflow code can build these without bundling one.
 */
export interface LocalizedMessage {
  key: MessageKey;
  values?: Readonly<Record<string, MessageValue>>;
}

/**
 * What fills a variable: a value that is no word of any language (a code, an ID, a date, a count, what a person
 * wrote) as it is; a word, as another message; several values as one; an amount of money; a value given in each
 * language.
 */
export type MessageValue = string | number | LocalizedMessage | MessageList | Euros | InEachLanguage;

/** "a, b or c", "a et b" in the reader's language; `comma`: "a, b, c" in any (codes, quoted titles). */
export interface MessageList {
  list: readonly MessageValue[];
  join: 'and' | 'or' | 'comma';
}

export interface Euros {
  euros: number;
}

/** A member's names, say: one text per language. */
export interface InEachLanguage {
  inEachLanguage: Readonly<Record<Language, string>>;
}

export const anyOf = (list: readonly MessageValue[]): MessageList => ({ list, join: 'or' });
export const allOf = (list: readonly MessageValue[]): MessageList => ({ list, join: 'and' });
export const commaList = (list: readonly MessageValue[]): MessageList => ({ list, join: 'comma' });
export const inEuros = (amount: number): Euros => ({ euros: amount });
