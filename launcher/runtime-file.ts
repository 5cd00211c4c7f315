import { readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/**
 * While `npm start` runs, DATA_DIR/runtime.json says where its embedded servers listen, so that
 * `npm run cli` can reach the embedded database without being told.
 */
export interface Runtime {
  pid: number;
  databaseUrl: string;
  temporalAddress: string;
  apiUrl: string;
}

const fileIn = (dataDir: string) => join(resolve(dataDir), 'runtime.json');

export async function writeRuntime(dataDir: string, runtime: Runtime): Promise<void> {
  await writeFile(fileIn(dataDir), JSON.stringify(runtime, null, 2), { mode: 0o600 });
}

export async function removeRuntime(dataDir: string): Promise<void> {
  await rm(fileIn(dataDir), { force: true });
}

/** The running system's runtime, or null if none runs (a file left by a killed run is ignored). */
export async function readRuntime(dataDir: string): Promise<Runtime | null> {
  let runtime: Runtime;
  try {
    runtime = JSON.parse(await readFile(fileIn(dataDir), 'utf8')) as Runtime;
  } catch {
    return null;
  }
  try {
    process.kill(runtime.pid, 0);
    return runtime;
  } catch {
    return null;
  }
}
