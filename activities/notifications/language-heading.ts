import type { Language } from '../../i18n/languages';
import { translate } from '../../i18n/messages';

/** The line before a message's text in `language`, in an e-mail written in every language: "— Français —". */
export const languageHeading = (language: Language): string => `— ${translate(language, 'language.name')} —`;
