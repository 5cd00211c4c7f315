import { parseArgs } from 'node:util';
import { loadConfig } from '../config/env';
import { connectDatabase, migrateDatabase } from '../db/client';
import { issueToken, listUsers, UserInputError, validateNewUser } from '../db/users-repository';
import { readRuntime } from '../launcher/runtime-file';

/**
 * `npm run cli -- <command>`: identity administration against whatever database the system uses —
 * DATABASE_URL if set, else the embedded one of a running `npm start` (found through DATA_DIR).
 */

const USAGE = `Usage:
  npm run cli -- user list
      One user a line: name, role, country (or -).
  npm run cli -- token create --name <name> --role <role> [--country <ISO2>]
      Creates the user if new (partner and sc_member need --country), issues a token and prints only the token.
Roles: partner, secretariat, sc_member, chair, monitor, admin.`;

async function databaseUrl(): Promise<string> {
  const config = loadConfig();
  if (config.DATABASE_URL) return config.DATABASE_URL;
  const runtime = await readRuntime(config.DATA_DIR);
  if (runtime) return runtime.databaseUrl;
  throw new UserInputError(
    `No database to talk to: set DATABASE_URL, or start the system with \`npm start\` (looked for a running one in ${config.DATA_DIR}).`,
  );
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      role: { type: 'string' },
      country: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals.join(' ');
  if (values.help || command === '') {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  if (command !== 'user list' && command !== 'token create') {
    console.error(`Unknown command '${command}'.\n\n${USAGE}`);
    return 2;
  }
  const newUser =
    command === 'token create'
      ? validateNewUser({ name: values.name ?? '', role: values.role ?? '', country: values.country ?? null })
      : null;
  const database = connectDatabase(await databaseUrl(), { max: 1 });
  try {
    await migrateDatabase(database.pool);
    if (newUser) {
      const { token, created } = await issueToken(database.db, newUser);
      // Only the token on stdout, so that scripts can capture it: TOKEN=$(npm run -s cli -- token create …)
      console.error(created ? `Created ${newUser.role} '${newUser.name}'.` : `Issued another token for '${newUser.name}'.`);
      console.log(token);
    } else {
      for (const user of await listUsers(database.db)) console.log(`${user.name}\t${user.role}\t${user.country ?? '-'}`);
    }
    return 0;
  } finally {
    await database.close();
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UserInputError || (error instanceof TypeError && 'code' in error)) {
    console.error(`Error: ${error.message}\n\n${USAGE}`);
    process.exitCode = 2;
  } else {
    console.error(`Error: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
