import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { App } from '../../api/app';
import type { Call } from './http-calls';
import type { Answer } from './openapi-responses';

/** How long an answer may take: a call that hangs (a step stuck in its workflow) is a failure, not a slow test. */
const ANSWER_WITHIN_MS = 15_000;
/** How long an event stream that answered 200 must then stay open. */
const STREAM_STAYS_OPEN_MS = 150;

export interface StreamAnswer extends Answer {
  /** A 200 event stream that closed by itself before the test hung up. */
  endedEarly: boolean;
}

/**
 * Sends the call through the app's full HTTP stack (inject). An event stream never ends by itself, so for those
 * the answer is read as a stream: an error body in full, a 200 for a moment before hanging up.
 */
export async function sendCall(app: App, call: Call, options: { streaming: boolean }): Promise<StreamAnswer> {
  const hangUp = new AbortController();
  const request = {
    method: call.method,
    url: call.url,
    headers: call.headers,
    ...(call.payload === undefined ? {} : { payload: call.payload }),
    ...(options.streaming ? { payloadAsStream: true, signal: hangUp.signal } : {}),
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ANSWER_WITHIN_MS} ms`)), ANSWER_WITHIN_MS);
  });
  try {
    const response = await Promise.race([app.inject(request), timeout]);
    const coding = response.headers['content-encoding'];
    if (!options.streaming) return { status: response.statusCode, headers: response.headers, body: decoded(response.rawPayload, coding), endedEarly: false };
    const { bytes, ended } = await Promise.race([readStream(response.stream(), response.statusCode === 200 ? STREAM_STAYS_OPEN_MS : Infinity), timeout]);
    return { status: response.statusCode, headers: response.headers, body: decoded(bytes, coding), endedEarly: response.statusCode === 200 && ended };
  } finally {
    clearTimeout(timer);
    hangUp.abort();
  }
}

/**
 * The body as a client reads it: the generated calls may accept compression (Accept-Encoding), and the API then
 * compresses what it sends. Any other coding is an answer no client asked for, and fails the call.
 */
function decoded(bytes: Buffer, coding: string | string[] | number | undefined): string {
  if (coding === undefined) return bytes.toString('utf8');
  if (coding === 'br') return brotliDecompressSync(bytes).toString('utf8');
  if (coding === 'gzip') return gunzipSync(bytes).toString('utf8');
  throw new Error(`answered with Content-Encoding ${JSON.stringify(coding)}, which no call asks for`);
}

function readStream(stream: NodeJS.ReadableStream, forMs: number): Promise<{ bytes: Buffer; ended: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const done = (ended: boolean) => resolve({ bytes: Buffer.concat(chunks), ended });
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => done(true));
    stream.on('error', () => done(false));
    if (Number.isFinite(forMs)) setTimeout(() => done(false), forMs);
  });
}
