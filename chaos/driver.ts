import { randomUUID } from 'node:crypto';
import { LIFECYCLE, STEPS_PER_REQUEST, submission, type LifecycleStep, type RequestContext, type RequestView } from './lifecycle';
import { callResiliently, noRetries, type HttpAnswer, type RetryCounts, type RetryPolicy } from './resilient-http';
import type { ChaosCast, ChaosUser } from './users';

/**
 * Virtual users driving requests through their whole lifecycle over HTTP while the system is being broken.
 * They behave as careful people would: keep trying while the API cannot answer, and when a step they retried
 * is refused (409), read the request back to see whether their earlier try had in fact gone through. Anything
 * else is a failure of the request, with the reason — never ignored.
 */

export interface DrivenRequest {
  index: number;
  marker: string;
  requestId: string | null;
  /** The last step that took effect. */
  lastStep: string | null;
  /** Why driving it stopped early; null when every step took effect. */
  failure: string | null;
}

export interface DriverProgress {
  stepsTotal: number;
  stepsDone: number;
  requestsDone: number;
  requestsFailed: number;
  retries: RetryCounts;
  /** Steps refused with 409 on a retry, and found applied by an earlier attempt. */
  reconciled: number;
  /** Steps whose retry made them take effect twice (a second activity, a second report). */
  appliedTwice: number;
  /** The step that took longest, retries and read-backs included: how long a fault kept a user waiting. */
  slowest: { ms: number; step: string; requestId: string } | null;
}

export interface DriverOptions {
  apiUrl: string;
  cast: ChaosCast;
  requests: number;
  thinkMs: number;
  progress: DriverProgress;
  retryPolicy?: RetryPolicy;
  log(message: string): void;
  /** Stops the users after their current step (Ctrl-C). */
  signal?: AbortSignal;
}

/** How long a retried step's effect may take to show in the read model (the worker records it, maybe after a restart). */
const RECONCILE_WITHIN_MS = 120_000;

export function newDriverProgress(requests: number): DriverProgress {
  return { stepsTotal: requests * STEPS_PER_REQUEST, stepsDone: 0, requestsDone: 0, requestsFailed: 0, retries: noRetries(), reconciled: 0, appliedTwice: 0, slowest: null };
}

export async function driveRequests(options: DriverOptions): Promise<DrivenRequest[]> {
  const driven: DrivenRequest[] = [];
  let next = 0;
  const virtualUser = async (user: ChaosUser) => {
    while (next < options.requests && !options.signal?.aborted) {
      const request: DrivenRequest = { index: next++, marker: randomUUID().slice(0, 8), requestId: null, lastStep: null, failure: null };
      driven.push(request);
      try {
        await driveOne(request, user, options);
        options.progress.requestsDone += 1;
      } catch (error) {
        request.failure = (error as Error).message;
        options.progress.requestsFailed += 1;
        options.log(`!! request #${request.index + 1} (${request.requestId ?? 'not submitted'}) stopped after '${request.lastStep ?? 'nothing'}': ${request.failure}`);
      }
    }
  };
  await Promise.all(options.cast.users.map((user) => virtualUser(user)));
  return driven.sort((a, b) => a.index - b.index);
}

class StepFailed extends Error {}

async function driveOne(request: DrivenRequest, user: ChaosUser, options: DriverOptions): Promise<void> {
  const { progress } = options;
  // Submission: the Idempotency-Key makes every retry return the same request, never a second one.
  const submitted = await callResiliently(
    {
      method: 'POST',
      url: `${options.apiUrl}/requests`,
      token: user.tokens.partner,
      body: submission(request.marker, user.country),
      idempotencyKey: `chaos-submit-${request.marker}`,
    },
    progress.retries,
    options.retryPolicy,
    options.signal,
  );
  if (submitted.status !== 201) throw new StepFailed(`submission answered ${describeAnswer(submitted)}`);
  const view = submitted.body as RequestView;
  request.requestId = view.id;
  request.lastStep = 'submission';
  progress.stepsDone += 1;

  const ctx: RequestContext = { requestId: view.id, marker: request.marker, scMemberId: options.cast.scMemberId };
  for (const step of LIFECYCLE) {
    if (options.signal?.aborted) throw new StepFailed('stopped');
    await think(options.thinkMs);
    const started = Date.now();
    await takeStep(step, ctx, user, options);
    const ms = Date.now() - started;
    if (ms > (progress.slowest?.ms ?? 0)) progress.slowest = { ms, step: step.name, requestId: ctx.requestId };
    request.lastStep = step.name;
    progress.stepsDone += 1;
  }
}

