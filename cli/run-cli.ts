import { parseArgs } from 'node:util';
import { dialogueFrom, emailLinkBase, loadConfig } from '../config/env';
import { connectDatabase, migrateDatabase } from '../db/client';
import { UserInputError } from '../db/users-repository';
import { readRuntime } from '../launcher/runtime-file';
import { COMMANDS, OFFLINE_COMMANDS, USAGE, type CliOutput } from './commands';

/**
 * `npm run cli -- <command>`: identity and office administration against whatever database the system uses —
 * DATABASE_URL if set, else the embedded one of a running `npm start` (found through DATA_DIR).
 * Returns the exit code: 0 done, 1 failed, 2 the command line (or the missing database) is what to fix.
 */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv, io: CliOutput): Promise<number> {
  try {
    return await runCommand(argv, env, io);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const isUsageError = error instanceof UserInputError || (error instanceof TypeError && 'code' in error);
    io.err(isUsageError ? `Error: ${message}\n\nRun \`npm run cli -- --help\` for usage.` : `Error: ${message}`);
    return isUsageError || message.startsWith('No database') ? 2 : 1;
  }
}

async function databaseUrl(env: NodeJS.ProcessEnv): Promise<string> {
  const config = loadConfig(env);
  if (config.DATABASE_URL) return config.DATABASE_URL;
  const runtime = await readRuntime(config.DATA_DIR);
  if (runtime) return runtime.databaseUrl;
  throw new Error(
    `No database to talk to: set DATABASE_URL, or start the system with \`npm start\` (looked for a running one in ${config.DATA_DIR}).`,
  );
}

async function runCommand(argv: string[], env: NodeJS.ProcessEnv, io: CliOutput): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      role: { type: 'string' },
      country: { type: 'string' },
      expires: { type: 'string' },
      label: { type: 'string' },
      email: { type: 'string' },
      from: { type: 'string' },
      until: { type: 'string' },
      language: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals.length === 0) {
    io.out(USAGE);
    return values.help ? 0 : 2;
  }
  const name = positionals.slice(0, 2).join(' ');
  const offline = OFFLINE_COMMANDS[name];
  if (offline) {
    offline(io);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`Unknown command '${positionals.join(' ')}'.\n\n${USAGE}`);
    return 2;
  }
  const database = connectDatabase(await databaseUrl(env), { max: 1 });
  try {
    await migrateDatabase(database.pool);
    const { help: _help, ...options } = values;
    const config = loadConfig(env);
    const mail = config.SMTP_URL ? { dialogue: dialogueFrom(config), publicUrl: emailLinkBase(config) } : null;
    await command(database.db, { values: options, rest: positionals.slice(2), mail }, io);
    return 0;
  } finally {
    await database.close();
  }
}
