import { describe, expect, it } from 'vitest';
import { useTestSystem } from '../support/use-test-system';
import { call } from '../support/cast';

const logLines: string[] = [];
const ctx = useTestSystem({
  hardening: { rateLimitMax: 5, rateLimitWindow: '1 minute', corsOrigins: ['https://portal.example.org'], codecCorsOrigins: ['http://127.0.0.1:8233'] },
  logStream: { write: (line: string) => void logLines.push(line) },
});

describe('hardening', () => {
  it('limits each token separately, with a clear 429 and Retry-After', async () => {
    const { system } = ctx;
    const busy = await system.user('monitor');
    const other = await system.user('monitor');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await call(system, 'GET', '/requests', busy)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = await call(system, 'GET', '/requests', busy);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({ code: 'rate_limited', requestId: expect.any(String) });
    expect(limited.body.message).toMatch(/at most 5 per minute.*Retry in \d+ s/);
    expect((await call(system, 'GET', '/requests', other)).status).toBe(200);
  });

  it('does not count the dashboard’s own files: one address loads the page many times over and is never refused', async () => {
    const files = ['/dashboard', '/dashboard/main.js', '/dashboard/i18n.js', '/dashboard/dashboard.css', '/dashboard/catalog.fr.js', '/dashboard/intl-messageformat.js'];
    const statuses: number[] = [];
    // Twice the limit (5), from one client address and without a token, as the people of one office behind one proxy.
    for (const url of [...files, ...files]) statuses.push((await ctx.system.app.inject({ method: 'GET', url })).statusCode);
    expect(statuses).toEqual(statuses.map(() => 200));
  });

  it('refuses an oversized body with 413 before reading it all', async () => {
    const { system } = ctx;
    const sender = await system.user('partner', 'SN');
    const r = await call(system, 'POST', '/requests', sender, { description: 'x'.repeat(600 * 1024) });
    expect(r.status).toBe(413);
    expect(r.body).toMatchObject({ code: 'fst_err_ctp_body_too_large', requestId: expect.any(String) });
  });

  it('sends security headers and a request ID on every response', async () => {
    const { system } = ctx;
    const r = await system.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'trace-42' } });
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(r.headers['strict-transport-security']).toBeDefined();
    expect(r.headers['x-request-id']).toBe('trace-42');
  });

  it('allows only the configured browser origins, and the Web UI only on the codec', async () => {
    const { system } = ctx;
    const preflight = (url: string, origin: string) =>
      system.app.inject({ method: 'OPTIONS', url, headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' } });
    expect((await preflight('/requests', 'https://portal.example.org')).headers['access-control-allow-origin']).toBe('https://portal.example.org');
    expect((await preflight('/requests', 'https://evil.example')).headers['access-control-allow-origin']).toBeUndefined();
    expect((await preflight('/requests', 'http://127.0.0.1:8233')).headers['access-control-allow-origin']).toBeUndefined();
    expect((await preflight('/codec/decode', 'http://127.0.0.1:8233')).headers['access-control-allow-origin']).toBe('http://127.0.0.1:8233');
  });

  it('logs every denied attempt with request ID, caller, route and reason, and never the token', async () => {
    const { system, cast } = ctx;
    const before = logLines.length;
    const forbidden = await call(system, 'GET', '/admin/users', cast.partner);
    expect(forbidden.status).toBe(403);
    const unauthenticated = await call(system, 'GET', '/requests', 'rbt_garbage');
    expect(unauthenticated.status).toBe(401);
    const denied = logLines
      .slice(before)
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry.msg === 'access denied');
    expect(denied).toHaveLength(2);
    expect(denied[0]).toMatchObject({ reqId: forbidden.body.requestId, caller: cast.partner.actor.name, route: 'GET /admin/users', code: 'forbidden' });
    expect(denied[1]).toMatchObject({ reqId: unauthenticated.body.requestId, caller: null, code: 'token_malformed' });
    const everything = logLines.join('\n');
    for (const secret of [cast.partner.token, 'rbt_garbage']) expect(everything).not.toContain(secret);
  });
});
