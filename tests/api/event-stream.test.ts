import { beforeAll, describe, expect, it } from 'vitest';
import { useTestSystem } from '../support/use-test-system';
import { call, sampleSubmission, type Person } from '../support/cast';

/** The live event feed over a real socket: what each caller sees, and resuming with Last-Event-ID. */
const ctx = useTestSystem();
let baseUrl: string;

// A real socket, because Fastify's inject cannot stream; useTestSystem closes the app, and every open stream, after.
beforeAll(async () => {
  baseUrl = await ctx.system.app.listen({ port: 0, host: '127.0.0.1' });
});

interface StreamEvent {
  id: string;
  event: string;
  data: { requestId: string; type: string; payload: Record<string, unknown> };
}

/** Reads the stream until `enough` holds or the time is up, then disconnects. */
async function readStream(who: Person, enough: (events: StreamEvent[]) => boolean, init: { after?: number; lastEventId?: string } = {}, timeoutMs = 8_000) {
  const controller = new AbortController();
  const url = `${baseUrl}/events/stream${init.after !== undefined ? `?after=${init.after}` : ''}`;
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${who.token}`, ...(init.lastEventId ? { 'last-event-id': init.lastEventId } : {}) },
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: StreamEvent[] = [];
  let buffer = '';
  const deadline = Date.now() + timeoutMs;
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    while (!enough(events) && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = Object.fromEntries(block.split('\n').filter((l) => !l.startsWith(':') && l.includes(': ')).map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]));
        if (fields.data) events.push({ id: fields.id!, event: fields.event!, data: JSON.parse(fields.data) });
      }
    }
  } catch {
    // aborted at the deadline
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return events;
}

describe('GET /events/stream', () => {
  it('streams the events of visible requests live, hides personal data from those who may not see it, and resumes', async () => {
    const { system, cast } = ctx;
    const submitted = await call(system, 'POST', '/requests', cast.partner, sampleSubmission({ contact: { name: 'Awa Diop', email: 'awa@example.sn' } }));
    const id = submitted.body.id as string;

    // A monitor connected from the beginning sees the submission, without the contact details.
    const fromStart = await readStream(cast.monitor, (events) => events.some((e) => e.data.requestId === id), { after: 0 });
    const submittedEvent = fromStart.find((e) => e.data.requestId === id)!;
    expect(submittedEvent.event).toBe('submitted');
    expect((submittedEvent.data.payload.submission as { contact: unknown }).contact).toBeNull();

    // Live: a step taken while connected arrives.
    const live = readStream(cast.secretariat, (events) => events.some((e) => e.data.requestId === id && e.event === 'information_requested'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await call(system, 'POST', `/requests/${id}/screening`, cast.secretariat, { outcome: 'request_information', note: 'Dates?' });
    const liveEvents = await live;
    expect(liveEvents.map((e) => e.event)).toContain('information_requested');

    // Resuming with Last-Event-ID gives exactly what came after it.
    const resumed = await readStream(cast.secretariat, (events) => events.some((e) => e.data.requestId === id), { lastEventId: submittedEvent.id });
    expect(resumed.filter((e) => e.data.requestId === id).map((e) => e.event)).toEqual(['information_requested']);
    expect(Number(resumed[0]!.id)).toBeGreaterThan(Number(submittedEvent.id));

    // Another country's partner, and the Steering Committee before review, see nothing of it.
    const other = await readStream(cast.otherPartner, () => false, { after: 0 }, 1_500);
    expect(other.filter((e) => e.data.requestId === id)).toEqual([]);
    const committee = await readStream(cast.scMember, () => false, { after: 0 }, 1_500);
    expect(committee.filter((e) => e.data.requestId === id)).toEqual([]);
    const own = await readStream(cast.partner, (events) => events.some((e) => e.data.requestId === id), { after: 0 });
    const ownSubmitted = own.find((e) => e.data.requestId === id)!;
    expect((ownSubmitted.data.payload.submission as { contact: unknown }).contact).toEqual({ name: 'Awa Diop', email: 'awa@example.sn' });
  });

  it('needs a token and refuses a malformed Last-Event-ID', async () => {
    expect((await fetch(`${baseUrl}/events/stream`)).status).toBe(401);
    const bad = await fetch(`${baseUrl}/events/stream`, { headers: { authorization: `Bearer ${ctx.cast.monitor.token}`, 'last-event-id': 'abc' } });
    expect(bad.status).toBe(400);
  });

  it('is visible in the OpenAPI description', async () => {
    const spec = (await call(ctx.system, 'GET', '/openapi.json')).body;
    expect(Object.keys(spec.paths['/events/stream'].get.responses)).toEqual(['200', '400', '401', '429']);
  });
});
