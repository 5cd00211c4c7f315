import FindMyWay from 'find-my-way';
import type { FastifyInstance } from 'fastify';

/**
 * Which methods a path has, for a 405 with `Allow` when a client uses another (RFC 9110 §15.5.6): a DELETE on a
 * path that only reads is not "no such path". A router of our own, fed with every route as it is added, matches a
 * concrete URL as Fastify's does; catch-all routes (CORS preflight answers OPTIONS anywhere) say nothing of a path.
 */
export function trackAllowedMethods(fastify: FastifyInstance): (path: string) => string[] {
  const router = FindMyWay({ ignoreTrailingSlash: false });
  const methods = new Set<string>();
  fastify.addHook('onRoute', (route) => {
    if (route.url.includes('*')) return;
    for (const method of [route.method].flat()) {
      methods.add(method);
      if (!router.hasRoute(method as FindMyWay.HTTPMethod, route.url)) router.on(method as FindMyWay.HTTPMethod, route.url, () => undefined);
    }
  });
  return (path) => [...methods].filter((method) => router.find(method as FindMyWay.HTTPMethod, path) !== null).sort();
}
