import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/env';

/**
 * The Kubernetes manifests (deploy/kubernetes/) are not applied to a cluster here: there is none. Each one is parsed
 * and checked for what the application relies on. Schema validation (kustomize + kubeconform) needs tools and
 * schemas a clean machine lacks; deploy/kubernetes/README.md gives the commands.
 */

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const manifestsDir = join(repoRoot, 'deploy', 'kubernetes');

/** Settings that are secret: only ever read from a Secret, never written in a manifest. */
const SECRET_SETTINGS = ['DATABASE_URL', 'PAYLOAD_KEYS', 'SMTP_URL'];
const SECRET_NAME = 'rabat-capacity-requests-secrets';

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean }; configMapKeyRef?: unknown };
}

interface Probe {
  httpGet?: { path?: string; port?: number | string };
}

interface Container {
  name: string;
  image?: string;
  command?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean; runAsNonRoot?: boolean; capabilities?: { drop?: string[] } };
  volumeMounts?: { name: string; mountPath: string }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
}

interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  volumes?: { name: string; emptyDir?: object }[];
}

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  spec?: {
    selector?: { matchLabels?: Record<string, string> } & Record<string, string>;
    template?: { metadata?: { labels?: Record<string, string> }; spec: PodSpec };
    ports?: { port: number; targetPort?: number | string }[];
  };
}

/** Bytes in a Kubernetes quantity such as 1Gi, 512Mi or 1G. */
function bytesOf(quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)([KMGT]i?)?$/.exec(quantity);
  if (!match) throw new Error(`Unsupported quantity ${quantity}`);
  const [, amount = '', unit = ''] = match;
  const powers: Record<string, number> = { '': 1, K: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
  return Number(amount) * (powers[unit] ?? Number.NaN);
}