async function takeStep(step: LifecycleStep, ctx: RequestContext, user: ChaosUser, options: DriverOptions): Promise<void> {
  const answer = await callResiliently(
    {
      method: step.method,
      url: `${options.apiUrl}${step.path(ctx)}`,
      token: user.tokens[step.as],
      body: step.body(ctx),
      contentType: step.contentType,
      // The same key on every attempt of this step: an API that honours it applies the step once.
      idempotencyKey: `chaos-${ctx.marker}-${step.name.replaceAll(/\W+/g, '-')}`,
    },
    options.progress.retries,
    options.retryPolicy,
    options.signal,
  );
  let view: RequestView;
  if (answer.status === 200 || answer.status === 201) {
    const body = answer.body as RequestView | { request: RequestView };
    view = 'request' in body ? body.request : body;
  } else if (answer.status === 409 && answer.uncertain) {
    // An earlier attempt may have been applied without its answer reaching us: the request says whether it was.
    view = await readBackUntilApplied(step, ctx, user, options, answer);
    options.progress.reconciled += 1;
  } else {
    throw new StepFailed(`'${step.name}' answered ${describeAnswer(answer)}`);
  }
  const times = step.effects(view, ctx);
  if (times > 1) {
    options.progress.appliedTwice += 1;
    throw new StepFailed(`'${step.name}' took effect ${times} times after ${answer.attempts} attempts (a retry was applied again)`);
  }
  if (times !== 1 || view.phase !== step.phaseAfter) {
    throw new StepFailed(`'${step.name}' answered ${answer.status} but the request shows it ${times} times, in phase ${view.phase} (expected ${step.phaseAfter})`);
  }
  step.remember?.(view, ctx);
}

/**
 * After a 409 on a retry: reads the request until it shows the step applied. The read model may lag the
 * workflow for a moment (the worker records the event, perhaps after a restart), hence the wait; a request
 * that never shows it was refused for another reason, which is a failure.
 */
async function readBackUntilApplied(step: LifecycleStep, ctx: RequestContext, user: ChaosUser, options: DriverOptions, refusal: HttpAnswer): Promise<RequestView> {
  const deadline = Date.now() + RECONCILE_WITHIN_MS;
  for (;;) {
    const read = await callResiliently(
      { method: 'GET', url: `${options.apiUrl}/requests/${ctx.requestId}`, token: user.tokens[step.as] },
      options.progress.retries,
      options.retryPolicy,
      options.signal,
    );
    if (read.status !== 200) throw new StepFailed(`reading back after '${step.name}' answered ${describeAnswer(read)}`);
    const view = read.body as RequestView;
    if (step.effects(view, ctx) > 0 && view.phase === step.phaseAfter) {
      options.log(`   reconciled: '${step.name}' on ${ctx.requestId} was refused on retry (409) and had been applied by an earlier attempt`);
      return view;
    }
    if (Date.now() > deadline) {
      throw new StepFailed(
        `'${step.name}' was refused on retry (${describeAnswer(refusal)}) and the request, in phase ${view.phase}, does not show it applied`,
      );
    }
    await think(500);
  }
}

function describeAnswer(answer: HttpAnswer): string {
  return `${answer.status} ${JSON.stringify(answer.body).slice(0, 300)} (after ${answer.attempts} attempt(s)${answer.uncertain ? ', some with unknown outcome' : ''})`;
}

function think(ms: number): Promise<void> {
  // Around the mean, so that the users drift apart.
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, Math.round(ms * (0.5 + Math.random())))) : Promise.resolve();
}
