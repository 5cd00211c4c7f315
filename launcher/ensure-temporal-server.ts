import { spawn } from 'node:child_process';
import { goDirectories, locateTemporalServer, TEMPORAL_SERVER_PACKAGES } from './temporal-production-server';

// For TEMPORAL_ENGINE=production: installs the Temporal server and its SQL tool with `go install` when missing
// (into GOBIN, default ~/go/bin; the schema files come with the module source). About 3 minutes for the server
// and 2 for the SQL tool on a 2-core machine; nothing is done when both are there.
const log = (message: string) => console.log(`[temporal server] ${message}`);

async function goInstall(pkg: string): Promise<void> {
  log(`installing with \`go install ${pkg}\` (compiles the Temporal server: a few minutes the first time) …`);
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn('go', ['install', pkg], { stdio: ['ignore', 'inherit', 'inherit'] });
    // go prints nothing while it compiles; a heartbeat shows it is still working.
    const heartbeat = setInterval(() => log(`  … still building (${Math.round((Date.now() - started) / 1000)} s)`), 30_000);
    child.on('error', (error) => {
      clearInterval(heartbeat);
      reject(new Error(`Could not run go (${error.message}). Install Go (https://go.dev/dl/), or set TEMPORAL_SERVER_BIN and TEMPORAL_SQL_TOOL_BIN.`));
    });
    child.on('exit', (code) => {
      clearInterval(heartbeat);
      if (code === 0) resolve();
      else reject(new Error(`go install ${pkg} failed with exit code ${code}.`));
    });
  });
  log(`installed in ${Math.round((Date.now() - started) / 1000)} s.`);
}

const before = await locateTemporalServer();
// The schema files are in the server's module source: a missing schema directory also needs its go install.
if (!before.server || !before.schemaDir) await goInstall(TEMPORAL_SERVER_PACKAGES.server);
if (!before.sqlTool) await goInstall(TEMPORAL_SERVER_PACKAGES.sqlTool);
const after = await locateTemporalServer();
if (!after.server || !after.sqlTool || !after.schemaDir) {
  const { bin } = await goDirectories();
  console.error(`[temporal server] still missing after go install (looked in ${bin}): ${JSON.stringify(after)}`);
  process.exit(1);
}
log(`server: ${after.server}`);
log(`SQL tool: ${after.sqlTool}`);
log(`schemas: ${after.schemaDir}`);
