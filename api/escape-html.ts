/** Text as HTML character data or attribute value: the five characters that could end either, as entities. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
