import { describe, expect, it } from 'vitest';
import { IntlMessageFormat } from 'intl-messageformat';
import { isLiteralElement, isPoundElement, parse, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { LANGUAGES, negotiateLanguage } from '../../i18n/languages';
import { CATALOGS, translate } from '../../i18n/messages';

/** The names of a message's arguments, plural and select branches included (their texts are not arguments). */
function argumentsOf(elements: MessageFormatElement[]): string[] {
  return elements.flatMap((element) => {
    const own = isLiteralElement(element) || isPoundElement(element) ? [] : [String(element.value)];
    const nested = 'options' in element ? Object.values(element.options).flatMap((option) => argumentsOf(option.value)) : [];
    return [...own, ...nested];
  });
}

describe('the catalogs', () => {
  it('every language has every message of the English catalog, and no other', () => {
    const keys = Object.keys(CATALOGS.en).sort();
    for (const language of LANGUAGES) expect(Object.keys(CATALOGS[language]).sort(), language).toEqual(keys);
  });

  it('every message parses, and names the same variables in every language', () => {
    const variablesOf = (message: string) => [...new Set(argumentsOf(parse(message)))].sort();
    for (const [key, english] of Object.entries(CATALOGS.en)) {
      for (const language of LANGUAGES) {
        const message = CATALOGS[language][key as keyof typeof CATALOGS.en];
        expect(() => new IntlMessageFormat(message, language), `${language} ${key}`).not.toThrow();
        expect(variablesOf(message), `${language} ${key}`).toEqual(variablesOf(english));
      }
    }
  });

  it('fills in variables', () => {
    expect(translate('fr', 'validation.readableText', { field: 'body.title' })).toMatch(/^body\.title : ne doit pas/);
  });
});

describe('choosing the language from Accept-Language', () => {
  it.each([
    [undefined, 'en'],
    ['', 'en'],
    ['fr', 'fr'],
    ['fr-SN,fr;q=0.9', 'fr'],
    ['de-DE, fr;q=0.5, en;q=0.4', 'fr'],
    ['en;q=0.2, fr;q=0.8', 'fr'],
    ['fr;q=0, en', 'en'],
    ['pt-PT', 'en'],
    ['*', 'en'],
    ['x'.repeat(300), 'en'],
    ['fr;q=abc', 'fr'],
  ])('%j reads %s', (header, language) => {
    expect(negotiateLanguage(header)).toBe(language);
  });

  it('falls back to the deployment’s default', () => {
    expect(negotiateLanguage('pt-PT', 'fr')).toBe('fr');
  });
});