describe('deploy/kubernetes manifests', () => {
  let files: string[];
  let manifests: Manifest[];

  const workload = (component: string): Manifest => {
    const found = manifests.find((m) => m.kind === 'Deployment' && m.spec?.template?.metadata?.labels?.['app.kubernetes.io/component'] === component);
    if (!found) throw new Error(`no Deployment for the ${component}`);
    return found;
  };
  const containersOf = (manifest: Manifest): Container[] => [
    ...(manifest.spec?.template?.spec.initContainers ?? []),
    ...(manifest.spec?.template?.spec.containers ?? []),
  ];
  const mainContainer = (component: string): Container => {
    const [container] = workload(component).spec?.template?.spec.containers ?? [];
    if (!container) throw new Error(`the ${component} Deployment has no container`);
    return container;
  };
  const envOf = (container: Container) => new Map((container.env ?? []).map((variable) => [variable.name, variable]));
  const configMap = () => manifests.find((m) => m.kind === 'ConfigMap');

  beforeAll(async () => {
    files = (await readdir(manifestsDir)).filter((name) => name.endsWith('.yaml') && name !== 'kustomization.yaml').sort();
    manifests = [];
    for (const file of files) {
      for (const document of parseAllDocuments(await readFile(join(manifestsDir, file), 'utf8'))) {
        expect(document.errors, file).toEqual([]);
        const manifest = document.toJS() as Manifest | null;
        if (manifest) manifests.push(manifest);
      }
    }
  });

  it('lists every manifest in kustomization.yaml, and nothing that does not exist', async () => {
    const kustomization = parse(await readFile(join(manifestsDir, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
    expect([...kustomization.resources].sort()).toEqual(files);
  });

  it('has a Deployment and a Service for the API, a Deployment for the worker and a ConfigMap', () => {
    expect(manifests.map((m) => `${m.apiVersion} ${m.kind}`).sort()).toEqual(['apps/v1 Deployment', 'apps/v1 Deployment', 'v1 ConfigMap', 'v1 Service']);
    expect(mainContainer('api').command).toEqual(['npm', 'run', 'api']);
    expect(mainContainer('worker').command).toEqual(['npm', 'run', 'worker']);
    for (const component of ['api', 'worker']) {
      const deployment = workload(component);
      expect(deployment.spec?.template?.metadata?.labels).toMatchObject(deployment.spec?.selector?.matchLabels ?? { missing: true });
    }
  });

  it('pins every container image to a version or a digest, never latest', () => {
    const images = manifests.flatMap(containersOf).map((container) => container.image ?? '');
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) {
      expect(image).toMatch(/(:[\w][\w.-]*|@sha256:[a-f0-9]{64})$/);
      expect(image).not.toMatch(/:latest$/);
    }
  });

  it('serves the API on port 3000 behind its Service, probed on GET /health', () => {
    const api = mainContainer('api');
    const portNamed = (port: number | string | undefined) =>
      typeof port === 'number' ? port : api.ports?.find((candidate) => candidate.name === port)?.containerPort;
    expect(api.ports?.map((port) => port.containerPort)).toEqual([3000]);
    expect(envOf(api).get('PORT')?.value).toBe('3000');
    // config/env.ts defaults to loopback, which neither the Service nor the kubelet reaches.
    expect(envOf(api).get('HOST')?.value).toBe('0.0.0.0');
    for (const probe of ['readinessProbe', 'livenessProbe'] as const) {
      expect(api[probe], probe).toBeDefined();
    }
    for (const probe of [api.readinessProbe, api.livenessProbe, api.startupProbe].filter(Boolean)) {
      expect(probe?.httpGet?.path).toBe('/health');
      expect(portNamed(probe?.httpGet?.port)).toBe(3000);
    }

    const service = manifests.find((m) => m.kind === 'Service');
    const apiLabels = workload('api').spec?.template?.metadata?.labels ?? {};
    expect(apiLabels).toMatchObject(service?.spec?.selector ?? { missing: true });
    expect(service?.spec?.ports?.map((port) => [port.port, portNamed(port.targetPort)])).toEqual([[3000, 3000]]);
  });

  it("sets the worker's memory limit to its WORKER_MEMORY_MB", () => {
    const worker = mainContainer('worker');
    const memoryMb = envOf(worker).get('WORKER_MEMORY_MB')?.value;
    expect(memoryMb).toBe('1024');
    expect(bytesOf(worker.resources?.limits?.memory ?? '0')).toBe(Number(memoryMb) * 2 ** 20);
  });

  it('gives every container CPU and memory requests and limits, requests within limits', () => {
    for (const container of manifests.flatMap(containersOf)) {
      for (const resource of ['cpu', 'memory']) {
        expect(container.resources?.requests?.[resource], `${container.name} ${resource} request`).toBeDefined();
        expect(container.resources?.limits?.[resource], `${container.name} ${resource} limit`).toBeDefined();
      }
      expect(bytesOf(container.resources?.requests?.memory ?? '0')).toBeLessThanOrEqual(bytesOf(container.resources?.limits?.memory ?? '0'));
    }
  });

  it('commits no secret: no Secret object with values, secret settings only read from the Secret', () => {
    for (const secret of manifests.filter((m) => m.kind === 'Secret')) {
      expect(secret.data ?? {}, secret.metadata.name).toEqual({});
      expect(secret.stringData ?? {}, secret.metadata.name).toEqual({});
    }
    expect(Object.keys(configMap()?.data ?? {}).filter((key) => SECRET_SETTINGS.includes(key))).toEqual([]);
    for (const component of ['api', 'worker']) {
      const env = envOf(mainContainer(component));
      for (const setting of SECRET_SETTINGS) {
        const variable = env.get(setting);
        expect(variable?.value, `${component} ${setting}`).toBeUndefined();
        expect(variable?.valueFrom?.secretKeyRef, `${component} ${setting}`).toMatchObject({ name: SECRET_NAME, key: setting });
      }
      // Only SMTP_URL may be absent (e-mail off); the app cannot start without the others.
      expect(env.get('SMTP_URL')?.valueFrom?.secretKeyRef?.optional).toBe(true);
      expect(env.get('DATABASE_URL')?.valueFrom?.secretKeyRef?.optional).toBeUndefined();
      expect(env.get('PAYLOAD_KEYS')?.valueFrom?.secretKeyRef?.optional).toBeUndefined();
    }
  });

  it('runs as the image\'s non-root user, read-only, unprivileged', async () => {
    const dockerfile = await readFile(join(repoRoot, 'Dockerfile'), 'utf8');
    // The `node` user of the official Node images is uid 1000.
    expect(dockerfile).toMatch(/^USER node$/m);
    for (const component of ['api', 'worker']) {
      const pod = workload(component).spec?.template?.spec;
      expect(pod?.securityContext?.runAsNonRoot, component).toBe(true);
      expect(pod?.securityContext?.runAsUser, component).toBe(1000);
      const emptyDirs = new Set((pod?.volumes ?? []).filter((volume) => volume.emptyDir).map((volume) => volume.name));
      for (const container of containersOf(workload(component))) {
        expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
        // What the app writes (tsx's cache and npm's logs) goes to a scratch /tmp.
        expect(container.volumeMounts?.filter((mount) => emptyDirs.has(mount.name)).map((mount) => mount.mountPath)).toEqual(['/tmp']);
        expect(envOf(container).get('npm_config_cache')?.value).toMatch(/^\/tmp\//);
      }
    }
  });

  it('points both processes at the Temporal Helm chart\'s frontend, and gives them a configuration config/env.ts accepts', () => {
    const data = configMap()?.data ?? {};
    expect(data.TEMPORAL_ADDRESS).toMatch(/^[a-z0-9-]+-frontend\.[a-z0-9-]+\.svc\.cluster\.local:7233$/);
    for (const component of ['api', 'worker']) {
      const container = mainContainer(component);
      expect(container.envFrom?.map((source) => source.configMapRef?.name)).toEqual([configMap()?.metadata.name]);
      const literal = Object.fromEntries((container.env ?? []).filter((variable) => variable.value !== undefined).map((variable) => [variable.name, variable.value ?? '']));
      const secrets = { DATABASE_URL: 'postgres://rabat:secret@db.example.org:5432/rabat', PAYLOAD_KEYS: 'ops-2026:c2VjcmV0LWtleS1vZi0zMi1ieXRlcy1mb3ItdGVzdHM=' };
      const config = loadConfig({ ...data, ...literal, ...secrets });
      expect(config.TEMPORAL_ADDRESS).toBe(data.TEMPORAL_ADDRESS);
      expect(config.TEMPORAL_NAMESPACE).toBe('default');
    }
    expect(envOf(mainContainer('worker')).get('WORKFLOW_BUNDLE_PATH')?.value).toBe('/app/dist/workflow-bundle.js');
  });

  it('gives Kubernetes the settings docker-compose.yml gives api and worker', async () => {
    const compose = parse(await readFile(join(repoRoot, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
      'x-app-environment': Record<string, string>;
    };
    // Compose's own service addresses become the ConfigMap's TEMPORAL_ADDRESS and the Secret's DATABASE_URL.
    const shared = Object.keys(compose['x-app-environment']);
    for (const component of ['api', 'worker']) {
      const provided = new Set([...Object.keys(configMap()?.data ?? {}), ...envOf(mainContainer(component)).keys()]);
      expect(shared.filter((name) => !provided.has(name)), component).toEqual([]);
    }
  });
});
