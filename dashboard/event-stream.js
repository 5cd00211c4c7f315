/**
 * The API's live events (`GET /events/stream`, Server-Sent Events), as the signed-in person: the browser sends the
 * session cookie with it (same origin; a GET, so no CSRF token). Read with fetch() rather than EventSource, which
 * tells neither the status nor the API's message when the stream is refused (a session ended meanwhile); parsed as
 * the SSE format says: fields up to a blank line, `data` lines joined, `:` lines are comments. A dropped connection
 * resumes with Last-Event-ID: nothing is missed, nothing arrives twice.
 */

/** Handles the complete events in `text`; returns the unfinished rest, to be completed by the next chunk. */
export function parseEvents(text, onEvent) {
  const normalized = text.replaceAll('\r\n', '\n');
  const end = normalized.lastIndexOf('\n\n');
  if (end === -1) return normalized;
  for (const block of normalized.slice(0, end).split('\n\n')) {
    const event = { id: null, event: 'message', data: [], retry: null };
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') event.data.push(value);
      else if (field === 'event') event.event = value;
      else if (field === 'id') event.id = value;
      else if (field === 'retry' && /^\d+$/.test(value)) event.retry = Number(value);
    }
    onEvent({ ...event, data: event.data.join('\n') });
  }
  return normalized.slice(end + 2);
}

const sleep = (ms, signal) =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

/**
 * Follows the stream until `signal` aborts. `onEvent({ id, type, data })` gets each domain event (data parsed);
 * `onState('live' | 'reconnecting' | 'refused', error?)` says how the connection is.
 */
export async function followEvents({ signal, onEvent, onState }) {
  let lastEventId = null;
  let retryMs = 2_000;
  while (!signal.aborted) {
    try {
      const headers = { accept: 'text/event-stream', 'accept-language': document.documentElement.lang };
      if (lastEventId !== null) headers['last-event-id'] = lastEventId;
      const response = await fetch('/events/stream', { headers, signal, cache: 'no-store', credentials: 'same-origin' });
      if (response.status === 401 || response.status === 403) {
        onState('refused', await response.json().catch(() => null));
        return;
      }
      // Any other answer (a proxy's 502, a restart): reconnect below, as after a dropped connection.
      if (response.ok && response.body) {
        onState('live');
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer = parseEvents(buffer + value, (event) => {
            if (event.retry !== null) retryMs = event.retry;
            if (event.id !== null) lastEventId = event.id;
            if (event.data) onEvent({ id: event.id, type: event.event, data: JSON.parse(event.data) });
          });
        }
      }
    } catch {
      // The network dropped, or the server restarted: reconnect below, unless we were told to stop.
    }
    if (signal.aborted) return;
    onState('reconnecting');
    await sleep(retryMs, signal);
  }
}
