import type { FastifyInstance } from 'fastify';
import { negotiateLanguage, type Language } from '../i18n/languages';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The language the caller reads (messages, descriptions): their saved choice (one preference for the page, the
     * messages and the e-mails), else their Accept-Language, else the deployment's DEFAULT_LANGUAGE.
     */
    readonly language: Language;
    /** The signed-in person's saved choice, once authentication knows it; null: none, or not (yet) known. */
    savedLanguage: Language | null;
  }
}

/** Decorates every request with its caller's language, worked out when first asked for (an error, a description). */
export function decorateCallerLanguage(fastify: FastifyInstance, defaultLanguage: Language): void {
  fastify.decorateRequest('savedLanguage', null);
  fastify.decorateRequest('language', {
    getter() {
      return this.savedLanguage ?? negotiateLanguage(this.headers['accept-language'], defaultLanguage);
    },
  });
}
