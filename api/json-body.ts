import type { FastifyInstance } from 'fastify';
import secureJsonParse from 'secure-json-parse';

/**
 * The API reads JSON bodies itself so that a broken one is answered with where it breaks: Fastify's own parser
 * says only "Body is not valid JSON". Same protection as Fastify's (a `__proto__` or `constructor.prototype` key
 * is refused), same error codes. Plain text is not taken for JSON: a body sent as text/plain is told to come as
 * application/json (415) rather than refused as "must be object" further on. Routes that take other bodies
 * (documents, the unsubscribe form) register their own parsers.
 */
export class JsonBodyError extends Error {
  readonly statusCode = 400;
  constructor(
    readonly code: 'FST_ERR_CTP_INVALID_JSON_BODY' | 'FST_ERR_CTP_EMPTY_JSON_BODY',
    /** The 1-based character where the text stops being JSON; null when it ends too early (or is empty). */
    readonly position: number | null,
  ) {
    super(code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ? 'The body is empty' : 'The body is not valid JSON');
  }
}

export function readJsonBodies(fastify: FastifyInstance): void {
  fastify.removeContentTypeParser(['application/json', 'text/plain']);
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = body as string;
    if (text.length === 0) return done(new JsonBodyError('FST_ERR_CTP_EMPTY_JSON_BODY', null), undefined);
    try {
      done(null, secureJsonParse.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' }));
    } catch (error) {
      // V8 names the offset ("… in JSON at position 12"); a body cut short has none.
      const position = /position (\d+)/.exec((error as Error).message)?.[1];
      done(new JsonBodyError('FST_ERR_CTP_INVALID_JSON_BODY', position === undefined ? null : Number(position) + 1), undefined);
    }
  });
}
