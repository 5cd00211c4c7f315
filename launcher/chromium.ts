import { execFile, spawn } from 'node:child_process';

import { promisify } from 'node:util';
import { isExecutable } from './process-checks';

/**
 * The browser of the dashboard's end-to-end tests: Debian's `chromium` package, driven by playwright-core.
 * Playwright's own browser download is not used — its host is not reachable from our machines; the
 * distribution's package comes through apt like everything else.
 */

export const CHROMIUM_PATH = '/usr/bin/chromium';

export type Log = (message: string) => void;

const MANUAL_INSTALL = 'Install it as root with: apt-get update && apt-get install -y chromium';

function run(command: string, args: string[], log: Log): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', (error) => reject(new Error(`${command} could not be started (${error.message}). ${MANUAL_INSTALL}`)));
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`\`${command} ${args.join(' ')}\` failed with exit code ${code}. ${MANUAL_INSTALL}`));
    });
    log(`$ ${command} ${args.join(' ')}`);
  });
}

/** Returns the path of Chromium, installing the Debian package first when it is missing and we may. */
export async function ensureChromium(log: Log): Promise<string> {
  if (await isExecutable(CHROMIUM_PATH)) return CHROMIUM_PATH;
  if (process.platform !== 'linux' || !(await isExecutable('/usr/bin/apt-get'))) {
    throw new Error(`Chromium is missing (${CHROMIUM_PATH}) and this is not a Debian-like system with apt-get. The dashboard's end-to-end tests need it there.`);
  }
  if (process.getuid?.() !== 0) {
    throw new Error(`Chromium is missing (${CHROMIUM_PATH}) and installing it needs root. ${MANUAL_INSTALL.replace('as root', 'as root (sudo)')}`);
  }
  log(`Chromium not found at ${CHROMIUM_PATH}: installing Debian's chromium package once for this machine (apt-get; a minute or two).`);
  const started = Date.now();
  await run('apt-get', ['update'], log);
  // With its recommended packages: the fonts (fonts-liberation) make screenshots legible.
  await run('apt-get', ['install', '-y', 'chromium'], log);
  if (!(await isExecutable(CHROMIUM_PATH))) throw new Error(`apt-get installed chromium but ${CHROMIUM_PATH} is still missing. ${MANUAL_INSTALL}`);
  log(`Chromium installed in ${Math.round((Date.now() - started) / 1000)} s.`);
  return CHROMIUM_PATH;
}

export async function chromiumVersion(path: string): Promise<string> {
  const { stdout } = await promisify(execFile)(path, ['--version']);
  return stdout.trim();
}
