import compress from '@fastify/compress';
import fp from 'fastify-plugin';
import { ApiError } from '../../api-error';

/**
 * Bodies up to this size are compressed in one synchronous call rather than through a stream. The plugin's default
 * on two cores is 8 KiB, below a page of 20 requests (~10 KiB): the stream's plumbing cost more than the compression
 * (1.2 ms of CPU a call against 0.1–0.2 ms, and a p99 4 ms longer; BENCHMARKS.md). 64 KiB at Brotli's quality 4 holds
 * the event loop under a millisecond; larger bodies (a calendar feed, a CSV) still stream.
 */
const SYNC_COMPRESSION_LIMIT = 64 * 1024;

/** Methods whose requests carry no body here: a Content-Encoding on them changes nothing. */
const BODYLESS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Responses compressed for callers that accept it (`Accept-Encoding: br` or `gzip`, as every browser and calendar
 * program sends): people act from slow networks, and a page of requests or the dashboard's scripts shrink to a
 * fraction (README, "Slow networks"). Registered before every route, and before @fastify/static, so that its hook
 * sees them all.
 *
 * - Brotli at the plugin's quality 4: close to gzip's speed, smaller.
 * - Calendar feeds too, which mime-db does not list as compressible.
 * - Not request bodies: an upload is the document's own bytes, and a compressed body could unfold past the limit.
 *   A body sent with a Content-Encoding is refused (415, RFC 9110 §15.5.16) rather than read as what it is not: a
 *   gzipped CSV would otherwise be stored as an attachment no one can open.
 * - Not document downloads (`compress: false` on the route): their bytes and Content-Length are the stored ones.
 *   The event stream writes to the socket itself and is never touched.
 */
export default fp(
  async (fastify) => {
    await fastify.register(compress, {
      globalDecompression: false,
      encodings: ['br', 'gzip'],
      customTypes: /^text\/calendar\b/,
      syncThreshold: SYNC_COMPRESSION_LIMIT,
    });
    fastify.addHook('onRequest', async (request, reply) => {
      const coding = request.headers['content-encoding']?.trim().toLowerCase();
      if (coding === undefined || coding === '' || coding === 'identity' || BODYLESS.has(request.method)) return;
      reply.header('accept-encoding', 'identity');
      throw new ApiError(415, 'unsupported_content_encoding', { key: 'error.contentEncoding', values: { coding } });
    });
  },
  { name: 'compression' },
);
