import { parseArgs } from 'node:util';
import { loadConfig } from '../config/env';
import { connectDatabase, migrateDatabase, type Database } from '../db/client';
import { handOverChair, listChairTerms } from '../db/chair-terms-repository';
import { setUserEmail, validateEmail } from '../db/notifications-repository';
import { issueToken, listTokens, listUsers, revokeToken, UserInputError, validateNewUser } from '../db/users-repository';
import { newKeyFile } from '../codec/keyring';
import { readRuntime } from '../launcher/runtime-file';
import { parseIsoDuration } from '../workflows/iso-duration';

/**
 * `npm run cli -- <command>`: identity and office administration against whatever database the system uses —
 * DATABASE_URL if set, else the embedded one of a running `npm start` (found through DATA_DIR).
 */

const USAGE = `Usage:
  npm run cli -- user list
      One user a line: name, role, country (or -), e-mail address (or -).
  npm run cli -- user email --name <name> --email <address | none>
      Sets where the user's notifications go; none removes the address (no more e-mails).
  npm run cli -- token create --name <name> --role <role> [--country <ISO2>] [--expires <date | ISO duration>] [--label <text>]
      Creates the user if new (partner and sc_member need --country), issues a token and prints only the token.
      --expires takes a date (2027-06-30) or a duration from now (P90D).
  npm run cli -- token list [--name <name>]
      One token a line: id, user, status, expiry, last use. Secrets are never shown again.
  npm run cli -- token revoke <token id>
  npm run cli -- chair handover --name <chair user> --until <date> [--from <date>]
      Hands the Chair's office over; the running term ends when the new one starts (default: now).
  npm run cli -- chair list
  npm run cli -- key generate
      Prints a new payload encryption key as <id>:<base64>, for PAYLOAD_KEYS (put it first; keep the old ones).
Roles: partner, secretariat, sc_member, chair, monitor, admin.`;

const ACTOR = 'cli';

async function databaseUrl(): Promise<string> {
  const config = loadConfig();
  if (config.DATABASE_URL) return config.DATABASE_URL;
  const runtime = await readRuntime(config.DATA_DIR);
  if (runtime) return runtime.databaseUrl;
  throw new Error(
    `No database to talk to: set DATABASE_URL, or start the system with \`npm start\` (looked for a running one in ${config.DATA_DIR}).`,
  );
}

function parseMoment(text: string, option: string): Date {
  if (text.startsWith('P')) {
    try {
      return new Date(Date.now() + parseIsoDuration(text));
    } catch (error) {
      throw new UserInputError(`${option}: ${(error as Error).message}`);
    }
  }
  const moment = new Date(text);
  if (Number.isNaN(moment.getTime())) throw new UserInputError(`${option} must be a date such as 2027-06-30 or a duration such as P90D (got '${text}')`);
  return moment;
}

function required(value: string | undefined, option: string): string {
  if (!value) throw new UserInputError(`${option} is required`);
  return value;
}

type Command = (db: Database, args: { values: Record<string, string | undefined>; rest: string[] }) => Promise<void>;

/** Commands that need no database. */
const OFFLINE_COMMANDS: Record<string, () => void> = {
  'key generate': () => {
    const { currentKeyId, keys } = newKeyFile();
    console.log(`${currentKeyId}:${keys[currentKeyId]}`);
  },
};

