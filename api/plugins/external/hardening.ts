import fp from 'fastify-plugin';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import { createHash } from 'node:crypto';
import type { MessageValue } from '../../../i18n/localized';
import { ApiError } from '../../api-error';

export interface HardeningOptions {
  /** Requests per window per caller (per token, or per address without one). */
  rateLimitMax: number;
  rateLimitWindow: string;
  /** Browser origins allowed to call the API (CORS); empty: none. */
  corsOrigins: string[];
  /** Origins of the Temporal Web UI, allowed to call the codec endpoint only. */
  codecCorsOrigins: string[];
}

/** Security headers, per-caller rate limits and CORS: the outer wall, before authentication runs. */
export default fp<HardeningOptions>(
  async (fastify, options) => {
    // Swagger UI (/docs) serves its own assets; the default CSP would block its inline bootstrap script.
    await fastify.register(helmet, { contentSecurityPolicy: false });
    await fastify.register(cors, {
      delegator: (request, callback) => {
        const forCodec = request.url?.startsWith('/codec/') ?? false;
        const origins = forCodec ? options.codecCorsOrigins : options.corsOrigins;
        callback(null, {
          origin: origins.length > 0 ? origins : false,
          // The Web UI sends its namespace with every codec call.
          allowedHeaders: ['authorization', 'content-type', 'x-namespace'],
          credentials: forCodec,
        });
      },
    });
    const window = windowInWords(options.rateLimitWindow);
    await fastify.register(rateLimit, {
      max: options.rateLimitMax,
      timeWindow: options.rateLimitWindow,
      // Per token, so that one busy office does not exhaust the budget of everyone behind the same proxy.
      // Hashed, so that the limiter's memory never holds a secret.
      keyGenerator: (request) => {
        const authorization = request.headers.authorization;
        return authorization ? createHash('sha256').update(authorization).digest('base64url') : request.ip;
      },
      errorResponseBuilder: (_request, context) =>
        new ApiError(429, 'rate_limited', {
          key: 'error.rateLimited',
          values: { max: context.max, window, seconds: Math.ceil(context.ttl / 1000) },
        }),
    });
  },
  { name: 'hardening' },
);

const UNITS = { s: 'second', m: 'minute', h: 'hour', d: 'day' } as const;

/** RATE_LIMIT_WINDOW ("1 minute", "30s", "2 hours") in the caller's words: "per minute", "par 30 secondes". */
function windowInWords(window: string): MessageValue {
  const match = /^\s*(\d+)\s*(seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d)\s*$/i.exec(window);
  if (!match) return { key: 'error.asWorded', values: { text: window } };
  return { key: 'error.window', values: { n: Number(match[1]), unit: UNITS[match[2]!.charAt(0).toLowerCase() as keyof typeof UNITS] } };
}
