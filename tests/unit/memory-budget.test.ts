import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { cachedRequestsFor, heapLimitFor } from '../../worker/memory-budget';

describe('the worker’s memory budget', () => {
  it('sizes the cache of requests to fit, with a fifth kept free', () => {
    expect(cachedRequestsFor(1024)).toBe(998);
    expect(cachedRequestsFor(2048)).toBe(2636);
    // 320 MiB base + 0.5 MiB per request held stays within four fifths of the budget.
    for (const budget of [512, 768, 1024, 4096]) expect(320 + cachedRequestsFor(budget) * 0.5).toBeLessThanOrEqual(budget * 0.8);
    expect(cachedRequestsFor(512)).toBe(179);
  });

  it('the deployments give the worker the heap that fits its budget', async () => {
    const manifests = (await readFile(new URL('../../deploy/kubernetes/worker-deployment.yaml', import.meta.url), 'utf8')).split(/^---$/m).map((d) => parse(d));
    const container = manifests.find((m) => m?.kind === 'Deployment').spec.template.spec.containers[0];
    const env = Object.fromEntries(container.env.map((e: { name: string; value?: string }) => [e.name, e.value]));
    expect(env.NODE_OPTIONS).toBe(`--max-old-space-size=${heapLimitFor(Number(env.WORKER_MEMORY_MB))}`);
    const compose = parse(await readFile(new URL('../../docker-compose.yml', import.meta.url), 'utf8'));
    expect(compose.services.worker.environment.NODE_OPTIONS).toBe(`--max-old-space-size=\${WORKER_HEAP_MB:-${heapLimitFor(1024)}}`);
  });
});