const COMMANDS: Record<string, Command> = {
  'user list': async (db) => {
    for (const user of await listUsers(db)) console.log(`${user.name}\t${user.role}\t${user.country ?? '-'}\t${user.email ?? '-'}`);
  },
  'user email': async (db, { values }) => {
    const name = required(values.name, '--name');
    const given = required(values.email, '--email');
    const email = validateEmail(given === 'none' ? null : given);
    const user = (await listUsers(db)).find((u) => u.name === name);
    if (!user) throw new UserInputError(`no user named '${name}' (see npm run cli -- user list)`);
    await setUserEmail(db, user.userId, email, ACTOR);
    console.log(email ? `Notifications for '${name}' go to ${email}.` : `'${name}' gets no more e-mails.`);
  },
  'token create': async (db, { values }) => {
    // Another token for someone who exists needs only their name: their role and country are already on record.
    const existing = values.name ? (await listUsers(db)).find((u) => u.name === values.name) : undefined;
    const user = validateNewUser({
      name: values.name ?? '',
      role: values.role ?? existing?.role ?? '',
      country: values.country ?? (values.role === undefined || values.role === existing?.role ? existing?.country : null) ?? null,
    });
    const expiresAt = values.expires ? parseMoment(values.expires, '--expires') : null;
    if (expiresAt && expiresAt <= new Date()) throw new UserInputError('--expires must be in the future');
    const issued = await issueToken(db, user, { expiresAt: expiresAt?.toISOString() ?? null, label: values.label ?? null, issuedBy: ACTOR });
    // Only the token on stdout, so that scripts can capture it: TOKEN=$(npm run -s cli -- token create …)
    console.error(issued.created ? `Created ${user.role} '${user.name}'.` : `Issued another token for '${user.name}'.`);
    console.log(issued.token);
  },
  'token list': async (db, { values }) => {
    const now = new Date().toISOString();
    for (const token of await listTokens(db, { userName: values.name })) {
      const status = token.revokedAt ? 'revoked' : token.expiresAt && token.expiresAt <= now ? 'expired' : 'active';
      console.log([token.tokenId, token.user, status, token.expiresAt ?? 'no-expiry', token.lastUsedAt ?? 'never-used'].join('\t'));
    }
  },
  'token revoke': async (db, { rest }) => {
    const tokenId = required(rest[0], 'the token id');
    if (!/^[0-9a-f-]{36}$/i.test(tokenId)) throw new UserInputError(`'${tokenId}' is not a token id (see npm run cli -- token list)`);
    const revoked = await revokeToken(db, tokenId, ACTOR);
    if (!revoked) throw new UserInputError(`no token with id ${tokenId}`);
    console.log(`Token ${tokenId} revoked at ${revoked.revokedAt}.`);
  },
  'chair handover': async (db, { values }) => {
    const term = await handOverChair(db, {
      holder: required(values.name, '--name'),
      startsAt: values.from ? parseMoment(values.from, '--from') : new Date(),
      endsAt: parseMoment(required(values.until, '--until'), '--until'),
      by: ACTOR,
    });
    const ended = term.endedTerms.length > 0 ? ` (ends the term of ${term.endedTerms.join(', ')})` : '';
    console.log(`${term.holder} holds the Chair's office from ${term.startsAt} until ${term.endsAt}${ended}.`);
  },
  'chair list': async (db) => {
    for (const term of await listChairTerms(db)) console.log(`${term.holder}\t${term.startsAt}\t${term.endsAt}\t${term.assignedBy}`);
  },
};

async function main(argv: string[]): Promise<number> {
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
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals.length === 0) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const name = positionals.slice(0, 2).join(' ');
  const offline = OFFLINE_COMMANDS[name];
  if (offline) {
    offline();
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`Unknown command '${positionals.join(' ')}'.\n\n${USAGE}`);
    return 2;
  }
  const database = connectDatabase(await databaseUrl(), { max: 1 });
  try {
    await migrateDatabase(database.pool);
    const { help: _help, ...options } = values;
    await command(database.db, { values: options, rest: positionals.slice(2) });
    return 0;
  } finally {
    await database.close();
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  const isUsageError = error instanceof UserInputError || (error instanceof TypeError && 'code' in error);
  console.error(isUsageError ? `Error: ${message}\n\nRun \`npm run cli -- --help\` for usage.` : `Error: ${message}`);
  process.exitCode = isUsageError || message.startsWith('No database') ? 2 : 1;
}
