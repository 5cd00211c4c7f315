import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { advanceTo, call, submit, type Person } from '../support/cast';
import { useTestSystem } from '../support/use-test-system';

/**
 * People act from slow networks: what the API and the dashboard send is compressed for callers that accept it, and
 * reads exactly as it would uncompressed. A document is sent as the bytes that were attached.
 */
const ctx = useTestSystem();

async function fetchEncoded(url: string, who: Person | null, acceptEncoding: string | null) {
  const response = await ctx.system.app.inject({
    method: 'GET',
    url,
    headers: { ...(who ? { authorization: `Bearer ${who.token}` } : {}), ...(acceptEncoding ? { 'accept-encoding': acceptEncoding } : {}) },
  });
  return { status: response.statusCode, headers: response.headers, bytes: response.rawPayload };
}

const decoded = (response: { headers: Record<string, unknown>; bytes: Buffer }): Buffer => {
  const encoding = response.headers['content-encoding'];
  if (encoding === 'br') return brotliDecompressSync(response.bytes);
  if (encoding === 'gzip') return gunzipSync(response.bytes);
  if (encoding === undefined) return response.bytes;
  throw new Error(`unexpected content-encoding ${JSON.stringify(encoding)}`);
};

describe('compressed responses', () => {
  it('sends a request and a page of requests with Brotli or gzip, as the caller accepts, the same JSON either way', async () => {
    const { system, cast } = ctx;
    const id = await submit(system, cast);
    await submit(system, cast, { title: 'A second request, for a longer page' });

    for (const url of [`/requests/${id}`, '/requests?limit=20']) {
      const plain = await fetchEncoded(url, cast.secretariat, null);
      expect(plain.status).toBe(200);
      expect(plain.headers['content-encoding']).toBeUndefined();

      const brotli = await fetchEncoded(url, cast.secretariat, 'gzip, deflate, br');
      expect(brotli.headers['content-encoding']).toBe('br');
      expect(brotli.headers.vary).toMatch(/accept-encoding/i);
      expect(JSON.parse(decoded(brotli).toString('utf8'))).toEqual(JSON.parse(plain.bytes.toString('utf8')));
      expect(brotli.bytes.length).toBeLessThan(plain.bytes.length / 2);

      const gzip = await fetchEncoded(url, cast.secretariat, 'gzip');
      expect(gzip.headers['content-encoding']).toBe('gzip');
      expect(JSON.parse(decoded(gzip).toString('utf8'))).toEqual(JSON.parse(plain.bytes.toString('utf8')));
    }
  });

  it('sends the dashboard page and its scripts compressed, byte for byte the files', async () => {
    for (const path of ['/dashboard', '/dashboard/main.js', '/dashboard/schema-form.js', '/dashboard/dashboard.css']) {
      const plain = await fetchEncoded(path, null, null);
      expect(plain.status).toBe(200);
      const brotli = await fetchEncoded(path, null, 'br');
      expect(brotli.headers['content-encoding']).toBe('br');
      expect(decoded(brotli).equals(plain.bytes)).toBe(true);
      expect(brotli.bytes.length).toBeLessThan(plain.bytes.length / 2);
    }
  });

  it('sends a calendar feed compressed too (calendar programs accept gzip)', async () => {
    const { system, cast } = ctx;
    // Three requests whose activities were held: enough lines for a feed over the compression threshold (1 KiB).
    await Promise.all([1, 2, 3].map(async (n) => advanceTo(system, cast, await submit(system, cast, { title: `Feed request ${n}` }), 'monitoring')));
    const url = new URL((await call(system, 'GET', '/me/calendar', cast.monitor)).body.url as string);
    const plain = await fetchEncoded(url.pathname, null, null);
    expect(plain.status).toBe(200);
    expect(plain.bytes.length).toBeGreaterThan(1024);
    const gzip = await fetchEncoded(url.pathname, null, 'gzip');
    expect(gzip.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    // The same feed, but for each entry's DTSTAMP, the instant it was written: the two calls may straddle a second.
    const unstamped = (bytes: Buffer) => bytes.toString('utf8').replace(/^DTSTAMP:\d{8}T\d{6}Z\r$/gm, 'DTSTAMP:…');
    expect(unstamped(plain.bytes)).toContain('DTSTAMP:…');
    expect(unstamped(decoded(gzip))).toBe(unstamped(plain.bytes));
  });

  it('sends a document as the bytes that were attached, with their length, whatever the caller accepts', async () => {
    const { system, cast } = ctx;
    const id = await submit(system, cast);
    const csv = Buffer.from(`country,trained\n${Array.from({ length: 200 }, (_, i) => `SN,${i}`).join('\n')}\n`);
    const attached = await system.app.inject({
      method: 'POST',
      url: `/requests/${id}/documents?name=participants.csv`,
      headers: { authorization: `Bearer ${cast.partner.token}`, 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(attached.statusCode).toBe(201);
    const downloaded = await fetchEncoded(`/requests/${id}/documents/${attached.json().document.documentId}`, cast.secretariat, 'br, gzip');
    expect(downloaded.status).toBe(200);
    expect(downloaded.headers['content-encoding']).toBeUndefined();
    expect(downloaded.headers['content-length']).toBe(String(csv.length));
    expect(downloaded.bytes.equals(csv)).toBe(true);
  });

  it('refuses a request body sent compressed, saying to send it as it is, and changes nothing', async () => {
    const { system, cast } = ctx;
    const before = (await call(system, 'GET', '/requests?limit=100', cast.secretariat)).body.items.length;
    const id = await submit(system, cast);
    const attempts = [
      { url: '/requests', who: cast.partner, type: 'application/json', body: JSON.stringify({ title: 'Sent gzipped' }) },
      { url: `/requests/${id}/documents?name=participants.csv`, who: cast.partner, type: 'text/csv', body: 'country,trained\nSN,38\n' },
    ];
    for (const attempt of attempts) {
      const response = await system.app.inject({
        method: 'POST',
        url: attempt.url,
        headers: { authorization: `Bearer ${attempt.who.token}`, 'content-type': attempt.type, 'content-encoding': 'gzip' },
        payload: gzipSync(attempt.body),
      });
      expect(response.statusCode).toBe(415);
      expect(response.headers['accept-encoding']).toBe('identity');
      expect(response.json()).toMatchObject({ code: 'unsupported_content_encoding', message: expect.stringContaining('Send it uncompressed') });
    }
    expect((await call(system, 'GET', '/requests?limit=100', cast.secretariat)).body.items.length).toBe(before + 1);
    expect((await call(system, 'GET', `/requests/${id}`, cast.secretariat)).body.documents).toEqual([]);
  });
});
