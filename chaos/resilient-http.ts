/**
 * One HTTP call that outlives faults: it is repeated, with backoff, while the API cannot answer (refused or
 * cut connections, timeouts, 5xx, 429), and it says whether any attempt may have been carried out without its
 * answer reaching us — so that the caller knows when a later refusal (409) may be its own earlier success.
 */

export interface HttpCall {
  method: 'GET' | 'POST' | 'PATCH';
  url: string;
  token: string;
  /** JSON, or a file's bytes (a Buffer) sent as they are with `contentType`. */
  body?: unknown;
  contentType?: string;
  /** Sent as Idempotency-Key, the same on every attempt. */
  idempotencyKey?: string;
}

export interface HttpAnswer {
  status: number;
  body: unknown;
  /** Some earlier attempt may have taken effect: its connection broke, it timed out, or it answered 5xx. */
  uncertain: boolean;
  attempts: number;
}

/** Why attempts were repeated, over a whole run. */
export interface RetryCounts {
  /** Connection refused: nothing listened (the API was down); the attempt certainly did nothing. */
  refused: number;
  /** The connection broke or the answer did not come in time: the attempt may or may not have taken effect. */
  cut: number;
  /** 5xx: the API could not reach Postgres or Temporal, or failed midway. */
  serverError: number;
  /** 429: rate-limited before anything happened. */
  rateLimited: number;
}

export const noRetries = (): RetryCounts => ({ refused: 0, cut: 0, serverError: 0, rateLimited: 0 });

export class GaveUp extends Error {}

export interface RetryPolicy {
  /** How long one attempt may take; an update waits for a restarted worker, and an activity for its retry. */
  attemptTimeoutMs: number;
  /** How long to keep trying one call before giving up. */
  giveUpAfterMs: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attemptTimeoutMs: 90_000,
  giveUpAfterMs: 5 * 60_000,
  initialBackoffMs: 200,
  maxBackoffMs: 3_000,
};

type Attempt =
  | { kind: 'answered'; status: number; body: unknown; retryAfterMs: number | null }
  | { kind: 'refused'; error: string }
  | { kind: 'cut'; error: string };

/** `stop` ends the retrying (and the attempt in flight) with GaveUp. */
export async function callResiliently(
  call: HttpCall,
  counts: RetryCounts,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  stop?: AbortSignal,
): Promise<HttpAnswer> {
  const started = Date.now();
  let uncertain = false;
  let lastProblem = '';
  for (let attempt = 1; ; attempt++) {
    if (stop?.aborted) throw new GaveUp(`${call.method} ${new URL(call.url).pathname}: stopped`);
    const result = await attemptOnce(call, policy.attemptTimeoutMs, stop);
    let waitMs = backoff(attempt, policy);
    if (result.kind === 'refused') {
      counts.refused += 1;
      lastProblem = result.error;
    } else if (result.kind === 'cut') {
      counts.cut += 1;
      uncertain = true;
      lastProblem = result.error;
    } else if (result.status >= 500) {
      counts.serverError += 1;
      uncertain = true;
      lastProblem = `${result.status} ${JSON.stringify(result.body).slice(0, 200)}`;
    } else if (result.status === 429) {
      counts.rateLimited += 1;
      waitMs = result.retryAfterMs ?? waitMs;
      lastProblem = '429';
    } else {
      return { status: result.status, body: result.body, uncertain, attempts: attempt };
    }
    if (Date.now() - started + waitMs > policy.giveUpAfterMs) {
      throw new GaveUp(`${call.method} ${new URL(call.url).pathname}: no answer after ${attempt} attempts in ${Math.round((Date.now() - started) / 1000)} s (last: ${lastProblem})`);
    }
    await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
}

async function attemptOnce(call: HttpCall, timeoutMs: number, stop: AbortSignal | undefined): Promise<Attempt> {
  const headers: Record<string, string> = { authorization: `Bearer ${call.token}` };
  const bytes = Buffer.isBuffer(call.body);
  if (call.body !== undefined) headers['content-type'] = bytes ? (call.contentType ?? 'application/octet-stream') : 'application/json';
  if (call.idempotencyKey) headers['idempotency-key'] = call.idempotencyKey;
  // One controller for the timeout and the stop, with a plain timer: a signal made by AbortSignal.any() from
  // AbortSignal.timeout() may be collected before it fires, leaving the attempt to undici's 300 s timeout.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(`no answer within ${timeoutMs / 1000} s`, 'TimeoutError')), timeoutMs);
  const onStop = () => controller.abort(stop?.reason);
  stop?.addEventListener('abort', onStop, { once: true });
  try {
    let response: Response;
    try {
      response = await fetch(call.url, {
        method: call.method,
        headers,
        body: call.body === undefined ? undefined : bytes ? (call.body as Buffer) : JSON.stringify(call.body),
        signal: controller.signal,
      });
    } catch (error) {
      return classifyFailure(error);
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      // The status line came, the body did not: whatever the status said, treat the outcome as unknown.
      return { kind: 'cut', error: `body lost: ${describe(error)}` };
    }
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // not JSON (a proxy's error page, say): keep the text
    }
    const retryAfter = Number(response.headers.get('retry-after'));
    return { kind: 'answered', status: response.status, body, retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : null };
  } finally {
    clearTimeout(timer);
    stop?.removeEventListener('abort', onStop);
  }
}

/** Only a refused connection proves the request never reached the server; anything else may have. */
function classifyFailure(error: unknown): Attempt {
  const code = (error as { cause?: { code?: string } }).cause?.code;
  if (code === 'ECONNREFUSED') return { kind: 'refused', error: 'ECONNREFUSED' };
  return { kind: 'cut', error: describe(error) };
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: string; message?: string } | undefined;
  return [error.name, error.message, cause?.code ?? cause?.message].filter(Boolean).join(': ');
}

function backoff(attempt: number, policy: RetryPolicy): number {
  const ceiling = Math.min(policy.maxBackoffMs, policy.initialBackoffMs * 2 ** (attempt - 1));
  // Full jitter: users retrying together do not come back together.
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}
